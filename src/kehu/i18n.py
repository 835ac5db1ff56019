"""The user's language: Chinese when KEHU_LANG, LC_ALL or LANG starts with "zh", else English.

Messages are English msgids translated through the gettext catalogue shipped in kehu/locale
(compiled from the .po at build time). The catalogue is also installed as the process-wide
gettext domain, so Click's own usage errors ("Missing argument", "No such option") come out in
Chinese too.
"""

from __future__ import annotations

import gettext
import os
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "kehu"


def language() -> str:
    """Return "zh" or "en" from the environment (KEHU_LANG first, then LC_ALL, then LANG)."""
    for variable in ("KEHU_LANG", "LC_ALL", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def is_chinese() -> bool:
    return language() == "zh"


@cache
def _translations(lang: str) -> gettext.NullTranslations:
    if lang != "zh":
        return gettext.NullTranslations()
    translations = gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=["zh_CN"], fallback=True)
    return translations


def install_for_click() -> None:
    """Make the stdlib gettext domain (used by Click) read kehu's catalogue in the user's language."""
    if is_chinese():
        # Typer's messages follow LANGUAGE first: make them agree with kehu's own choice.
        os.environ["LANGUAGE"] = "zh_CN"
        gettext.bindtextdomain(DOMAIN, LOCALE_DIR)
        gettext.textdomain(DOMAIN)


def _(message: str) -> str:
    """Translate a message into the user's language (looked up at call time, so tests can switch)."""
    return _translations(language()).gettext(message)


def N_(message: str) -> str:  # noqa: N802 (gettext's name for it)
    """Mark a message for the catalogue where it is defined, to be translated where it is shown
    (`_(TEXT)`): a module constant is made before the user's language is known."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    return _translations(language()).ngettext(singular, plural, count)


def labelled(label: str, message: object) -> str:
    """A message about one option or field (`--amount: …` / `--amount：…`), with the colon of
    the interface language."""
    return _("{option}: {error}").format(option=label, error=message)


def label(pair: tuple[str, str]) -> str:
    """Pick the (chinese, english) label of a domain term for the user's language."""
    return pair[0] if is_chinese() else pair[1]
