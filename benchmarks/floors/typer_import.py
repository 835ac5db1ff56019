"""Floor of `kehu --version` and `kehu --help`: the interpreter starts and imports typer.

python typer_import.py
"""

import typer  # noqa: F401
