"""Floor of the everyday one-customer commands (`kehu show`, `log`, `add`; issue 13): the
interpreter starts and imports what any command-line tool of this stack needs, and nothing more.

python startup.py
"""

import sqlite3  # noqa: F401

import rich.console  # noqa: F401
import rich.table  # noqa: F401
import typer  # noqa: F401
