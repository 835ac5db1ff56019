"""Bring src/kehu/locale up to date with the code: every message kehu says, Typer's own, and the
help of every command and option (which the code keeps as plain English, so Babel cannot see it).

    .venv/bin/python tools/update_catalogue.py          # writes kehu.pot, updates zh_CN/kehu.po
    .venv/bin/python tools/update_catalogue.py --check  # lists what zh_CN lacks, exit 1 if any

New or changed entries come out of `pybabel update` empty or fuzzy: translate them in the .po,
then `pip install -e .` compiles it (see src/kehu/locale/README.md).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

os.environ["KEHU_LANG"] = "en"  # the commands are built with their help as the code words it

import typer  # noqa: E402
import typer.main  # noqa: E402
from babel.messages.catalog import Catalog  # noqa: E402
from babel.messages.pofile import read_po, write_po  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "src" / "kehu" / "locale"
TEMPLATE = LOCALE / "kehu.pot"
CHINESE = LOCALE / "zh_CN" / "LC_MESSAGES" / "kehu.po"
# Typer's files whose `_()` messages a kehu user meets (help panels, "Try … for help", errors).
TYPER_FILES = ("core.py", "rich_utils.py")


def main(argv: list[str]) -> int:
    if argv == ["--check"]:
        missing = untranslated()
        for line in missing:
            print(line)
        return 1 if missing else 0
    extract()
    add_help_texts()
    subprocess.run([_pybabel(), "update", "--no-wrap", "-i", str(TEMPLATE), "-d", str(LOCALE), "-D", "kehu"],
                   check=True, cwd=ROOT)  # fmt: skip
    missing = untranslated()
    print(f"{len(missing)} entries of zh_CN to translate", file=sys.stderr)
    return 0


def extract() -> None:
    typer_dir = Path(typer.__file__).parent
    subprocess.run(
        [_pybabel(), "extract", "-k", "_", "-k", "ngettext:1,2", "-c", "TRANSLATORS:", "--no-wrap",
         "--project", "kehu", "--copyright-holder", "kehu contributors", "-o", str(TEMPLATE),
         "src/kehu", *(str(typer_dir / name) for name in TYPER_FILES)],
        check=True, cwd=ROOT, capture_output=True,
    )  # fmt: skip


def add_help_texts() -> None:
    """Add each command's and option's help to the template, located by the command that has it."""
    with TEMPLATE.open("rb") as file:
        catalog = read_po(file)
    for where, text in help_texts():
        catalog.add(text, locations=[(where, 0)], auto_comments=["help"])
    with TEMPLATE.open("wb") as file:
        write_po(file, catalog, width=0)


def help_texts() -> list[tuple[str, str]]:
    """(command path or option, help text) of kehu's whole command tree, as the code has them."""
    from kehu.cli.app import COMMAND_MODULES, app, build_commands

    found: list[tuple[str, str]] = []

    def walk(command, path: str) -> None:
        for attribute in ("help", "short_help", "epilog"):
            text = getattr(command, attribute, None)
            if text:
                found.append((path, text))
        for param in command.params:
            if getattr(param, "help", None):
                found.append((f"{path} {param.opts[0] if param.opts else param.name}", param.help))
        for name, sub in (getattr(command, "commands", None) or {}).items():
            walk(sub, f"{path} {name}")

    walk(typer.main.get_command(app), "kehu")
    for module in dict.fromkeys(COMMAND_MODULES.values()):
        for name, command in build_commands(module).items():
            walk(command, f"kehu {name}")
    return found


def untranslated() -> list[str]:
    """Entries of the Chinese catalogue that are empty or fuzzy, one line each."""
    with CHINESE.open("rb") as file:
        catalog: Catalog = read_po(file)
    lines = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            key = message.id if isinstance(message.id, str) else message.id[0]
            lines.append(f"{'fuzzy' if message.fuzzy else 'empty'}: {key!r}")
    return lines


def _pybabel() -> str:
    return str(Path(sys.executable).with_name("pybabel"))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
