"""`kehu load` checks every record as an import checks a card (issue 12, item 7).

A dump is input: it may have been edited. Each test takes a valid dump of a small book with a
record in every table, changes one value of one record, and loads it into an empty database:
exit 65, one line naming the line, the table and the column, and nothing written.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kehu.cli.app import app
from kehu.io.dump import TABLES
from tests.conftest import TODAY, isolate
from tests.helpers import ok

EXAMPLES = Path(__file__).parents[2] / "examples"
GONE = object()  # a column left out of the record
SAAS = """\
key = "saas"
name_en = "SaaS sales"
[[stage]]
key = "lead"
name_en = "lead"
probability = 0.1
[[stage]]
key = "won"
name_en = "won"
probability = 1.0
"""
# The small book: a record in every table, a referral, a key contact, a touch with its contact,
# a visit plan done by a touch, a funnel move, qualification, a contract partly paid.
BOOK = (
    ("add", "甲公司", "--grade", "B", "--source", "展会", "--expected-value", "50万", "--email", "a@jia.cn"),
    ("add", "乙公司", "--referrer", "甲公司"),
    ("contact", "add", "甲公司", "张三", "--role", "决策者", "--is-key", "是", "--style", "老虎"),
    ("contact", "add", "乙公司", "李四", "--insider", "高级"),
    ("log", "甲公司", "电话沟通需求", "-c", "电话", "--contact", "张三", "--next", "下周三 送样品"),
    ("plan", "甲公司", "今天", "--purpose", "送合同草稿"),
    ("done", "甲公司"),
    ("grade", "甲公司", "A", "--reason", "预算确认"),
    ("advance", "甲公司", "--evidence", "确认年底有预算"),
    ("qualify", "甲公司", "--need", "yes", "--budget", "yes"),
    ("won", "乙公司", "--amount", "78万"),
    ("contract", "add", "乙公司", "-a", "78万", "--signed", "2026-06-20", "--terms", "60天", "-n", "H1"),
    ("pay", "乙公司", "30万"),
    ("contract", "add", "乙公司", "-a", "10万", "--signed", "2026-07-01", "-n", "H2", "--schedule",
     "30% 签约, 70% 验收后30天"),
    ("accept", "H2", "--date", "2026-08-20"),
    ("pipeline", "use", "key-account"),
    # The deal room (issue 16): an organisation, a relationship, a rival, a need, a proposal, a
    # quote and an answer; contact 3 (王五) reports to 张三 (contact 1).
    ("contact", "add", "甲公司", "王五", "--reports-to", "张三", "--relationship", "认识"),
    ("contact", "relate", "甲公司", "张三", "信赖", "--reason", "一起吃饭"),
    ("rival", "add", "甲公司", "金蝶", "--share", "30%", "--price", "120万"),
    ("need", "add", "甲公司", "年底上线", "--kind", "业务", "--priority", "高", "--from", "张三"),
    ("proposal", "add", "甲公司", "--title", "方案", "--amount", "100万"),
    ("quote", "add", "甲公司", "--amount", "98万", "--discount", "2%"),
    ("answer", "甲公司", "1", "预算已批"),
    # The money after the sale (issue 17): a collection promise, a credit check, a complaint and a
    # target (the scheduled contract H2 is above).
    ("collect", "乙公司", "电话", "--result", "答应月底付", "--promise", "2026-11-30", "10万"),
    ("credit", "甲公司", "--limit", "200万", "--history", "good", "--net-margin", "-2.5"),
    ("complaint", "add", "甲公司", "安装慢", "--severity", "中"),
    ("target", "set", "2026-11", "--amount", "300万"),
)


def run(db: Path | str, *args: str, input: str | None = None):
    return CliRunner().invoke(app, ["--db", str(db), "--today", TODAY, *args], input=input)


@pytest.fixture(scope="module")
def dump(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The lines of a dump of the small book (made once: every test alters a copy)."""
    folder = tmp_path_factory.mktemp("book")
    with pytest.MonkeyPatch.context() as patch:  # what clean_environment does, for this module
        isolate(patch, folder)
        db = folder / "book.db"
        for command in BOOK:
            ok(run(db, *command))
        lines = run(db, "dump").stdout.splitlines()
    assert {json.loads(line)["table"] for line in lines[1:]} == {t.name for t in TABLES}
    return lines


def altered(lines: list[str], table: str, column: str, value, nth: int = 0) -> tuple[str, int]:
    """The dump with `column` of the nth record of `table` set to `value` (or left out: GONE),
    and the number of the line changed."""
    seen = 0
    for index, line in enumerate(lines):
        record = json.loads(line)
        if record.get("table") != table:
            continue
        if seen == nth:
            if value is GONE:
                del record["row"][column]
            else:
                record["row"][column] = value
            # ASCII escapes: a lone surrogate or a NUL travels as JSON writes it, \ud800 or \u0000.
            changed = [*lines[:index], json.dumps(record), *lines[index + 1 :]]
            return "\n".join(changed) + "\n", index + 1
        seen += 1
    raise AssertionError(f"no record {nth} of {table}")


def line_of(lines: list[str], table: str) -> int:
    """The number of the line of the first record of `table`."""
    return next(n for n, line in enumerate(lines, 1) if json.loads(line).get("table") == table)


@pytest.fixture
def refused(kehu) -> Iterator:
    """Load a text into the test's empty database and check that it is refused as it should be."""

    def check(text: str, line: int, where: str, words: str) -> None:
        before = kehu("dump").stdout
        assert not [record for record in before.splitlines()[1:] if '"table": "setting"' not in record]
        result = kehu("load", "-", input=text)
        assert result.exit_code == 65, result.stderr
        assert result.stderr.startswith(f"kehu: line {line}, {where}: "), result.stderr
        assert words in result.stderr, result.stderr
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
        assert kehu("dump").stdout == before  # nothing written: not a customer, not the settings

    yield check


BAD_VALUES = [
    # Word lists: codes kehu knows, stored as kehu stores them.
    ("customer", "grade", "Z", "unknown value 'Z'; one of: A, B, C, D, E"),
    ("customer", "grade", "a", "'a' is not how kehu stores it ('A')"),
    ("customer", "grade", "B级", "is not how kehu stores it"),
    ("customer", "status", "closed", "unknown value 'closed'; one of: open, won, lost"),
    ("customer", "stage", "nowhere", 'unknown stage "nowhere"'),
    ("customer", "pipeline", "nope", "no pipeline 'nope'; known: "),
    ("customer", "kind", "robot", "unknown value 'robot'"),
    ("customer", "source", "pigeon post", "unknown value 'pigeon post'"),
    ("customer", "industry", "Manufacturing", "is not how kehu stores it ('manufacturing')"),
    ("customer", "last_channel", "pigeon", "unknown value 'pigeon'"),
    ("customer", "currency", "dollars", "not a currency code"),
    ("customer", "currency", "cny", "is not how kehu stores it ('CNY')"),
    ("contact", "role", "boss", "unknown value 'boss'"),
    ("contact", "style", "lion", "unknown value 'lion'"),
    ("grade_change", "new_grade", "F", "unknown value 'F'"),
    ("touch", "channel", "pigeon", "unknown value 'pigeon'"),
    ("visit_plan", "status", "maybe", "unknown value 'maybe'; one of: planned, done, cancelled"),
    ("stage_change", "event", "teleport", "unknown value 'teleport'"),
    ("stage_change", "pipeline", "nope", "no pipeline 'nope'"),
    ("stage_change", "to_stage", "nowhere", 'unknown stage "nowhere"'),
    ("qualification", "need", "maybe", "unknown value 'maybe'; one of: yes, no, unknown"),
    ("setting", "value", "nope", "no pipeline 'nope'"),
    ("setting", "key", "theme", "unknown value 'theme'"),
    # The key of a name is the key kehu computes.
    ("customer", "name_key", "乙公司", "'乙公司' is not the key of the name, '甲公司'"),
    ("contact", "name_key", "zhang san", "is not the key of the name"),
    # Text: what an import refuses.
    ("customer", "name", "甲\x1b[31m公司", "contains control characters"),
    ("customer", "name", "甲\u200b公司", "contains control characters"),
    ("customer", "name", "甲\u202e公司", "contains control characters"),
    ("contact", "name", "张\n三", "line breaks"),
    ("contact", "name", "张三 ", "'张三 ' is not how kehu stores it ('张三')"),
    ("customer", "name", "  ", "a name is required"),
    ("customer", "name", "长" * 201, "longer than 200 characters"),
    ("customer", "notes", "a\x00b", "contains a NUL character"),
    ("customer", "notes", "x" * 10_001, "longer than 10000 characters"),
    ("touch", "summary", "\ud800", "not a valid value"),
    ("customer", "email", "not-an-address", "not an e-mail address"),
    # Money: a decimal string, at most two places, not negative, not too large.
    ("customer", "expected_value", "-5.00", "not a valid value: '-5.00'"),
    ("customer", "expected_value", "0.001", "more than two decimal places"),
    ("customer", "expected_value", "NaN", "not a valid value: 'NaN'"),
    ("customer", "expected_value", "Infinity", "not a valid value"),
    ("customer", "expected_value", "1e999", "not a valid value"),
    ("customer", "expected_value", 12.5, "not a valid value: 12.5"),
    ("customer", "expected_value", "1" * 40 + ".00", "amount too large"),
    ("contract", "amount", "１２.00", "not a valid value"),  # full-width digits
    ("payment", "amount", "0.00", "a payment must be more than zero"),
    ("payment", "amount", "780000.01", "more than the 780000.00 outstanding"),
    # Days and moments.
    ("customer", "expected_close", "2026-02-30", "not a valid value"),
    ("customer", "expected_close", "20261123", "not a valid value"),
    ("customer", "expected_close", "9999-12-31", "date out of range"),
    ("touch", "happened_on", "明天", "not a valid value"),
    ("customer", "created_at", "2026-05-15T08:40:00", "not a valid value"),  # no zone
    ("customer", "created_at", "2026-05-15T16:40:00+08:00", "not a valid value"),  # not UTC
    ("payment", "created_at", "yesterday", "not a valid value"),
    # Whole numbers: not flags, not fractions, not text, within the column.
    ("customer", "employees", True, "not a valid value: True"),
    ("customer", "employees", 3.0, "not a valid value: 3.0"),
    ("customer", "employees", "320", "not a valid value: '320'"),
    ("customer", "employees", 2**40, "not a valid value"),
    ("customer", "employees", -3, "not a whole number"),
    ("customer", "id", 0, "not a record id: 0"),
    ("contract", "terms_days", 9999, "not a payment term"),
    ("contact", "is_key", 1, "not a valid value: 1"),
    # References point at records loaded before (a referrer and a last contact: anywhere).
    ("contact", "customer_id", 99, "no customer with id 99 before this line"),
    ("touch", "contact_id", 2, "contact 2 is another customer's"),
    ("touch", "contact_id", 99, "no contact with id 99 before this line"),
    ("visit_plan", "touch_id", 99, "no touch with id 99 before this line"),
    ("payment", "contract_id", 99, "no contract with id 99 before this line"),
    ("qualification", "customer_id", 99, "no customer with id 99"),
    ("customer", "referrer_id", 99, "no customer with id 99 in the dump"),
    ("customer", "referrer_id", 1, "a customer cannot refer itself"),
    ("customer", "last_contact_id", 2, "contact 2 is another customer's"),
    ("customer", "last_contact_id", 99, "no contact with id 99"),
    # The deal room's records (revision 0009).
    ("contact", "relationship", "friend", "one of: acquainted, meeting, trusted, ally"),
    ("contact", "reports_to_id", 2, "contact 2 is another customer's"),
    ("contact", "reports_to_id", 1, "a contact cannot report to themself"),
    ("contact", "reports_to_id", 99, "no contact with id 99"),
    ("relationship_change", "new_relationship", "friend", "unknown value 'friend'"),
    ("relationship_change", "contact_id", 2, "contact 2 is another customer's"),
    ("rival", "share", 101, "a share is a percentage from 0 to 100"),
    ("rival", "name_key", "用友", "is not the key of the name"),
    ("need", "kind", "emotional", "unknown value 'emotional'"),
    ("need", "contact_id", 99, "no contact with id 99 before this line"),
    ("proposal", "status", "lost", "unknown value 'lost'; one of: draft, sent, accepted, rejected"),
    ("proposal", "version", 0, "a version's number starts at 1"),
    ("quote", "amount", None, "a value is required"),
    ("stage_answer", "stage", "nowhere", 'unknown stage "nowhere"'),
    ("stage_answer", "question", 0, "a question's number starts at 1"),
    # The money after the sale (revision 0010).
    ("instalment", "event", "someday", "unknown value 'someday'"),
    ("instalment", "seq", 0, "an instalment's number starts at 1"),
    ("payment", "instalment_id", 99, "instalment 99 is not one of contract"),
    ("collection_action", "method", "pigeon", "unknown value 'pigeon'"),
    ("collection_action", "promise_status", None, "a promise has a day and a status, or neither"),
    ("credit_check", "payment_history", "great", "unknown value 'great'"),
    ("complaint", "severity", "apocalyptic", "unknown value 'apocalyptic'"),
    ("complaint", "resolved_on", "2026-11-20", "a resolved complaint has its day, an open one none"),
    ("target", "month", "2026-13", "not a month"),
    ("credit_check", "net_margin", "-2.5", "is not how kehu stores it ('-2.50')"),
    ("credit_check", "net_margin", "1e3", "not a valid value"),
    # Required columns.
    ("customer", "name", None, "a value is required"),
    ("customer", "status", GONE, "a value is required"),
    ("touch", "summary", GONE, "a value is required"),
    ("payment", "amount", None, "a value is required"),
]


@pytest.mark.parametrize(
    ("table", "column", "value", "words"),
    BAD_VALUES,
    ids=[f"{t}.{c}={v!r}"[:50] if v is not GONE else f"{t}.{c}-gone" for t, c, v, _w in BAD_VALUES],
)
def test_a_bad_value_stops_the_load(dump, refused, table, column, value, words):
    text, line = altered(dump, table, column, value)
    refused(text, line, f"{table}.{column}", words)


def test_a_stage_needs_its_pipeline(dump, refused):
    text, line = altered(dump, "customer", "pipeline", None)
    refused(text, line, "customer.stage", "a stage without a pipeline")


def test_an_unknown_column_is_refused(dump, kehu):
    text, line = altered(dump, "customer", "secret\x1b[2J", "x")
    result = kehu("load", "-", input=text)
    assert result.exit_code == 65
    assert result.stderr == f"kehu: line {line}: customer has no column secret\\x1b[2J\n"


def test_what_must_be_unique_is_refused_with_the_line_of_the_first(dump, refused):
    first = line_of(dump, "customer")
    again = [*dump[:first], dump[first - 1], *dump[first:]]  # the first customer twice
    refused("\n".join(again) + "\n", first + 1, "customer.id", "a second record with id 1")
    record = json.loads(dump[first - 1])
    record["row"]["id"] = 50  # another id, the same name
    again = [*dump[:first], json.dumps(record), *dump[first:]]
    refused("\n".join(again) + "\n", first + 1, "customer.name", f"same customer as line {first}")
    contact = line_of(dump, "contact")
    record = json.loads(dump[contact - 1])
    record["row"].update(id=50, name="张 三", name_key="张 三")  # a second key contact of 甲公司
    again = [*dump[:contact], json.dumps(record), *dump[contact:]]
    refused("\n".join(again) + "\n", contact + 1, "contact.is_key",
            f"a second key contact of customer 1 (the first on line {contact})")  # fmt: skip


def test_payments_may_not_add_up_to_more_than_the_contract(dump, refused):
    payment = line_of(dump, "payment")
    record = json.loads(dump[payment - 1])
    record["row"].update(id=2, amount="480000.01")  # 300000 paid already, of 780000
    again = [*dump[:payment], json.dumps(record), *dump[payment:]]
    refused("\n".join(again) + "\n", payment + 1, "payment.amount", "more than the 480000.00 outstanding")


def test_a_user_pipeline_loads_where_it_is_installed(kehu, tmp_path: Path):
    """A pipeline is known if it is built in or its TOML file is in the config's pipelines folder."""
    source = tmp_path / "source.db"
    toml = tmp_path / "saas.toml"
    toml.write_text(SAAS, encoding="utf-8")
    ok(run(source, "pipeline", "use", "--file", str(toml)))
    ok(run(source, "add", "丙公司"))
    text = run(source, "dump").stdout
    assert '"pipeline": "saas", "stage": "lead"' in text
    (tmp_path / "config" / "pipelines" / "saas.toml").unlink()  # this machine does not know it
    result = kehu("load", "-", input=text)
    assert result.exit_code == 65 and "customer.pipeline: no pipeline 'saas'" in result.stderr
    ok(run(tmp_path / "elsewhere.db", "pipeline", "use", "--file", str(toml)))  # installs it again
    ok(kehu("load", "-", input=text))
    assert kehu("dump").stdout == text


def test_the_demo_data_round_trips(kehu, tmp_path: Path):
    source = tmp_path / "demo.db"
    for kind in ("customers", "contacts", "touches"):
        ok(run(source, "import", kind, str(EXAMPLES / f"{kind}.csv")))
    text = run(source, "dump").stdout
    ok(kehu("load", "-", input=text))
    assert kehu("dump").stdout == text
    for command in (["export", "customers"], ["followups", "week", "-f", "csv"], ["report", "-f", "csv"]):
        assert kehu(*command).stdout == run(source, *command).stdout, command


@pytest.mark.sqlite_only
def test_a_bad_dump_fails_cleanly_as_a_process(dump, kehu_process, kehu):
    text, line = altered(dump, "customer", "grade", "Z")
    result = kehu_process("load", "-", input=text.encode())
    assert result.returncode == 65
    assert result.stderr.decode() == (
        f"kehu: line {line}, customer.grade: unknown value 'Z'; one of: A, B, C, D, E\n"
    )
    assert [line for line in kehu("dump").stdout.splitlines() if '"table": "customer"' in line] == []


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ('{"table": ["customer"], "row": {}}', "line 2: not a record of a kehu table"),
        ('{"table": {"customer": 1}, "row": {}}', "line 2: not a record of a kehu table"),
        ("[" * 100_000 + "]" * 100_000, "line 2: not a record of a kehu table"),
        ('{"table": "customer", "row": []}', "line 2: not a record of a kehu table"),
    ],
    ids=["table-list", "table-object", "nested-deep", "row-list"],
)
def test_a_line_that_is_no_record_is_refused(dump, kehu, line, words):
    result = kehu("load", "-", input="\n".join([dump[0], line, *dump[1:]]) + "\n")
    assert result.exit_code == 65 and result.stderr == f"kehu: {words}\n"


def test_a_header_nested_too_deep_is_no_dump(dump, kehu):
    result = kehu("load", "-", input="[" * 100_000 + "]" * 100_000 + "\n")
    assert result.exit_code == 65 and "line 1: not a kehu dump" in result.stderr
