"""Where kehu keeps its files, and the user's config file (platformdirs, TOML).

The config file is checked whole before any command does anything (kehu.cli.app calls
use_settings first): a file that does not parse, a key kehu does not know (`workday`, "did you
mean workdays?") or a value of the wrong kind (`workdays = yes`) stops every command with exit 78
and one line naming the file and the line. Only `kehu --help` and `kehu --version` answer without
reading it. The words it adds to a vocabulary (`[vocabulary.channel]` 快递 = "courier") are put
in place for the run (Vocabulary.use_added).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kehu.domain.vocabulary import CHANNEL, INDUSTRY, SOURCE, Choice, Vocabulary
from kehu.errors import ConfigError
from kehu.i18n import _, is_chinese

APP_NAME = "kehu"


def config_path() -> Path:
    """The config file: $KEHU_CONFIG, else <platformdirs config dir>/kehu/config.toml."""
    explicit = os.environ.get("KEHU_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def cache_dir() -> Path:
    """Where kehu keeps what it can always build again ($XDG_CACHE_HOME/kehu on Linux)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME, appauthor=False))


def default_database_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)) / "kehu.db"


# What the config file may hold: each key and the kind of value it takes.
KEYS = ("db", "workdays", "lost_reasons", "vocabulary", "collection", "credit")

# The vocabularies a config file may add words to, by the name its tables use. Grades, stages,
# roles and the other closed lists carry kehu's rules and stay as kehu has them.
EXTENDABLE: dict[str, Vocabulary] = {"channel": CHANNEL, "source": SOURCE, "industry": INDUSTRY}
# Their names in messages (方式, not "channel", for a Chinese user).
_VOCABULARY_LABELS = {"channel": ("跟进方式", "channel"), "source": ("客户来源", "source"),
                      "industry": ("行业", "industry")}  # fmt: skip


@dataclass(frozen=True)
class Settings:
    path: Path
    values: dict[str, Any]
    exists: bool = True
    # The words the file adds to each vocabulary (EXTENDABLE), checked, as choices.
    words: dict[str, tuple[Choice, ...]] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


def load_settings() -> Settings:
    """Read and check the config file; a missing file is an empty config, a broken one exits 78
    naming the file and, where there is one, the line."""
    path = config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Settings(path, {}, exists=False)
    except OSError as error:
        raise ConfigError(
            _("cannot read config file {path}: {error}").format(path=path, error=error.strerror)
        ) from None
    try:
        text = raw.decode("utf-8-sig")  # TOML is UTF-8 (a BOM from Notepad aside)
    except UnicodeDecodeError:  # a file saved as GBK is not
        raise ConfigError(_("bad config file {path}: not UTF-8 text").format(path=path)) from None
    values = _parse(path, text)
    problems = _problems(text, values)
    if problems:
        line, problem = min(problems, key=lambda found: (found[0] is None, found[0] or 0))
        raise ConfigError(_bad(path, line, problem))
    return Settings(path, values, words=_words(values))


def use_settings() -> Settings:
    """Check the config file (exit 78 when it is wrong) and put the words it adds in place in
    their vocabularies, for everything the run does; a file without them leaves kehu's own."""
    settings = load_settings()
    for name, vocabulary in EXTENDABLE.items():
        vocabulary.use_added(settings.words.get(name, ()))
    return settings


def word_code(english: str) -> str:
    """The stored code of an added word: its English word in lower case, spaces and hyphens as
    `_` (Same Day → same_day), as kehu's own codes are (trade show → trade_show)."""
    return "_".join(english.casefold().replace("-", " ").split())


def _bad(path: Path, line: int | None, problem: str) -> str:
    if line is None:
        return _("bad config file {path}: {error}").format(path=path, error=problem)
    return _("bad config file {path}, line {line}: {problem}").format(path=path, line=line, problem=problem)


# --- reading the TOML -------------------------------------------------------------------------

# A key as TOML writes it (bare, "quoted" or 'literal'), dotted or not.
_KEY_PART = r"""(?:"(?:[^"\\]|\\.)*"|'[^']*'|[^=\s."'#\[\]]+)"""
_KEY = rf"{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*"
_KEY_VALUE_LINE = re.compile(rf"^\s*({_KEY})\s*=")
_TABLE_LINE = re.compile(rf"^\s*\[\[?\s*({_KEY})\s*\]")
_KEY_PARTS = re.compile(r""""((?:[^"\\]|\\.)*)"|'([^']*)'|([^=\s."'#\[\]]+)""")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_AT = re.compile(r"^(?P<message>.*) \(at line (?P<line>\d+), column (?P<column>\d+)\)$")


def _parse(path: Path, text: str) -> dict[str, Any]:
    """The file's values. A Chinese word written as a bare key (快递 = "courier"), which TOML 1.0
    wants in quotes and TOML 1.1 allows, is read as if quoted; anything else that is not TOML is
    the error tomllib found, at its line and column, said in the user's language."""
    import tomllib  # only when there is a file: 3 ms of every command's start otherwise

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        first = error
    except RecursionError:  # tomllib reads nested arrays and tables by recursion
        raise ConfigError(_("bad config file {path}: nested too deeply").format(path=path)) from None
    quoted = _quote_unicode_keys(text)
    if quoted != text:  # the lines stay where they were: an error in it is the file's
        try:
            return tomllib.loads(quoted)
        except tomllib.TOMLDecodeError as error:
            first = error
        except RecursionError:
            raise ConfigError(_("bad config file {path}: nested too deeply").format(path=path)) from None
    found = _AT.match(str(first))
    if found is not None:
        message = _("bad config file {path}, line {line}, column {column}: {problem}").format(
            path=path, line=found["line"], column=found["column"], problem=_toml_problem(found["message"])
        )
        raise ConfigError(message)
    # "(at end of document)": a table or key given twice, a text or bracket left open at the end
    if str(first).startswith("Invalid value"):
        problem = _("the file ends inside a value: a bracket or quote is not closed")
    else:
        problem = _toml_problem(str(first))
    raise ConfigError(_bad(path, len(text.rstrip().splitlines()) or None, problem))


def _toml_problem(message: str) -> str:
    """What tomllib's (English) message means, in the user's language."""
    if message.startswith(("Invalid value", "Expected newline")):
        return _('a value kehu cannot read: a text goes in quotes ("…"), yes and no are true and false')
    if message.startswith(("Unterminated string", "Illegal character '\\n'")):
        return _("a text without its closing quote")
    if message.startswith("Illegal character"):
        return _("a control character in a text")
    if message.startswith("Unescaped"):
        return _("a backslash in a text: write it twice (\\\\) or put the text in single quotes")
    if message.startswith(("Invalid statement", "Invalid initial character", "Expected '=' after")):
        return _("not a line of the form key = value")
    if message.startswith(("Cannot overwrite", "Cannot declare", "Cannot redefine", "Cannot mutate", "Dup")):
        return _("a key or table given twice")
    if message.startswith(("Unclosed", "Expected ']")):
        return _("a bracket that is not closed")
    if message.startswith("Invalid date"):
        return _("a date kehu cannot read")
    return _("not valid TOML")


def _quote_unicode_keys(text: str) -> str:
    """The text with each key part that is not a TOML 1.0 bare key put in quotes."""
    lines = text.split("\n")
    for number, line in enumerate(lines):
        found = _KEY_VALUE_LINE.match(line)
        if found is None or found[1].isascii():
            continue
        parts = [_quoted(part) for part in _KEY_PARTS.finditer(found[1])]
        lines[number] = line[: found.start(1)] + ".".join(parts) + line[found.end(1) :]
    return "\n".join(lines)


def _quoted(part: re.Match[str]) -> str:
    bare = part[3]
    if bare is None or _BARE_KEY.fullmatch(bare):
        return part[0]
    return '"' + bare.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _line_of(text: str, key: tuple[str, ...]) -> int | None:
    """The line that first sets `key` (a path of names: ("vocabulary", "channel", "快递")) or a
    table at or under it, in the file's text; None if none is found."""
    table: tuple[str, ...] = ()
    open_quote = None  # inside a multi-line string
    for number, line in enumerate(text.splitlines(), 1):
        if open_quote is not None:
            if line.count(open_quote) % 2 == 1:
                open_quote = None
            continue
        header = _TABLE_LINE.match(line)
        if header is not None:
            table = _names(header[1])
            if table[: len(key)] == key:
                return number
            continue
        setting = _KEY_VALUE_LINE.match(line)
        if setting is None:
            continue
        if (table + _names(setting[1]))[: len(key)] == key:
            return number
        rest = line[setting.end() :]
        for quote in ('"""', "'''"):
            if rest.count(quote) % 2 == 1:
                open_quote = quote
    return None


def _names(key: str) -> tuple[str, ...]:
    """The names of a dotted key, unquoted: 'vocabulary . "快递"' → ("vocabulary", "快递")."""
    return tuple(next(g for g in part.groups() if g is not None) for part in _KEY_PARTS.finditer(key))


# --- checking what it holds -------------------------------------------------------------------

Problem = tuple[int | None, str]


def _problems(text: str, values: dict[str, Any]) -> list[Problem]:
    """Every key kehu does not know and every value of the wrong kind, each with its line: not
    a crash when a command first uses it (`lost_reasons = 5`), nor silently ignored (`workday`)."""
    problems: list[Problem] = []

    def problem(key: tuple[str, ...], message: str) -> None:
        problems.append((_line_of(text, key), message))

    for key in values:
        if key not in KEYS:
            problem((key,), _unknown(_("unknown key {key}").format(key=key), key, KEYS))
    if "db" in values and not (isinstance(values["db"], str) and values["db"].strip()):
        problem(("db",), _('db must be a path or URL in quotes, like db = "~/kehu.db"'))
    if "workdays" in values and not isinstance(values["workdays"], bool):
        problem(("workdays",), _("workdays must be true or false"))
    reasons = values.get("lost_reasons", [])
    if not isinstance(reasons, list) or not all(isinstance(reason, str) for reason in reasons):
        problem(("lost_reasons",), _('lost_reasons must be a list of texts, like ["老板不喜欢"]'))
    if "collection" in values:
        from kehu.domain.collection import ladder_problems

        for place, message in ladder_problems(values["collection"]):
            problems.append((_collection_line(text, place), message))
    if "credit" in values:
        from kehu.domain.credit import threshold_problems

        for place, message in threshold_problems(values["credit"]):
            problems.append((_nearest_line(text, ("credit", *place)), message))
    vocabularies = values.get("vocabulary", {})
    if not isinstance(vocabularies, dict):
        problem(("vocabulary",), _("vocabulary holds tables of words, like [vocabulary.channel]"))
        return problems
    for name, words in vocabularies.items():
        if name not in EXTENDABLE:
            unknown = _("unknown vocabulary {name}").format(name=name)
            problem(("vocabulary", name), _unknown(unknown, name, tuple(EXTENDABLE)))
        elif not isinstance(words, dict):
            problem(("vocabulary", name), _("vocabulary holds tables of words, like [vocabulary.channel]"))
        else:
            for line_key, message in _word_problems(name, words):
                problem(("vocabulary", name, *line_key), message)
    return problems


def _collection_line(text: str, place: tuple[str | int, ...]) -> int | None:
    """The line of a problem in the [collection] table: a band is the index-th [[collection.band]]
    (or the index-th table of an inline `band = [...]`, found as the key's line), a key in it the
    line setting it after that header."""
    if not place or not isinstance(place[0], int):
        return _line_of(text, ("collection", *(str(p) for p in place)))
    index, key = place[0], place[1] if len(place) > 1 else None
    band = ("collection", "band")
    headers = [n for n, line in enumerate(text.splitlines(), 1)
               if (found := _TABLE_LINE.match(line)) and _names(found[1]) == band]  # fmt: skip
    if index >= len(headers):
        return _line_of(text, ("collection", "band"))
    if key is None:
        return headers[index]
    end = headers[index + 1] if index + 1 < len(headers) else None
    for number, line in enumerate(text.splitlines(), 1):
        if number <= headers[index] or (end is not None and number >= end):
            continue
        if _TABLE_LINE.match(line):
            break
        setting = _KEY_VALUE_LINE.match(line)
        if setting is not None and _names(setting[1]) == (key,):
            return number
    return headers[index]


def _nearest_line(text: str, key: tuple[str, ...]) -> int | None:
    """The line of `key`, else of the nearest table or key above it that has one of its own: a
    key inside an inline table (`net_margin = { pass = 8, watch = 3 }`) is on the line setting
    the table."""
    for length in range(len(key), 0, -1):
        line = _line_of(text, key[:length])
        if line is not None:
            return line
    return None


def _unknown(message: str, given: str, known: tuple[str, ...]) -> str:
    """`message` and the known name closest to the one given, or all of them."""
    import difflib

    close = difflib.get_close_matches(given, known, n=1, cutoff=0.6)
    if close:
        return _("{problem}; did you mean {suggestion}?").format(problem=message, suggestion=close[0])
    return _("{problem}; one of: {choices}").format(problem=message, choices=", ".join(known))


def _word_problems(name: str, words: dict[str, Any]) -> list[tuple[tuple[str, ...], str]]:
    """What is wrong with the words a [vocabulary.NAME] table adds, each with its key."""
    return [((chinese,), problem) for chinese, _choice, problem in _added_words(name, words) if problem]


def _words(values: dict[str, Any]) -> dict[str, tuple[Choice, ...]]:
    """The choices each vocabulary table adds (_problems has found nothing wrong with them)."""
    return {
        name: tuple(choice for _chinese, choice, _problem in _added_words(name, table) if choice)
        for name, table in values.get("vocabulary", {}).items()
    }


def _added_words(name: str, words: dict[str, Any]) -> list[tuple[str, Choice | None, str | None]]:
    """Each word of a [vocabulary.NAME] table as (its Chinese, the choice it adds, what is wrong
    with it). A word kehu already has with the same meaning (钉钉 = "DingTalk" once kehu knows
    钉钉) adds nothing and is not wrong; one that would mean another choice is."""
    known = Vocabulary(name, EXTENDABLE[name].builtin())
    label = _VOCABULARY_LABELS[name][0 if is_chinese() else 1]
    result: list[tuple[str, Choice | None, str | None]] = []
    for chinese, english in words.items():
        if not isinstance(english, str):
            problem = _('a word is written as 快递 = "courier": the Chinese word, then the English in quotes')
            result.append((chinese, None, problem))
        elif not chinese.strip() or not english.strip():
            result.append((chinese, None, _("an empty word")))
        elif _has_chinese(english) and not _has_chinese(chinese):
            problem = _('the Chinese word goes first: {chinese} = "{english}"')
            result.append((chinese, None, problem.format(chinese=english.strip(), english=chinese.strip())))
        else:
            meanings = {word: known.code_of(word) for word in (chinese, english, word_code(english))}
            if set(meanings.values()) == {None}:
                choice = Choice(word_code(english), chinese.strip(), english.strip())
                known = Vocabulary(name, (*known.choices, choice))
                result.append((chinese, choice, None))
            elif len(set(meanings.values())) == 1:
                result.append((chinese, None, None))  # kehu's own word already
            else:
                word, code = next((word, code) for word, code in meanings.items() if code is not None)
                problem = _("{word} is already a {vocabulary} word: {meaning}")
                result.append((chinese, None, problem.format(word=word.strip(), vocabulary=label,
                                                             meaning=known.label(code))))  # fmt: skip
    return result


def _has_chinese(text: str) -> bool:
    return any("\u3400" <= character <= "\u9fff" or "\uf900" <= character <= "\ufaff" for character in text)
