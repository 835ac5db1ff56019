"""Bring src/kehu/locale up to date with the code: every message kehu says, Typer's own, and the
help of every command and option (which the code keeps as plain English, so Babel cannot see it).

    .venv/bin/python tools/update_catalogue.py          # writes kehu.pot, updates zh_CN/kehu.po
    .venv/bin/python tools/update_catalogue.py --check  # lists what zh_CN lacks, exit 1 if any

New or changed entries come out of `pybabel update` empty or fuzzy: translate them in the .po,
then `pip install -e .` compiles it (see src/kehu/locale/README.md).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import typer
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

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
        [_pybabel(), "extract", "-k", "_", "-k", "N_", "-k", "ngettext:1,2", "-c", "TRANSLATORS:",
         "--no-wrap", "--project", "kehu", "--copyright-holder", "kehu contributors", "-o", str(TEMPLATE),
         "src/kehu", *(str(typer_dir / name) for name in TYPER_FILES)],
        check=True, cwd=ROOT, capture_output=True,
    )  # fmt: skip


def add_help_texts() -> None:
    """Add each command's and option's help to the template, located by the command that has it."""
    with TEMPLATE.open("rb") as file:
        catalog = read_po(file)
    from kehu.cli.localize import help_texts

    for where, text in help_texts():
        catalog.add(text, locations=[(where, 0)], auto_comments=["help"])
    with TEMPLATE.open("wb") as file:
        write_po(file, catalog, width=0)


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
