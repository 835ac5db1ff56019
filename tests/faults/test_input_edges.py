"""Input at the edges (issue 12, items 10, 12, 13): bad input is a one-line error with its exit
code, never an internal error; text from the book never acts on a terminal.

* Look-alike names: characters that show nothing (zero-width spaces and joiners, the BOM, bidi
  marks, tags, …) are refused in every name, and ignored when a name is looked up.
* Escapes: `export`, `--format csv/tsv` and `kehu info` escape control characters on a terminal
  (a real pseudo-terminal) and keep the data exact in a pipe; JSON writes them as JSON escapes.
* Edges: dates outside 1000-01-01..2999-12-31 (where date sums would overflow), amounts beyond
  the money columns, config and pipeline files that are not UTF-8, nested 3,000 deep or of the
  wrong kind, and an ASCII locale (LC_ALL=POSIX PYTHONUTF8=0).
"""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from kehu.domain.dates import (
    DateOutOfRange,
    DateParseError,
    parse_absolute_date,
    parse_date,
    parse_date_and_text,
)
from kehu.domain.names import name_key, pinyin_forms
from kehu.domain.values import parse_money, parse_name, parse_timestamp
from tests.conftest import TODAY

ESCAPES = "red \x1b[31mRED\x1b[0m title \x1b]0;pwned\x07 csi\x9b2J bidi\u202eevil\u202c"
# What a terminal acts on (as in test_text_is_data.py), the line feed aside.
UNSAFE = ("\x1b", "\x07", "\x9b", "\u202e", "\u202c")

INVISIBLE = {
    "zero-width-space": "\u200b",
    "zero-width-non-joiner": "\u200c",
    "zero-width-joiner": "\u200d",
    "left-to-right-mark": "\u200e",
    "word-joiner": "\u2060",
    "function-application": "\u2061",
    "invisible-plus": "\u2064",
    "bom": "\ufeff",
    "mongolian-vowel-separator": "\u180e",
    "soft-hyphen": "\u00ad",
    "arabic-letter-mark": "\u061c",
    "rtl-override": "\u202e",
    "first-strong-isolate": "\u2068",
    "tag-letter": "\U000e0041",
}


def one_line_error(stderr: str) -> str:
    """The whole of stderr, which must be one `kehu: …` line and no internal error."""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kehu: "), stderr
    assert "internal error" not in stderr and "Traceback" not in stderr, stderr
    return lines[0]


def run_in_terminal(args: list[str], env: dict[str, str] | None = None) -> tuple[int, bytes, str]:
    """Run `python -m kehu` with stdout on a pseudo-terminal: (exit code, what the terminal got, stderr)."""
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "kehu", *args],
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
    )
    os.close(slave)
    received = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        received += chunk
    os.close(master)
    stderr = process.stderr.read().decode("utf-8", "replace")
    process.stderr.close()
    return process.wait(timeout=60), received, stderr


# --- look-alike names (item 10) ----------------------------------------------------------------


@pytest.mark.parametrize("char", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_a_name_holding_an_invisible_character_is_refused(char):
    with pytest.raises(ValueError, match="invisible"):
        parse_name(f"杭州{char}海纳")


@pytest.mark.parametrize("char", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_names_that_differ_by_an_invisible_character_have_one_key(char):
    assert name_key(f"杭州{char}海纳") == name_key("杭州海纳") == "杭州海纳"
    assert name_key(f"Acme{char} Ltd") == name_key("acme ltd")
    assert pinyin_forms(f"杭州{char}海纳") == pinyin_forms("杭州海纳")


@pytest.mark.parametrize("char", ["\u200b", "\u200d", "\u2060", "\ufeff"], ids=["zwsp", "zwj", "wj", "bom"])
def test_every_command_that_takes_a_name_refuses_one_with_a_zero_width_character(kehu, tmp_path, char):
    look_alike = f"杭州{char}海纳"
    assert kehu("add", "上海明远").exit_code == 0
    for args in (
        ("add", look_alike),
        ("edit", "上海明远", "--name", look_alike),
        ("contact", "add", "上海明远", f"张{char}伟"),
    ):
        result = kehu(*args)
        assert result.exit_code == 2, (args, result.stderr)
        assert "invisible" in one_line_error(result.stderr)
    # (A BOM inside a file is refused by the reader already, as two files joined: any message.)
    said = "invisible" if char != "\ufeff" else ""
    path = tmp_path / "customers.csv"
    path.write_text(f"客户名称,备注\n{look_alike},x\n", encoding="utf-8")
    result = kehu("import", "customers", str(path))
    assert result.exit_code == 65 and said in result.stderr, result.stderr
    path.write_text(f"客户名称,姓名\n上海明远,张{char}伟\n", encoding="utf-8")
    result = kehu("import", "contacts", str(path))
    assert result.exit_code == 65 and said in result.stderr, result.stderr
    exported = json.loads(kehu("export", "customers", "--format", "json").stdout)
    assert [card["name"] for card in exported] == ["上海明远"]
    assert json.loads(kehu("export", "contacts", "--format", "json").stdout) == []


def test_a_name_typed_or_imported_with_a_zero_width_character_finds_the_customer(kehu, tmp_path):
    assert kehu("add", "杭州海纳").exit_code == 0
    shown = kehu("show", "杭州\u200b海纳", "--format", "json")
    assert shown.exit_code == 0, shown.stderr
    assert json.loads(shown.stdout)["name"] == "杭州海纳"
    # A contact file whose customer cells carry a zero-width space or joiner still names 杭州海纳.
    path = tmp_path / "contacts.csv"
    path.write_text("客户名称,姓名\n杭州海纳\u2060,张伟\n杭州\u200b海纳,李娜\n", encoding="utf-8")
    result = kehu("import", "contacts", str(path))
    assert result.exit_code == 0, result.stderr
    contacts = json.loads(kehu("export", "contacts", "--format", "json").stdout)
    assert [(c["customer"], c["name"]) for c in contacts] == [("杭州海纳", "张伟"), ("杭州海纳", "李娜")]


def test_zero_width_characters_in_notes_are_kept_as_they_are(kehu):
    notes = "家庭\u200d👩\u200d👧 照片\u200b见微信\ufeff"
    assert kehu("add", "杭州海纳", "--notes", notes).exit_code == 0
    [card] = json.loads(kehu("export", "customers", "--format", "json").stdout)
    assert card["notes"] == notes


# --- escapes on a terminal, exact data in a pipe (item 12) --------------------------------------


@pytest.fixture
def hostile_book(kehu, target_db):
    assert kehu("add", "杭州海纳", "--notes", ESCAPES).exit_code == 0
    assert kehu("contact", "add", "杭州海纳", "张伟", "--title", ESCAPES).exit_code == 0
    assert kehu("log", "杭州海纳", ESCAPES).exit_code == 0
    return ["--db", target_db, "--today", TODAY]


@pytest.mark.parametrize(
    "args",
    [
        ("export", "customers"),
        ("export", "contacts"),
        ("export", "touches"),
        ("export", "customers", "--format", "tsv"),
        ("export", "customers", "--excel"),
        ("list", "--format", "csv"),
        ("list", "--format", "tsv"),
        ("contact", "list", "--format", "csv"),
        ("history", "杭州海纳", "--format", "csv"),
    ],
    ids=lambda args: "-".join(args),
)
def test_csv_and_tsv_on_a_terminal_show_control_characters_escaped(hostile_book, kehu_process, args):
    code, shown, stderr = run_in_terminal([*hostile_book, *args])
    assert code == 0, stderr
    text = shown.decode("utf-8")
    for char in UNSAFE:
        assert char not in text, (char, text)
    assert "\\x1b[31mRED" in text and "\\x9b2J" in text and "\\u202eevil" in text, text
    piped = kehu_process(*args)  # the same command into a pipe: the data as it is
    assert piped.returncode == 0, piped.stderr
    assert ESCAPES in piped.stdout.decode("utf-8-sig")


def test_a_csv_export_in_a_pipe_is_the_exact_data(hostile_book, kehu_process):
    piped = kehu_process("export", "customers")
    [row] = list(csv.DictReader(io.StringIO(piped.stdout.decode("utf-8"))))
    assert row["notes"] == ESCAPES


@pytest.mark.parametrize(
    "args",
    [
        ("export", "customers", "--format", "json"),
        ("export", "contacts", "--format", "jsonl"),
        ("list", "--format", "json"),
        ("show", "杭州海纳", "--format", "json"),
    ],
    ids=lambda args: "-".join(args),
)
def test_json_writes_control_characters_as_json_escapes_even_in_a_pipe(hostile_book, kehu_process, args):
    """`kehu export --format json | cat` reaches a terminal too: JSON escapes are the same data."""
    piped = kehu_process(*args)
    assert piped.returncode == 0, piped.stderr
    text = piped.stdout.decode("utf-8")
    for char in UNSAFE:
        assert char not in text, (char, text)
    first = text.splitlines()[0] if args[-1] == "jsonl" else text
    data = json.loads(first)
    record = data[0] if isinstance(data, list) else data
    assert ESCAPES in (record.get("notes"), record.get("title"))


def test_info_shows_the_user_from_the_environment_escaped(kehu, target_db, kehu_process):
    assert kehu("add", "杭州海纳").exit_code == 0
    user = "王磊\x1b]0;pwned\x07\x1b[2J"
    code, shown, stderr = run_in_terminal(["--db", target_db, "info"], env={"KEHU_USER": user})
    assert code == 0, stderr
    text = shown.decode("utf-8")
    assert "\x1b" not in text and "\x07" not in text, text
    assert "王磊\\x1b]0;pwned\\x07\\x1b[2J" in text, text
    code, shown, stderr = run_in_terminal(
        ["--db", target_db, "info", "--format", "csv"], env={"KEHU_USER": user}
    )
    assert code == 0 and b"\x1b" not in shown and "王磊\\x1b]0;pwned" in shown.decode("utf-8"), shown
    piped = kehu_process("info", "--format", "csv", env={"KEHU_USER": user})
    assert piped.returncode == 0 and user in piped.stdout.decode("utf-8"), piped


# --- dates and amounts at the edges (item 13) ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "today"),
    [
        ("9999-12-31", date(2026, 1, 1)),
        ("3000-01-01", date(2026, 1, 1)),
        ("0999-12-31", date(2026, 1, 1)),
        ("0001-01-01", date(2026, 1, 1)),
        ("+999y", date(2026, 1, 1)),
        ("明天", date(2999, 12, 31)),
        ("下周一", date(2999, 12, 31)),
        ("上周一", date(1000, 1, 1)),
        ("-1d", date(1000, 1, 1)),
    ],
)
def test_a_date_outside_the_range_kehu_keeps_is_refused_saying_so(text, today):
    with pytest.raises(DateOutOfRange, match="out of range.*1000-01-01 to 2999-12-31"):
        parse_date(text, today)
    assert issubclass(DateOutOfRange, DateParseError)  # every caller of the parser handles it


def test_the_first_and_last_dates_kehu_keeps_are_accepted():
    assert parse_absolute_date("1000-01-01") == date(1000, 1, 1)
    assert parse_absolute_date("2999-12-31") == date(2999, 12, 31)
    assert parse_date("明天", date(2999, 12, 30)) == date(2999, 12, 31)
    with pytest.raises(DateOutOfRange):
        parse_absolute_date("9999-12-31")
    with pytest.raises(DateOutOfRange, match="9999-12-31"):
        parse_date_and_text("9999-12-31 送样品", date(2026, 1, 1))


@pytest.mark.parametrize(
    "text",
    [
        "9999-12-31T23:00:00-05:00",
        "0001-01-01T00:00:00+05:00",
        "2999-12-31T23:30:00-01:00",
        "3000-01-01T00:00:00Z",
    ],
)
def test_a_moment_outside_the_range_is_refused_not_an_overflow(text):
    with pytest.raises(ValueError, match="out of range"):
        parse_timestamp(text)


@pytest.mark.parametrize(
    "args",
    [
        ("--today", "9999-12-31", "followups", "week"),
        ("--today", "0001-01-01", "followups", "week"),
        ("contract", "add", "杭州海纳", "--amount", "100000", "--signed", "9999-12-31", "--terms", "30"),
        (
            "contract",
            "add",
            "杭州海纳",
            "--amount",
            "100000",
            "--signed",
            "2026-11-01",
            "--due",
            "9999-12-31",
        ),
        ("log", "杭州海纳", "call", "--next", "9999-12-31 送样品"),
        ("snooze", "杭州海纳", "+1000y"),
        ("edit", "杭州海纳", "--expected-close", "9999-12-31"),
    ],
    ids=["today-followups-week", "first-day-followups-week", "signed-terms", "due", "next", "snooze", "edit"],
)
def test_a_date_out_of_range_on_the_command_line_is_a_usage_error(kehu, kehu_process, args):
    assert kehu("add", "杭州海纳").exit_code == 0
    result = kehu_process(*args, env={"KEHU_TODAY": ""})
    assert result.returncode == 2, result.stderr
    assert "out of range" in one_line_error(result.stderr.decode("utf-8"))


@pytest.mark.parametrize("today", ["2999-12-31", "1000-01-01"])
def test_the_agenda_works_on_the_first_and_last_days(on, today):
    assert on(today, "add", "杭州海纳", "--grade", "A").exit_code == 0
    assert on(today, "contract", "add", "杭州海纳", "--amount", "1万", "--terms", "365").exit_code == 0
    for args in (("followups", "week"), ("followups",), ("report", "ar"), ("contract", "list")):
        result = on(today, *args)
        assert result.exit_code == 0, (args, result.stderr)


@pytest.mark.parametrize(
    "text", ["1000000000000000000000000000", "1" + "0" * 40 + "亿", "1000000000000000.00"]
)
def test_an_amount_beyond_the_money_columns_is_refused(text):
    with pytest.raises(ValueError, match="too large"):
        parse_money(text)
    assert parse_money("999999999999999.99") == Decimal("999999999999999.99")


def test_an_amount_of_ten_to_the_27_is_a_usage_error_or_a_bad_line(kehu, tmp_path):
    assert kehu("add", "杭州海纳").exit_code == 0
    result = kehu("contract", "add", "杭州海纳", "--amount", str(10**27), "--terms", "30")
    assert result.exit_code == 2 and "too large" in one_line_error(result.stderr), result.stderr
    result = kehu("edit", "杭州海纳", "--expected-value", str(10**27))
    assert result.exit_code == 2 and "too large" in one_line_error(result.stderr), result.stderr
    path = tmp_path / "customers.csv"
    path.write_text(
        f"客户名称,预计成交额,预计成交日期\n上海明远,{10**27},\n南京远景,1万,9999-12-31\n", encoding="utf-8"
    )
    result = kehu("import", "customers", str(path))
    assert result.exit_code == 65, result.stderr
    assert "line 2" in result.stderr and "too large" in result.stderr, result.stderr
    assert "line 3" in result.stderr and "out of range" in result.stderr, result.stderr
    assert "internal error" not in result.stderr


# --- config and pipeline files (item 13) --------------------------------------------------------


@pytest.fixture
def config_file() -> Path:
    path = Path(os.environ["KEHU_CONFIG"])
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


@pytest.mark.parametrize(
    ("content", "mentions"),
    [
        (b"lost_reasons = 5\n", "lost_reasons must be a list of texts"),
        (b"lost_reasons = [5, {a = 1}]\n", "lost_reasons must be a list of texts"),
        (b'workdays = "yes"\n', "workdays must be true or false"),
        ('lost_reasons = ["老板不喜欢"]\n# 注释\n'.encode("gbk"), "not UTF-8"),
        (b"x = " + b"[" * 3000 + b"]" * 3000 + b"\n", "nested too deeply"),
        (b"x = " + b"{a = " * 3000 + b"}" * 3000 + b"\n", "nested too deeply"),
    ],
    ids=["lost-reasons-number", "lost-reasons-mixed", "workdays-text", "gbk", "arrays-3000", "tables-3000"],
)
def test_a_bad_config_file_is_a_config_error(kehu, kehu_process, config_file, content, mentions):
    assert kehu("add", "杭州海纳").exit_code == 0
    config_file.write_bytes(content)
    result = kehu_process("lost", "杭州海纳", "--reason", "老板不喜欢")
    assert result.returncode == 78, result.stderr
    line = one_line_error(result.stderr.decode("utf-8"))
    assert mentions in line and str(config_file) in line


@pytest.mark.parametrize(
    ("content", "mentions"),
    [
        ('key = "mine"\nname_zh = "我的"\n'.encode("gbk"), "not UTF-8"),
        (b'key = "deep"\nname_en = "d"\nx = ' + b"[" * 3000 + b"]" * 3000 + b"\n", "nested too deeply"),
        (b'key = "deep"\nname_en = "d"\nx = ' + b"{a = " * 3000 + b"}" * 3000 + b"\n", "nested too deeply"),
    ],
    ids=["gbk", "arrays-3000", "tables-3000"],
)
def test_a_bad_pipeline_file_is_a_config_error(kehu, config_file, tmp_path, content, mentions):
    folder = config_file.parent / "pipelines"
    folder.mkdir()
    (folder / "mine.toml").write_bytes(content)
    result = kehu("pipeline", "list")
    assert result.exit_code == 78, result.stderr
    assert "internal error" not in result.stderr and mentions in result.stderr, result.stderr
    (folder / "mine.toml").unlink()
    other = tmp_path / "other.toml"
    other.write_bytes(content)
    result = kehu("pipeline", "use", "--file", str(other))
    assert result.exit_code == 78 and mentions in result.stderr, result.stderr
    assert not folder.joinpath("mine.toml").exists() and not folder.joinpath("deep.toml").exists()


# --- an ASCII locale (item 13) ------------------------------------------------------------------

ASCII_LOCALE = {"LC_ALL": "POSIX", "LANG": "POSIX", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}


def test_under_an_ascii_locale_output_to_a_pipe_is_utf8(kehu, kehu_process):
    assert kehu("add", "杭州海纳", "--notes", "备注 ☕").exit_code == 0
    for args in (("list",), ("show", "hzhn"), ("export", "customers", "--format", "json"), ("--help",)):
        result = kehu_process(*args, env=ASCII_LOCALE)
        assert result.returncode == 0, (args, result.stderr)
        assert b"internal error" not in result.stderr and b"Traceback" not in result.stderr
        text = result.stdout.decode("utf-8")  # UTF-8, whatever the locale: the data exact
        assert "杭州海纳" in text, text  # the help's example names 杭州海纳科技


def test_under_an_ascii_locale_a_terminal_gets_escapes(kehu, target_db):
    assert kehu("add", "杭州海纳").exit_code == 0
    for args in (["list", "--format", "table"], ["show", "hzhn"], ["--help"]):
        code, shown, stderr = run_in_terminal(["--db", target_db, *args], env=ASCII_LOCALE)
        assert code == 0, (args, stderr)
        assert shown.isascii(), shown
        assert b"\\u676d\\u5dde" in shown, shown  # 杭州, in a card or in the help's example


def test_under_an_ascii_locale_a_chinese_argument_is_refused_saying_what_to_change(kehu, kehu_process):
    assert kehu("add", "杭州海纳").exit_code == 0
    result = kehu_process("show", "杭州海纳", env=ASCII_LOCALE)
    assert result.returncode == 2, result.stderr
    line = one_line_error(result.stderr.decode("utf-8"))  # stderr in a pipe is UTF-8 too
    assert "UTF-8 locale" in line and "杭州海纳" in line, line


@pytest.mark.parametrize(
    ("encoding", "read_as"), [("gbk", "gb18030"), ("latin-1", "utf-8"), ("ascii", "utf-8")]
)
def test_a_pipe_in_a_narrow_encoding_gets_every_character_exactly(kehu, kehu_process, encoding, read_as):
    """GBK cannot write a zero-width space or an emoji: the pipe gets GB18030 (GBK's own bytes
    for all GBK has); one that cannot write Chinese at all gets UTF-8."""
    notes = "照片\u200b见微信 ☕"
    assert kehu("add", "杭州海纳", "--notes", notes).exit_code == 0
    result = kehu_process("export", "customers", env={"PYTHONIOENCODING": encoding})
    assert result.returncode == 0, result.stderr
    [row] = list(csv.DictReader(io.StringIO(result.stdout.decode(read_as))))
    assert (row["name"], row["notes"]) == ("杭州海纳", notes)
    if encoding == "gbk":
        assert "杭州海纳".encode("gbk") in result.stdout
