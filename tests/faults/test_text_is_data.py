"""Text from users is data: stored verbatim, printed safely.

Names that look like SQL, Rich markup, format strings or shell are just names: stored and read
back byte for byte. Control characters (ESC sequences, OSC titles, BEL, CR, backspace, C1, bidi
overrides) in free text are stored verbatim too, and every table and card shows them as visible
escapes (`\\x1b[31m`), so that nothing from a cell ever acts on the terminal. Names with control
characters are refused with a clear message.

stderr is read as a terminal would get it (color=True: Click strips ANSI codes from what it
echoes only when the stream is not a terminal, which would hide the problem in a test).
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kehu.cli.app import app
from tests.conftest import TODAY
from tests.faults.malformed import CommandOnce

# What a terminal would act on: C0 controls but the line feed, DEL, C1, line/paragraph
# separators, and the bidi overrides and isolates.
UNSAFE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
SGR = re.compile(r"\x1b\[[0-9;]*m")  # the only escape sequences Rich itself writes for styles

HOSTILE_NAMES = (
    "x'; DROP TABLE customer;--",
    'Robert"); DROP TABLE contact; --',
    "' OR '1'='1",
    "1; DELETE FROM touch WHERE 1=1",
    "[bold red]markup[/] :smile:",
    "{name} {0} %s %(name)s",
    "$(rm -rf ~) `id` && echo",
    "<script>alert(1)</script>",
    "C:\\new\\table \\x1b[31m",
    "=cmd|' /C calc'!A0",
    "阿里巴巴（中国）有限公司",
    "شركة مرحبا שלום",
)  # zero-width characters are refused in names (issue 12): tests/faults/test_input_edges.py
CONTROL_TEXT = (
    "red \x1b[5;31mBLINK\x1b[0m title \x1b]0;pwned\x07 clear \x1b[2J cr\rover bs\bx del\x7f "
    "csi\x9b31m nel\x85 bidi\u202eevil\u202c iso\u2066x\u2069 ls\u2028end"
)
CONTROL_STEP = "call \x1b]0;title\x07 back \x1b[31m"


@pytest.fixture(scope="module", autouse=True)
def _command_built_once():
    with pytest.MonkeyPatch.context() as patch:
        CommandOnce.patch(patch)
        yield


@pytest.fixture
def term(db_path: Path):
    """Run kehu in-process; stderr and stdout as a terminal would receive them."""
    runner = CliRunner()

    def run(*args: str, env: dict | None = None):
        result = runner.invoke(app, ["--db", str(db_path), "--today", TODAY, *args], env=env, color=True)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result

    return run


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


def exported(term, what: str) -> list[dict]:
    return json.loads(ok(term("export", what, "--format", "json")).stdout)


def assert_safe(output: str, where: str) -> None:
    found = UNSAFE.search(output)
    assert found is None, f"{where}: {found.group()!r} reached the terminal in {output[:800]!r}"


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_names_are_stored_and_read_back_verbatim(term, name):
    ok(term("add", name, "--grade", "B", "--notes", name))
    ok(term("contact", "add", "1", name, "--title", name))
    ok(term("log", "1", name, "--outcome", name))
    [card] = exported(term, "customers")
    assert (card["name"], card["notes"]) == (name, name)
    [contact] = exported(term, "contacts")
    assert (contact["name"], contact["customer"], contact["title"]) == (name, name, name)
    [touch] = exported(term, "touches")
    assert (touch["summary"], touch["outcome"]) == (name, name)
    rows = list(csv.DictReader(io.StringIO(ok(term("list", "--format", "csv")).stdout)))
    assert [row["name"] for row in rows] == [name]
    shown = json.loads(ok(term("show", "1", "--format", "json")).stdout)
    assert shown["name"] == name and shown["contacts"][0]["name"] == name
    ok(term("check"))  # every table still there, integrity holds
    info = json.loads(ok(term("info", "--format", "json")).stdout)
    assert (info[0]["customers"], info[0]["contacts"]) == (1, 1)


@pytest.mark.parametrize("name", [n for n in HOSTILE_NAMES if n.isascii()])
def test_a_hostile_name_is_shown_literally_in_tables(term, name):
    ok(term("add", name))
    wide = {"COLUMNS": "200"}  # at 80 columns a long name wraps, which is not what this test is about
    table = ok(term("list", "--format", "table", env=wide)).stdout
    assert name in table  # markup not rendered, braces not formatted, backslashes kept
    card = ok(term("show", "1", "--format", "table", env=wide)).stdout
    assert name in card


def test_control_characters_in_text_are_stored_verbatim_and_never_reach_the_terminal(term):
    ok(term("add", "杭州海纳", "--notes", CONTROL_TEXT, "--address", CONTROL_TEXT))
    ok(term("contact", "add", "杭州海纳", "张伟", "--title", CONTROL_TEXT, "--notes", CONTROL_TEXT))
    ok(term("log", "杭州海纳", CONTROL_TEXT, "--outcome", CONTROL_TEXT, "--date", "2026-11-20",
            "--next", f"2026-11-22 {CONTROL_STEP}"))  # fmt: skip
    [card] = exported(term, "customers")
    assert card["notes"] == card["address"] == CONTROL_TEXT
    [contact] = exported(term, "contacts")
    assert contact["title"] == contact["notes"] == CONTROL_TEXT
    [touch] = exported(term, "touches")
    assert touch["summary"] == touch["outcome"] == CONTROL_TEXT and touch["next_step"] == CONTROL_STEP

    views = {
        "list": ("list", "--columns", "name,address,notes", "--format", "table"),
        "show": ("show", "杭州海纳", "--format", "table"),
        "contacts": ("contact", "list", "--format", "table"),
        "history": ("history", "杭州海纳", "--format", "table"),
        "followups": ("followups", "--format", "table"),
    }
    for where, args in views.items():
        out = ok(term(*args)).stdout
        assert_safe(out, where)
        if where != "followups":
            assert "\\x1b[5;31m" in out or "\\x1b]0;" in out, f"{where} dropped the text:\n{out}"
    wide = ok(term("followups", "--format", "table", env={"COLUMNS": "250"})).stdout
    assert_safe(wide, "followups")
    assert "\\x1b]0;title\\x07" in wide, wide


def test_with_colours_forced_the_only_escape_sequences_are_the_tables_own_styles(term):
    ok(term("add", "杭州海纳", "--notes", CONTROL_TEXT))
    ok(term("contact", "add", "杭州海纳", "张伟", "--title", CONTROL_TEXT))
    for args in (
        ("list", "--columns", "name,notes", "--format", "table"),
        ("show", "杭州海纳", "--format", "table"),
    ):
        out = ok(term(*args, env={"FORCE_COLOR": "1", "TERM": "xterm-256color"})).stdout
        assert_safe(SGR.sub("", out), " ".join(args))
        for sequence in ("\x1b[5;31m", "\x1b]0;", "\x07", "\x1b[2J", "\x9b"):
            assert sequence not in out


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_text_with_line_breaks_and_quotes_survives_export_and_import(term, tmp_path, fmt):
    """A carriage return in a note was exported bare (csv writes \\r unquoted when lines end in
    \\n), so that the import split the record there: export, import, export gave other bytes."""
    tricky = 'cr\rlf\ncrlf\r\n "quoted", tab\tend'
    ok(term("add", "杭州海纳", "--notes", tricky, "--address", CONTROL_TEXT))
    ok(term("add", "上海明远", "--notes", "only\rcarriage\rreturns"))
    first = ok(term("export", "customers", "--format", fmt)).stdout_bytes  # .stdout turns \r\n to \n
    path = tmp_path / f"out.{fmt}"
    path.write_bytes(first)
    other = CliRunner()
    again = ["--db", str(tmp_path / "other.db"), "--today", TODAY]
    ok(other.invoke(app, [*again, "import", "customers", str(path)]))
    assert ok(other.invoke(app, [*again, "export", "customers", "--format", fmt])).stdout_bytes == first
    cards = json.loads(ok(other.invoke(app, [*again, "export", "customers", "--format", "json"])).stdout)
    assert [(c["notes"], c["address"]) for c in cards] == [
        (tricky, CONTROL_TEXT),
        ("only\rcarriage\rreturns", None),
    ]


@pytest.mark.parametrize(
    "name",
    ["A\x1b[31mB", "A\x1b]0;title\x07", "A\rB", "A\bB", "A\x00B", "A\nB", "A\x7fB", "A\x1cB"],
    ids=["csi", "osc-bel", "cr", "backspace", "nul", "newline", "del", "file-separator"],
)
def test_a_name_with_control_characters_is_refused_clearly(term, name):
    result = term("add", name)
    assert result.exit_code == 2, result.stderr
    first = result.stderr.split("\n")[0]
    assert first.startswith("kehu: ") and ("control" in first or "NUL" in first), first
    assert_safe(result.stderr, "the refusal")
    assert exported(term, "customers") == []
    result = term("add", "杭州海纳")
    ok(result)
    assert term("contact", "add", "杭州海纳", name).exit_code == 2
    assert exported(term, "contacts") == []


@pytest.mark.parametrize("name", ["A\x9b31mB", "bidi\u202eevil"], ids=["c1-csi", "bidi-override"])
def test_a_name_with_c1_or_bidi_controls_is_refused_or_echoed_safely(term, name):
    result = term("add", name)
    assert result.exit_code == 2 or not UNSAFE.search(result.stderr), repr(result.stderr)


@pytest.mark.parametrize("filename", ["bad\x1b[31m.csv", "two\nlines.csv"], ids=["esc", "newline"])
def test_a_file_name_is_printed_safely_in_an_import_error(term, tmp_path, filename):
    path = tmp_path / filename
    path.write_text("name,grade\nA,Z\n")
    for target, code, lines in ((path, 65, 2), (tmp_path / f"missing {filename}", 66, 1)):
        result = term("import", "customers", str(target))
        assert result.exit_code == code
        assert_safe(result.stderr, "import error")
        assert len(result.stderr.splitlines()) == lines, result.stderr  # the message, then one bad row


def test_an_argument_that_is_not_utf8_is_a_usage_error(term, db_path):
    ok(term("add", "杭州海纳"))
    argv = [sys.executable, "-m", "kehu", "--db", str(db_path), "--today", TODAY, "edit", "杭州海纳"]
    done = subprocess.run([*argv, "--notes", b"A\x9bB"], capture_output=True, timeout=120)
    assert b"internal error" not in done.stderr and done.returncode == 2, done.stderr
