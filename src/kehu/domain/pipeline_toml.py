"""User pipelines written in TOML (the format is in kehu.domain.pipelines), checked with every
problem reported as "line N: what is wrong"."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kehu.domain.stages import Pipeline, Stage, _show
from kehu.i18n import _

if TYPE_CHECKING:
    import tomllib

# DOMAIN §3's slowest active cadence (D: monthly): a stage untouched for a month deserves a look.
DEFAULT_MAX_IDLE_DAYS = 30

_KEY_PATTERN = re.compile(r"[a-z0-9_-]+")
_PIPELINE_FIELDS = ("key", "name_zh", "name_en", "stage")
_STAGE_FIELDS = (
    "key",
    "name_zh",
    "name_en",
    "probability",
    "start_marker_zh",
    "start_marker_en",
    "end_marker_zh",
    "end_marker_en",
    "questions_zh",
    "questions_en",
    "max_idle_days",
)


class PipelineError(ValueError):
    """A pipeline file that cannot be used; `lines` holds every problem, each "line N: what is wrong"."""

    def __init__(self, source: str, lines: list[str]) -> None:
        self.source = source
        self.lines = lines
        super().__init__("\n".join(f"{source}: {line}" for line in lines))


@dataclass
class _Section:
    """Where a table of the file starts, and the line of each key in it (first occurrence)."""

    line: int
    keys: dict[str, int] = field(default_factory=dict)

    def where(self, name: str) -> int:
        return self.keys.get(name, self.line)


_TABLE_HEADER = re.compile(r"^\s*\[(?P<array>\[)?\s*(?P<name>[^\]]+?)\s*\]")
_KEY_LINE = re.compile(
    r"""^\s*(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)'|(?P<bare>[A-Za-z_][\w-]*))\s*[.=]"""
)


def _scan(text: str) -> tuple[_Section, list[_Section]]:
    """The top level and each [[stage]] table of an already valid TOML text, with their lines.

    tomllib gives no positions for values, so this small scanner finds them: table headers, and
    lines starting with a key. It skips the inside of multi-line strings, where a line may look
    like a key; a key inside a multi-line array or inline table is not recorded (the caller then
    falls back to its table's header line).
    """
    top = _Section(1)
    stages: list[_Section] = []
    current = top
    closing: str | None = None  # the delimiter of the multi-line string being skipped
    for number, line in enumerate(text.splitlines(), start=1):
        if closing is not None:
            if closing in line:
                closing = None
            continue
        header = _TABLE_HEADER.match(line)
        if header:
            path = [part.strip().strip("\"'") for part in header["name"].split(".")]
            if path == ["stage"] and header["array"]:
                top.keys.setdefault("stage", number)
                current = _Section(number)
                stages.append(current)
            elif path[0] == "stage" and len(path) > 1 and stages:
                stages[-1].keys.setdefault(path[1], number)  # [stage.x] adds field x to the last stage
                current = _Section(number)
            else:
                top.keys.setdefault(path[0], number)
                current = _Section(number)
            continue
        key = _KEY_LINE.match(line)
        if key:
            name = next(part for part in (key["double"], key["single"], key["bare"]) if part is not None)
            current.keys.setdefault(name, number)
            rest = line[key.end() :]
            for delimiter in ('"""', "'''"):
                if rest.count(delimiter) % 2 == 1:
                    closing = delimiter
                    break
    return top, stages


_AT_LINE = re.compile(r"\s*\(at line (?P<line>\d+), column \d+\)$")
_AT_END = re.compile(r"\s*\(at end of document\)$")


def _syntax_error(error: tomllib.TOMLDecodeError, text: str) -> tuple[int, str]:
    """The line and the reason of a tomllib error (its message ends with where it happened)."""
    message = str(error)
    at_line = _AT_LINE.search(message)
    if at_line:
        return int(at_line["line"]), message[: at_line.start()]
    at_end = _AT_END.search(message)
    if at_end:
        return max(1, len(text.splitlines())), message[: at_end.start()]
    return 1, message


class _Checker:
    """Reads fields out of parsed tables, collecting every problem with its line."""

    def __init__(self) -> None:
        self.problems: list[tuple[int, str]] = []

    def report(self, line: int, reason: str) -> None:
        self.problems.append((line, reason))

    def text(self, table: dict, section: _Section, name: str) -> str:
        value = table.get(name, "")
        if not isinstance(value, str):
            self.report(section.where(name), _("{field} must be text").format(field=name))
            return ""
        return value.strip()

    def texts(self, table: dict, section: _Section, name: str) -> tuple[str, ...]:
        value = table.get(name, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.report(section.where(name), _("{field} must be a list of texts").format(field=name))
            return ()
        return tuple(item.strip() for item in value if item.strip())

    def key(self, table: dict, section: _Section) -> str:
        if "key" not in table:
            self.report(section.line, _("missing {field}").format(field="key"))
            return ""
        key = self.text(table, section, "key")
        if not isinstance(table["key"], str):
            return ""
        if not key:
            self.report(section.where("key"), _("missing {field}").format(field="key"))
        elif not _KEY_PATTERN.fullmatch(key):
            self.report(
                section.where("key"), _("key {value} may only use a-z, 0-9, _ and -").format(value=_show(key))
            )
        return key

    def name(self, table: dict, section: _Section) -> tuple[str, str]:
        zh, en = self.pair(table, section, "name")
        # A name of the wrong type is already reported; a blank or absent one is reported here.
        if not zh and all(isinstance(table.get(field, ""), str) for field in ("name_zh", "name_en")):
            self.report(section.line, _("missing name: give name_zh, name_en or both"))
        return zh, en

    def pair(self, table: dict, section: _Section, prefix: str) -> tuple[str, str]:
        # One language is enough: the other shows the same text.
        zh = self.text(table, section, prefix + "_zh")
        en = self.text(table, section, prefix + "_en")
        return zh or en, en or zh

    def stage(self, table: dict, section: _Section) -> tuple[Stage, bool]:
        """The stage a [[stage]] table describes, and whether its probability is valid.

        Problems are reported; a field in error is given a stand-in value so that checking goes on.
        """
        key = self.key(table, section)
        zh, en = self.name(table, section)
        probability = table.get("probability")
        probability_ok = False
        if probability is None:
            self.report(section.line, _("missing {field}").format(field="probability"))
        elif (
            isinstance(probability, bool)
            or not isinstance(probability, int | float)
            or not 0 <= probability <= 1
        ):
            self.report(
                section.where("probability"),
                _("probability must be a number from 0 to 1, not {value}").format(value=_show(probability)),
            )
        else:
            probability_ok = True
        idle = table.get("max_idle_days", DEFAULT_MAX_IDLE_DAYS)
        if isinstance(idle, bool) or not isinstance(idle, int) or idle < 1:
            self.report(
                section.where("max_idle_days"),
                _("max_idle_days must be a whole number of days above 0, not {value}").format(
                    value=_show(idle)
                ),
            )
            idle = DEFAULT_MAX_IDLE_DAYS
        start = self.pair(table, section, "start_marker")
        end = self.pair(table, section, "end_marker")
        questions_zh = self.texts(table, section, "questions_zh")
        questions_en = self.texts(table, section, "questions_en")
        self.unknown_fields(table, section, _STAGE_FIELDS)
        stage = Stage(
            key=key,
            zh=zh,
            en=en,
            probability=float(probability) if probability_ok else 0.0,
            start_marker_zh=start[0],
            start_marker_en=start[1],
            end_marker_zh=end[0],
            end_marker_en=end[1],
            questions_zh=questions_zh or questions_en,
            questions_en=questions_en or questions_zh,
            max_idle_days=idle,
        )
        return stage, probability_ok

    def unknown_fields(self, table: dict, section: _Section, known: tuple[str, ...]) -> None:
        for name in table:
            if name not in known:
                self.report(
                    section.where(name),
                    _("unknown field {name} (known: {fields})").format(
                        name=_show(name), fields=", ".join(known)
                    ),
                )


def load_pipeline_toml(text: str, *, source: str = "<toml>") -> Pipeline:
    """The user pipeline a TOML text describes (format in the module docstring).

    Raises PipelineError with every problem found, sorted by line: a syntax error alone (nothing
    else can be checked), or all of the missing, mistyped, out-of-range, duplicate and unknown
    fields, each on the line of its key or of its stage's [[stage]] header. Problems of the whole
    file (no key, no name, no stages) are on line 1. `source` names the file in the message.
    """
    import tomllib  # only when a user pipeline is read: 3 ms of every command's start otherwise

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line, reason = _syntax_error(error, text)
        problem = _("TOML syntax error: {error}").format(error=reason)
        raise PipelineError(source, [_("line {line}: {reason}").format(line=line, reason=problem)]) from None
    except RecursionError:  # tomllib reads nested arrays and tables by recursion
        problem = _("nested too deeply")
        raise PipelineError(source, [_("line {line}: {reason}").format(line=1, reason=problem)]) from None
    top, sections = _scan(text)
    check = _Checker()

    key = check.key(data, top)
    zh, en = check.name(data, top)
    check.unknown_fields(data, top, _PIPELINE_FIELDS)

    tables = data.get("stage", [])
    if not isinstance(tables, list) or not all(isinstance(table, dict) for table in tables):
        check.report(top.where("stage"), _("stage must be written as [[stage]] tables"))
        tables = []
    elif not tables:
        check.report(top.line, _("no stages: add at least one [[stage]] table"))

    stages: list[Stage] = []
    first_line: dict[str, int] = {}  # stage key → the line it was first given on
    previous: Stage | None = None  # the last stage with a valid probability
    for position, table in enumerate(tables):
        # An inline `stage = [{...}]` has no [[stage]] headers: its problems go on the `stage` line.
        section = sections[position] if position < len(sections) else _Section(top.where("stage"))
        stage, probability_ok = check.stage(table, section)
        if stage.key in first_line:
            check.report(
                section.where("key"),
                _("duplicate stage key {value} (first on line {line})").format(
                    value=_show(stage.key), line=first_line[stage.key]
                ),
            )
        elif stage.key:
            first_line[stage.key] = section.where("key")
        if probability_ok:
            if previous is not None and stage.probability < previous.probability:
                check.report(
                    section.where("probability"),
                    _("probability {value} is lower than {previous} of the stage before").format(
                        value=_show(stage.probability), previous=_show(previous.probability)
                    ),
                )
            previous = stage
        stages.append(stage)

    if check.problems:
        problems = sorted(check.problems, key=lambda problem: problem[0])
        raise PipelineError(
            source, [_("line {line}: {reason}").format(line=line, reason=reason) for line, reason in problems]
        )
    from kehu.domain.builtin_pipelines import with_after_sale  # 维护 follows every pipeline

    return with_after_sale(Pipeline(key=key, zh=zh, en=en, stages=tuple(stages), builtin=False))
