"""The `kehu` executable: answers `kehu --version` before loading any command.

Importing the command groups and letting Typer build their tree costs more than Python itself
takes to start; a script that asks only for the version should not pay for it (issue 6).
"""

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from kehu import __version__

        print(f"kehu {__version__}")
        return
    from kehu.cli.app import main as run

    run()
