"""Property tests (Hypothesis) of the two parsers that read what people type and what files hold.

The date parser: any text, any today, gives a date or a DateParseError (one line, quoting the
text safely), never another exception; and the forms it documents mean what they say.

The CSV importer: generated files (headers from the real alias sets, cells with quotes, line
breaks, CJK and control characters; and plain random bytes) through the real `kehu import` on a
fresh copy of a book: exit 0 or 65, never a traceback, and on 65 the database is byte-identical.
"""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from kehu.cli.app import app
from kehu.domain.dates import (
    FIRST_DATE,
    LAST_DATE,
    DateParseError,
    parse_absolute_date,
    parse_date,
    parse_date_and_text,
)
from kehu.domain.fields import CONTACT_FIELDS, CUSTOMER_FIELDS, TOUCH_FIELDS
from kehu.domain.names import name_key
from kehu.errors import KehuError
from kehu.io.csv_in import decode, parse_file
from tests.conftest import TODAY
from tests.faults.malformed import SEED_CONTACT, SEED_CUSTOMER, CommandOnce, Snapshot, make_book

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CLI = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
UNSAFE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

# --- the date parser --------------------------------------------------------------------------

DATE_WORDS = (
    "2026", "12", "1", "31", "0", "-", "/", ".", "年", "月", "日", "号", "天", "周", "星期", "礼拜", "个",
    "后", "前", "之", "以", "上", "下", "本", "这", "今", "明", "去", "初", "底", "末", "半", "零", "〇",
    "一", "二", "两", "三", "十", "九", "百", "万", "+", "d", "w", "m", "y", " ", "next", "last", "this",
    "monday", "fri", "today", "明天", "后天", "大前天", "２０２６", "１２", "－", "＋", "①", "\u3000",
)  # fmt: skip
date_texts = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.sampled_from("".join(DATE_WORDS)), max_size=14),
    st.lists(st.sampled_from(DATE_WORDS), max_size=7).map("".join),
)
any_day = st.dates()
usual_day = st.dates(date(1900, 1, 1), date(2200, 12, 31))
CN_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """0-99 as a salesperson writes them: 七, 十, 十五, 二十, 九十九."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def parsed_or_none(text: str, today: date) -> date | None:
    try:
        return parse_date(text, today)
    except DateParseError:
        return None


@FAST
@given(date_texts, any_day)
@example("9999-12-31", date.max)
@example("明天", date.max)
@example("上周一", date.min)
@example("+9999y", date(2026, 1, 1))
@example("九十九个月后", date(9999, 1, 1))
@example("一百天后", date(2026, 1, 1))
@example("\x00", date(2026, 1, 1))
def test_the_date_parser_returns_a_date_or_a_date_parse_error(text, today):
    for parse in (lambda: parse_date(text, today), lambda: parse_absolute_date(text)):
        try:
            assert isinstance(parse(), date)
        except DateParseError as error:
            message = str(error)
            assert message and "\n" not in message and not UNSAFE.search(message)
    try:
        day, rest = parse_date_and_text(text, today)
        assert isinstance(day, date) and isinstance(rest, str)
    except DateParseError:
        pass


@FAST
@given(st.dates(FIRST_DATE, LAST_DATE), usual_day)  # the dates kehu keeps (others: test_input_edges.py)
def test_a_date_with_its_full_year_means_that_date_whatever_today_is(day, today):
    y, m, d = f"{day.year:04d}", day.month, day.day
    forms = [day.isoformat(), f"{y}/{m}/{d}", f"{y}.{m:02d}.{d}", f"{y}年{m}月{d}日", f"{y}年{m}月{d}号",
             f"{y}{m:02d}{d:02d}", f"  {day.isoformat()}\t"]  # fmt: skip
    forms.append(forms[0].translate(str.maketrans("0123456789-", "０１２３４５６７８９－")))
    for form in forms:
        assert parse_date(form, today) == day, form
        assert parse_absolute_date(form) == day, form


@FAST
@given(usual_day, st.integers(0, 3650))
def test_offsets_in_days_and_weeks_count_from_today(today, n):
    later, earlier = today + timedelta(days=n), today - timedelta(days=n)
    assert parse_date(f"{n}天后", today) == later
    assert parse_date(f"{n} 天 后", today) == later
    assert parse_date(f"+{n}d", today) == later
    assert parse_date(f"{n}天前", today) == earlier
    assert parse_date(f"-{n}d", today) == earlier
    if n < 100:
        assert parse_date(f"{chinese_numeral(n)}天后", today) == later
        assert parse_date(f"{chinese_numeral(n)}周后", today) == today + timedelta(weeks=n)


@FAST
@given(usual_day, st.integers(1, 7))
def test_weekdays_fall_in_this_next_or_last_monday_to_sunday_week(today, weekday):
    this_week = parse_date(f"周{weekday}", today)
    monday = today - timedelta(days=today.weekday())
    assert this_week.weekday() == weekday - 1
    assert monday <= this_week <= monday + timedelta(days=6)
    day = "一二三四五六日"[weekday - 1]
    assert parse_date(f"星期{day}", today) == this_week
    assert parse_date(f"下周{day}", today) == this_week + timedelta(weeks=1)
    assert parse_date(f"上周{day}", today) == this_week - timedelta(weeks=1)
    english = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")[weekday - 1]
    assert parse_date(f"Next  {english.upper()}", today) == this_week + timedelta(weeks=1)


@FAST
@given(usual_day)
def test_month_and_year_edges(today):
    end = parse_date("月底", today)
    assert (end.year, end.month) == (today.year, today.month) and (end + timedelta(days=1)).day == 1
    assert parse_date("月初", today) == today.replace(day=1)
    assert parse_date("下月初", today) == end + timedelta(days=1)
    assert parse_date("年底", today) == date(today.year, 12, 31)
    assert parse_date("明年初", today) == date(today.year + 1, 1, 1)


@FAST
@given(usual_day, st.integers(0, 13), st.integers(0, 32))
def test_a_month_day_without_year_is_in_todays_year_or_refused(today, month, day):
    try:
        expected = date(today.year, month, day)
    except ValueError:
        expected = None
    for form in (f"{month}-{day}", f"{month}/{day}", f"{month}月{day}日"):
        assert parsed_or_none(form, today) == expected, form


READABLE = (
    "2026-12-01", "2026/12/1", "2026年12月1日", "20261201", "12-01", "12月1日", "3月5号", "5号", "明天",
    "大后天", "昨天", "3天后", "两周前", "3个月后", "半年后", "半个月后", "+2w", "-3d", "1m", "周五",
    "下周三", "上上周一", "下个礼拜天", "this friday", "next monday", "last sun", "月底", "下月初",
    "年底", "明年初", "十五天后", "九十九天前",
)  # fmt: skip


@FAST
@given(st.sampled_from(READABLE), usual_day)
def test_white_space_and_full_width_forms_do_not_change_the_answer(text, today):
    plain = parsed_or_none(text, today)
    assert plain is not None, text
    assert parsed_or_none(f" {text}\u3000", today) == plain
    full_width = text.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
    assert parsed_or_none(full_width, today) == plain


# --- the CSV importer, in-process and pure ------------------------------------------------------

KINDS = {"customers": CUSTOMER_FIELDS, "contacts": CONTACT_FIELDS, "touches": TOUCH_FIELDS}
REQUIRED = {"customers": ("name",), "contacts": ("customer", "name"),
            "touches": ("customer", "happened_on", "summary")}  # fmt: skip
HEADER_WORDS = {kind: sorted({w for f in fields for w in f.header_words()}) for kind, fields in KINDS.items()}
VALUES = (
    SEED_CUSTOMER, SEED_CONTACT, "上海明远", "A", "B级", "z", "2026-11-20", "2026/12/1", "2027-02-30", "明天",
    "120万", "1,200,000.50", "-5", "¥850000", "是", "否", "maybe", "电话", "拜访", "x@y.cn", "not-mail",
    "CNY", "软件", "展会", "=1+1", "x'; DROP TABLE customer;--", "\x1b[31mred", "a\x00b", "\ufeff", "",
    " ", "2026-11-23T09:30:00Z", "1", "0", "99999999999999999999",
)  # fmt: skip
cell_text = st.one_of(
    st.sampled_from(VALUES),
    st.text(max_size=16),
    st.text(alphabet=st.sampled_from("\",\n\r\t ;'A张三\x1b\x07\u202e"), max_size=10),
)


@st.composite
def csv_files(draw, kind: str | None = None) -> tuple[str, bytes]:
    """(kind, bytes) of a file shaped like an import: real headers, wild cells, odd encodings."""
    kind = kind or draw(st.sampled_from(sorted(KINDS)))
    words = st.one_of(st.sampled_from(HEADER_WORDS[kind]), st.sampled_from(["", "foo", " 客户 ", "ＮＡＭＥ"]))
    header = draw(st.lists(words, min_size=0, max_size=6))
    if draw(st.booleans()):
        header = list(REQUIRED[kind]) + header  # mostly a header that can be read
    rows = draw(st.lists(st.lists(cell_text, max_size=len(header) + 2), max_size=6))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    delimiter = draw(st.sampled_from([",", ",", "\t", ";"]))
    if draw(st.booleans()):
        out = io.StringIO()
        quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
        csv.writer(out, delimiter=delimiter, lineterminator=newline, quoting=quoting).writerows(
            [header, *rows]
        )
        body = out.getvalue()
    else:  # joined by hand: quotes and line breaks in cells make it malformed
        body = newline.join(delimiter.join(row) for row in [header, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "gb18030", "utf-16"]))
    return kind, body.encode(encoding)


name_text = st.text(
    alphabet=st.characters(categories=["L", "N", "P", "S", "Zs"], exclude_characters="\ufeff", codec="utf-8"),
    min_size=1,
    max_size=24,
).filter(lambda s: s.split())
free_text = st.text(alphabet=st.characters(exclude_characters="\x00\ufeff", codec="utf-8"), max_size=40)


def good_cell(field, kind: str) -> st.SearchStrategy[str]:
    """What a correct file holds in the field's column (or an empty cell)."""
    if field.key in ("id", "created_at", "updated_at", "archived_at", "is_key"):
        return st.just("")  # ids that collide, and two key contacts, are refusals of their own
    if field.key == "referrer":
        return st.sampled_from(["", SEED_CUSTOMER])
    if kind != "customers" and field.key == "customer":
        return st.just(SEED_CUSTOMER)
    if kind == "touches" and field.key == "contact":
        return st.sampled_from(["", SEED_CONTACT])
    if field.kind == "name":
        return name_text
    if field.kind == "choice":
        words = [w for c in field.vocabulary.choices for w in (c.code, c.zh, c.en, *c.aliases)]
        return st.sampled_from(["", *words])
    if field.kind == "date":
        spell = st.sampled_from(
            ["{:%Y-%m-%d}", "{0.year}/{0.month}/{0.day}", "{0.year}年{0.month}月{0.day}日"]
        )
        return st.builds(str.format, spell, st.dates(date(1990, 1, 1), date(2026, 11, 23)))
    if field.kind == "birthday":  # with its year, or without (12-10, 12月10日, --12-10)
        spell = st.sampled_from(["{:%Y-%m-%d}", "{0.year}年{0.month}月{0.day}日", "{0.month}-{0.day}",
                                 "{0.month}月{0.day}日", "--{:%m-%d}"])  # fmt: skip
        return st.builds(str.format, spell, st.dates(date(1950, 1, 1), date(2008, 12, 31)))
    if field.kind == "money":
        return st.decimals(0, 10**9, places=2).map(str)
    if field.kind == "count":
        return st.integers(0, 10**6).map(str)
    if field.kind == "flag":
        return st.sampled_from(["", "是", "否", "yes", "no"])
    if field.kind == "email":
        return st.sampled_from(["", "wang@hnkj.cn", "a.b@example.com"])
    if field.kind == "currency":
        return st.sampled_from(["", "CNY", "usd", "人民币"])
    return free_text


@st.composite
def good_csv_files(draw) -> tuple[str, bytes, list[str]]:
    """(kind, bytes, names) of a file that should import: real fields, valid values, any text."""
    kind = draw(st.sampled_from(sorted(KINDS)))
    fields = {f.key: f for f in KINDS[kind]}
    # A contact's superior names another row of the book (tests/cli/test_org.py): any text is no
    # good value for it.
    optional = [k for k in fields if k not in REQUIRED[kind] and k != "reports_to"]
    keys = [*REQUIRED[kind], *draw(st.lists(st.sampled_from(optional), unique=True, max_size=6))]
    keys = draw(st.permutations(keys))
    header = [draw(st.sampled_from(fields[k].header_words())) for k in keys]
    rows = draw(st.lists(st.tuples(*(good_cell(fields[k], kind) for k in keys)), min_size=1, max_size=5))
    if kind == "touches":
        # a touch needs a summary: fill the required cells the values left empty
        rows = [
            tuple(c if c.strip() or k not in REQUIRED[kind] else "x" for k, c in zip(keys, row, strict=True))
            for row in rows
        ]
    if kind != "touches":  # one row per name: a name twice is a refusal of its own
        unique = {name_key(row[keys.index("name")]): row for row in reversed(rows)}
        rows = [row for row in rows if unique.get(name_key(row[keys.index("name")])) is row]
    names = [row[keys.index("name")] for row in rows] if kind != "touches" else []
    out = io.StringIO()
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    # With "\n" as line end, the csv module would leave a carriage return in a cell unquoted.
    quoting = csv.QUOTE_ALL if any("\r" in cell for row in rows for cell in row) else csv.QUOTE_MINIMAL
    csv.writer(out, lineterminator=newline, quoting=quoting).writerows([header, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
    return kind, out.getvalue().encode(encoding), names


random_files = st.tuples(st.sampled_from(sorted(KINDS)), st.binary(max_size=3000))


@settings(max_examples=300, deadline=None)
@given(st.one_of(csv_files(), random_files), st.booleans())
def test_reading_a_file_checks_it_or_refuses_it_with_bad_data(kind_and_bytes, ignore_extra):
    """The pure reader (no database): decode and parse_file raise nothing but KehuError."""
    kind, data = kind_and_bytes
    try:
        text = decode(data, None)
        parsed = parse_file(
            text, KINDS[kind], required=REQUIRED[kind], delimiter=",", ignore_extra=ignore_extra
        )
    except KehuError as error:
        assert error.exit_code == 65 and error.message and "\n" not in error.message
        return
    assert "\x00" not in text and "\ufeff" not in text
    for problem in parsed.errors:
        line = str(problem)
        assert "\n" not in line and len(line) <= 300 and not UNSAFE.search(line), repr(line)


# --- the CSV importer, the real command -----------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def _command_built_once():
    with pytest.MonkeyPatch.context() as patch:
        CommandOnce.patch(patch)
        yield


class Book(bytes):
    """The seeded database's bytes, with a short repr for Hypothesis' falsifying examples."""

    def __repr__(self) -> str:
        return f"<book of {len(self)} bytes>"


@pytest.fixture(scope="module")
def book_bytes(tmp_path_factory) -> Book:
    return Book(make_book(tmp_path_factory.mktemp("book"), TODAY))


def import_on_fresh_book(book_bytes: bytes, kind: str, data: bytes, *options: str) -> int:
    """Run `kehu import KIND FILE OPTIONS` on a copy of the book; check what any outcome must hold."""
    with tempfile.TemporaryDirectory() as folder:
        db, path = Path(folder) / "book.db", Path(folder) / "in.csv"
        db.write_bytes(book_bytes)
        path.write_bytes(data)
        before = Snapshot.of(db)
        result = CliRunner().invoke(
            app, ["--db", str(db), "--today", TODAY, "import", kind, str(path), *options]
        )
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        stderr = result.stderr
        event(f"exit {result.exit_code}")  # pytest --hypothesis-show-statistics shows the mix
        assert result.exit_code in (0, 65), stderr
        assert "Traceback" not in stderr and "internal error" not in stderr, stderr
        if result.exit_code == 0:
            assert "imported" in stderr
            check = CliRunner().invoke(app, ["--db", str(db), "--today", TODAY, "check"])
            assert check.exit_code == 0, check.stderr
        else:
            assert stderr.startswith("kehu: ") and not UNSAFE.search(stderr), repr(stderr[:300])
            assert before.differences(Snapshot.of(db)) == []
        return result.exit_code


@CLI
@given(csv_files(), st.sampled_from([(), ("--ignore-extra",), ("--on-conflict", "error")]))
def test_importing_generated_csv_exits_0_or_65_and_65_writes_nothing(book_bytes, kind_and_bytes, options):
    kind, data = kind_and_bytes
    if kind == "touches" and "--on-conflict" in options:
        options = ()
    import_on_fresh_book(book_bytes, kind, data, *options)


@settings(CLI, max_examples=50)
@given(random_files)
def test_importing_random_bytes_exits_0_or_65_and_65_writes_nothing(book_bytes, kind_and_bytes):
    kind, data = kind_and_bytes
    import_on_fresh_book(book_bytes, kind, data)


@settings(CLI, max_examples=80)
@given(good_csv_files())
def test_importing_a_good_file_stores_every_name_as_written(book_bytes, kind_names_and_bytes):
    """Valid files with names and notes full of quotes, commas, CJK and control characters: read
    back exactly (names with their white space collapsed, as `kehu add` stores them)."""
    kind, data, names = kind_names_and_bytes
    with tempfile.TemporaryDirectory() as folder:
        db, path = Path(folder) / "book.db", Path(folder) / "in.csv"
        db.write_bytes(book_bytes)
        path.write_bytes(data)
        runner = CliRunner()
        result = runner.invoke(app, ["--db", str(db), "--today", TODAY, "import", kind, str(path)])
        keys = {name_key(n) for n in names}
        event(f"exit {result.exit_code}")
        if result.exit_code == 65 and len(keys) < len(names):
            assert re.search(r"same (customer|contact) as line", result.stderr)  # one name, twice
            return
        assert result.exit_code == 0, result.stderr
        exported = runner.invoke(app, ["--db", str(db), "export", kind, "--format", "json"])
        assert exported.exit_code == 0, exported.stderr
        stored = {row.get("name") for row in json.loads(exported.stdout)}
        assert {" ".join(n.split()) for n in names} <= stored
