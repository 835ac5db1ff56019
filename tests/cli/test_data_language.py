"""Data is the same in every language (issue 15): every command that prints records gives
byte-identical CSV, TSV, JSON and JSON Lines under a Chinese and an English interface, on the demo
book, on both backends; tables stay in the user's language, and --labels asks for the words."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kehu.cli.app import COMMAND_MODULES, build_commands
from tests.helpers import build_demo_book, ok

ROOT = Path(__file__).resolve().parents[2]
TODAY = "2026-11-23"
LANGUAGES = {"zh": "zh_CN.UTF-8", "en": "C.UTF-8"}
HNKJ = "杭州海纳科技有限公司"  # grade A, at 赢取承诺, with contacts, touches and stage moves
JINGANG = "天津津港建设集团有限公司"  # won, with money 126 days overdue

# Every record-printing command, with arguments that make it print something worth comparing.
WALK: dict[str, list[tuple[str, ...]]] = {
    "report": [("report",)],
    **{
        f"report {name}": [("report", name)]
        for name in ("funnel", "grades", "sources", "referrals", "pareto", "rivals")
    },  # fmt: skip
    "report ar": [("report", "ar"), ("report", "ar", "--by-customer")],
    "report lost": [("report", "lost"), ("report", "lost", "--by-rival")],
    "report activity": [("report", "activity"), ("report", "activity", "--by-owner")],
    "followups": [
        ("followups",),
        ("followups", "week", "--explain"),
        ("followups", "overdue"),
        ("followups", "2026-12-10"),
        ("followups", "2027-01-31"),
    ],  # fmt: skip
    "list": [("list",), ("list", "--all")],
    "show": [("show", HNKJ), ("show", JINGANG)],
    "history": [("history", HNKJ), ("history", JINGANG)],
    "contract list": [
        ("contract", "list"), ("contract", "list", JINGANG),
        ("contract", "list", "--instalments")],  # fmt: skip
    "contract show": [("contract", "show", "JG-2026-07")],
    "export instalments": [("export", "instalments")],
    "plan list": [("plan", "list"), ("plan", "list", "--all")],
    "grade history": [("grade", "history", HNKJ)],
    "grade suggest": [("grade", "suggest")],
    "grade review": [("grade", "review")],
    "qualify": [("qualify", HNKJ)],
    "stages": [("stages", HNKJ), ("stages", JINGANG)],
    "pipeline list": [("pipeline", "list")],
    "pipeline show": [("pipeline", "show"), ("pipeline", "show", "consultative")],
    "contact list": [("contact", "list"), ("contact", "list", HNKJ)],
    "org": [("org", HNKJ)],
    "contact relations": [("contact", "relations"), ("contact", "relations", HNKJ, "--contact", "吴晓丽")],
    "export relationships": [("export", "relationships")],
    "need list": [("need", "list"), ("need", "list", HNKJ, "--status", "open")],
    "proposal list": [("proposal", "list"), ("proposal", "list", HNKJ, "--latest")],
    "quote list": [("quote", "list"), ("quote", "list", HNKJ)],
    "export needs": [("export", "needs")],
    "export proposals": [("export", "proposals")],
    "export quotes": [("export", "quotes")],
    "rival list": [("rival", "list"), ("rival", "list", HNKJ)],
    "export customers": [("export", "customers")],
    "export contacts": [("export", "contacts")],
    "export touches": [("export", "touches")],
    "export rivals": [("export", "rivals")],
    "answers": [("answers", HNKJ), ("answers", HNKJ, "--stage", "needs")],
    "export answers": [("export", "answers")],
    "info": [("info",)],
    # Issue 17: collecting money, credit, complaints, targets (examples/after_sale.sh puts them in
    # the demo book: a promise at 天津津港, complaints at 南京钟山, checks, November's targets).
    "collections": [("collections",), ("collections", JINGANG)],
    "credit check": [("credit", "check", HNKJ)],
    "credit list": [("credit", "list"), ("credit", "list", HNKJ)],
    "complaint list": [("complaint", "list"), ("complaint", "list", "南京钟山软件", "--open")],
    "target list": [("target", "list")],
    "report targets": [("report", "targets"), ("report", "targets", "--from", "2026-10")],
    "report complaints": [("report", "complaints"), ("report", "complaints", "--by-customer")],
    "report repeat": [("report", "repeat")],
    "export credit": [("export", "credit")],
    "export complaints": [("export", "complaints")],
    "export collections": [("export", "collections")],
    "export targets": [("export", "targets")],
}
# Commands whose data still follows the language, each with why; the test of each is an expected
# failure (strict: it fails once the command is fixed, to be taken off this list).
STILL_TRANSLATED: dict[str, str] = {}
# The one datum whose value is the language itself: info's interface language (zh or en).
THE_LANGUAGE = {"info": "language"}
# Record-printing commands this walk cannot run on the demo book.
NOT_WALKED = {"team list": "needs a team book (PostgreSQL, kehu team); tests/store/test_team.py"}


def record_commands(option: str = "--format") -> set[str]:
    """Every command and subcommand that takes `option`."""

    def walk(command, path: list[str]):
        for name, sub in getattr(command, "commands", {}).items():
            yield from walk(sub, [*path, name])
        if any(option in getattr(param, "opts", ()) for param in command.params):
            yield " ".join(path)

    return {found for name, module in COMMAND_MODULES.items()
            for found in walk(build_commands(module)[name], [name])}  # fmt: skip


@pytest.fixture(scope="module")
def demo_dump(tmp_path_factory) -> Path:
    """The demo book examples/demo.sh builds, dumped: loaded into each backend's book."""
    here = tmp_path_factory.mktemp("demo")
    book = str(build_demo_book(here))
    dump = [sys.executable, "-m", "kehu", "--db", book, "dump"]
    dumped = subprocess.run(dump, capture_output=True, timeout=120)
    assert dumped.returncode == 0, dumped.stderr.decode()[-2000:]
    (here / "demo.jsonl").write_bytes(dumped.stdout)
    return here / "demo.jsonl"


@pytest.fixture
def demo(kehu, demo_dump):
    """The demo book on this backend, with a few more of the things data must carry: a grade
    the review would change, birthdays without a year (one lunar)."""
    ok(kehu("load", str(demo_dump)))

    def run(*args: str, language: str = "en", **env: str):
        locale = LANGUAGES[language]
        return kehu(
            *args, env={"KEHU_TODAY": TODAY, "LANG": locale, "LC_ALL": locale, "KEHU_LANG": "", **env}
        )

    ok(run("edit", JINGANG, "--expected-close", "2026-12-01"))  # grade B, closing within a month
    ok(run("grade", HNKJ, "B", "--reason", "预算推迟到明年"))  # a grade history, and one to review
    ok(run("contact", "add", HNKJ, "郑晓红", "--birthday", "12-10"))
    ok(run("contact", "add", HNKJ, "钱一伟", "--birthday", "12月24日", "--birthday-lunar", "yes"))
    # A need, a proposal in two versions and a quote past its day (shown expired only in tables).
    ok(run("need", "add", HNKJ, "接口要支持SAP", "--kind", "技术", "--priority", "高", "--from", "吴晓丽"))
    ok(run("proposal", "add", HNKJ, "--title", "仓储方案", "--amount", "120万", "--sent", "2026-11-20"))
    ok(run("proposal", "add", HNKJ, "--amount", "118万"))
    ok(run("quote", "add", HNKJ, "--amount", "118万", "--discount", "5", "--valid-until", "2026-11-22",
           "--keep-value"))  # the dashboard below weighs the expected value as the demo has it
    # The demo book has rivals (one took a lost deal: kehu lost --to) and answered stage questions.
    # Repeat business: a won customer's next deal, and its contract (kehu report repeat).
    ok(run("reopen", "南京钟山软件", "--new-deal"))
    ok(run("contract", "add", "南京钟山软件", "--amount", "30万", "--signed", TODAY, "--terms", "30天"))
    return run


def test_every_record_printing_command_is_walked_and_takes_labels():
    assert record_commands() == set(WALK) | set(NOT_WALKED)
    # kehu info prints one record about the program, not the book's: its keys are its labels.
    assert record_commands() - record_commands("--labels") == {"info"}


CASES = [
    pytest.param(
        name,
        args,
        marks=[pytest.mark.xfail(reason=STILL_TRANSLATED[name], strict=True)]
        if name in STILL_TRANSLATED
        else [],
        id=" ".join(args),
    )  # fmt: skip
    for name, runs in WALK.items()
    for args in runs
]


@pytest.mark.parametrize(("name", "args"), CASES)
def test_data_is_byte_identical_in_chinese_and_english(demo, name, args):
    for fmt in ("csv", "tsv", "json", "jsonl"):
        chinese = ok(demo(*args, "--format", fmt, language="zh")).stdout
        english = ok(demo(*args, "--format", fmt, language="en")).stdout
        if name in THE_LANGUAGE:  # the same record but for that one value
            for zh, en in (('"language": "zh"', '"language": "en"'), (",zh,", ",en,"), ("\tzh\t", "\ten\t")):
                chinese = chinese.replace(zh, en, 1)
        assert chinese.strip(), (args, fmt)
        assert chinese == english, (args, fmt)
        if fmt == "json":  # one value a field: no field packs two figures (3 · 2940000.00)
            assert " · " not in "".join(map(str, values_in(json.loads(chinese)))), args


def values_in(data) -> list:
    """Every scalar in a JSON document (records, or `kehu show`'s object of them)."""
    if isinstance(data, dict):
        return [v for value in data.values() for v in values_in(value)]
    if isinstance(data, list):
        return [v for value in data for v in values_in(value)]
    return [data]


def test_the_dashboard_for_scripts_is_one_record_of_numbers(demo):
    [figures] = json.loads(ok(demo("report", "--format", "json", language="zh")).stdout)
    # Open: 钟山's and 湘江's next deals too (kehu reopen --new-deal), their old deals among the won.
    assert figures == {"customers": 48, "open_weighted": "6228500.00", "won": 3, "won_value": "2780000.00",
                       "repeat_value": "300000.00", "lost": 3, "outstanding": "1360000.00"}  # fmt: skip


def test_codes_in_data_words_in_tables_and_with_labels(demo):
    [first, *_] = json.loads(ok(demo("report", "funnel", "--format", "json", language="zh")).stdout)
    # 11 of the 48 left it forward, two of them by skipping stages (examples/funnel.sh).
    assert (first["stage"], first["probability"], first["conversion"]) == ("analyse", 0.1, 0.2292)
    buckets = [r["bucket"] for r in json.loads(ok(demo("report", "ar", "--format", "json")).stdout)]
    assert buckets == ["not_due", "1-30", "31-60", "61-90", "90+"]
    contracts = json.loads(ok(demo("contract", "list", JINGANG, "--format", "json", language="zh")).stdout)
    assert (contracts[0]["bucket"], contracts[0]["step"]) == ("90+", "legal")
    # --labels: the headers and the codes in the user's words, in CSV as in JSON.
    labelled = ok(demo("contract", "list", JINGANG, "--format", "csv", "--labels", language="zh")).stdout
    [row] = list(csv.DictReader(io.StringIO(labelled)))
    assert (row["账龄"], row["催收方式"]) == ("90 天以上", "法律催收")
    funnel = json.loads(ok(demo("report", "funnel", "--format", "json", "--labels", language="zh")).stdout)
    assert funnel[0]["阶段"] == "客户分析"
    english = json.loads(ok(demo("report", "ar", "--format", "json", "--labels")).stdout)
    assert english[-1] == {"age": "over 90 days", "outstanding": "980000.00"}  # 津港 80万, 湘江 18万
    # A table stays for people, in their language.
    table = ok(demo("report", "ar", "--format", "table", language="zh", COLUMNS="100")).stdout
    assert "90 天以上" in table and "90+" not in table


def test_a_birthday_without_a_year_is_data_as_iso_8601(demo):
    found = {c["name"]: c for c in json.loads(ok(demo("contact", "list", HNKJ, "--format", "json")).stdout)}
    assert (found["郑晓红"]["birthday"], found["钱一伟"]["birthday"]) == ("--12-10", "--12-24")
