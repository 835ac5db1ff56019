"""The `kehu` executable: answers `kehu --version` before loading any command.

Importing the command groups and letting Typer build their tree costs more than Python itself
takes to start; a script that asks only for the version should not pay for it (issue 6).
"""

import codecs
import os
import sys

# Encodings that hold every character a book may (Chinese names, an emoji in a note).
_WHOLE_UNICODE = frozenset({"utf-8", "utf-16", "utf-32", "gb18030"})


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from kehu import __version__

        print(f"kehu {__version__}")
        return
    _fit_streams_to_the_locale()
    _refuse_arguments_the_locale_cannot_hold()
    from kehu.cli.app import main as run

    run()


def _fit_streams_to_the_locale() -> None:
    """Under a locale whose encoding cannot hold Chinese (LC_ALL=POSIX with PYTHONUTF8=0 gives
    ASCII), printing a name would end in UnicodeEncodeError. A terminal then gets what it cannot
    show as escapes (杭 as \\u676d); a pipe or a file gets UTF-8, kehu's own encoding, so that
    the data stays exact and imports back. A pipe in GBK (Chinese Windows) gets GB18030, which
    writes every GBK character with GBK's bytes (what Excel reads there) and the rest too (an
    emoji, a zero-width space), where GBK ended in the same error. Other encodings that can
    write Chinese are left as they are."""
    for stream in (sys.stdout, sys.stderr):
        codec = _codec(getattr(stream, "encoding", None))
        if codec is None or codec in _WHOLE_UNICODE or not hasattr(stream, "reconfigure"):
            continue
        try:
            at_terminal = stream.isatty()
        except ValueError:  # closed
            continue
        if at_terminal:
            stream.reconfigure(errors="backslashreplace")
        elif codec in ("gbk", "gb2312"):
            stream.reconfigure(encoding="gb18030")
        elif not _holds_chinese(codec):
            stream.reconfigure(encoding="utf-8")


def _codec(encoding: str | None) -> str | None:
    """The codec's own name (cp936 is gbk, ANSI_X3.4-1968 is ascii), or None if unknown."""
    try:
        return codecs.lookup(encoding).name if encoding else None
    except LookupError:
        return None


def _holds_chinese(codec: str) -> bool:
    """Whether the codec can write a book's names (simplified Chinese: Big5 cannot)."""
    try:
        "客户".encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def _refuse_arguments_the_locale_cannot_hold() -> None:
    """An argument typed as UTF-8 (杭州科技) under an ASCII locale reaches Python as undecodable
    bytes. It is refused (exit 2), saying what to change: it may be a file name, which this locale
    could not open once read as UTF-8. (Bytes that are not UTF-8 at all are refused by
    kehu.cli.app.main.)"""
    if _codec(sys.getfilesystemencoding()) in _WHOLE_UNICODE:
        return
    for argument in sys.argv[1:]:
        raw = os.fsencode(argument)
        if raw.isascii():
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
        from kehu.errors import ExitCode
        from kehu.i18n import _
        from kehu.render.visible import visible_line

        message = _(
            "kehu: argument {argument} is not {encoding} text, the encoding the locale sets; "
            "run kehu in a UTF-8 locale (LC_ALL=C.UTF-8) or with PYTHONUTF8=1"
        ).format(argument=visible_line(text), encoding=sys.getfilesystemencoding())
        print(message, file=sys.stderr)
        sys.exit(int(ExitCode.USAGE))
