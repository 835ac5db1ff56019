"""`kehu list` as a salesperson pulls it (issue 16): where customers stand in the funnel and the
follow-ups as filters, every shown column as a sort, and the computed columns that CSV and an
export carry (and an import reads past). Both backends."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kehu.cli.app import app
from tests.helpers import ok

TODAY = "2026-11-23"  # a Monday (tests/conftest.py)
CARD_KEYS = [
    "id", "name", "kind", "industry", "region", "address", "owner", "nature", "employees", "revenue",
    "website", "phone", "email", "wechat", "source", "referrer", "ka_type", "grade", "expected_value",
    "expected_close", "currency", "notes", "created_at", "updated_at", "archived_at",
]  # fmt: skip
STATE_KEYS = ["pipeline", "stage", "status", "next_due", "last_touch_on"]
STATE = ",".join(["name", *STATE_KEYS])


def build(run) -> None:
    """Six customers at different places (`run` is kehu on one book, as if today were TODAY):

    1 杭州海纳科技   A 120万  key-account 呈现价值 (value)  open  due 11-03  touched 11-02  rival Kingdee
    2 苏州恒瑞精密   B  30万  key-account 客户分析          open  due 12-15  touched 11-23  rival KINGDEE
    3 深圳ABC电子    C   —    key-account 回收账款          won   due 11-23  never
    4 成都蓉城医疗   D 500万  key-account 建立信任          lost  due 11-23  never          rival 用友
    5 广州旧客户     B  80万  key-account 呈现价值          open  (archived)
    6 北京新思路     B  50万  development 样品资料 (2)      open  due 11-27  touched 11-20
    """
    steps = [
        ("add", "杭州海纳科技", "--grade", "A", "--expected-value", "120万", "--owner", "王磊",
         "--region", "浙江杭州"),
        ("add", "苏州恒瑞精密", "--grade", "B", "--expected-value", "30万", "--owner", "王磊"),
        ("add", "深圳ABC电子", "--grade", "C", "--owner", "李娜"),
        ("add", "成都蓉城医疗", "--grade", "D", "--expected-value", "500万", "--owner", "李娜"),
        ("add", "广州旧客户", "--grade", "B", "--expected-value", "80万"),
        ("pipeline", "use", "development"),
        ("add", "北京新思路", "--grade", "B", "--expected-value", "50万", "--owner", "王磊"),
        ("pipeline", "use", "key-account"),
        *[("advance", "杭州海纳科技", "--yes")] * 3,
        ("advance", "成都蓉城医疗", "--yes"), ("lost", "成都蓉城医疗", "价格"),
        ("won", "深圳ABC电子", "--amount", "80万"),
        *[("advance", "广州旧客户", "--yes")] * 3, ("archive", "广州旧客户"),
        ("advance", "北京新思路", "--yes"),
        ("log", "杭州海纳科技", "电话沟通", "--channel", "电话", "--date", "2026-11-02"),
        ("log", "苏州恒瑞精密", "拜访", "--channel", "拜访", "--next", "2026-12-15 送样品"),
        ("log", "北京新思路", "微信", "--channel", "微信", "--date", "2026-11-20"),
    ]  # fmt: skip
    for step in steps:
        ok(run(*step))


def add_rivals(target_db: str) -> None:
    """Rivals at customers 1, 2 (the same one, spelt otherwise) and 4, written as rows."""
    from kehu.domain.names import name_key
    from kehu.store.db import open_store
    from kehu.store.location import resolve_location

    store = open_store(resolve_location(target_db))
    try:
        with store.write() as connection:
            for customer_id, name in ((1, "Kingdee"), (2, "KINGDEE "), (4, "用友")):
                connection.execute(
                    "INSERT INTO rival (customer_id, name, name_key, created_at, updated_at)"
                    " VALUES (:customer_id, :name, :key, :now, :now)",
                    {"customer_id": customer_id, "name": name.strip(), "key": name_key(name),
                     "now": connection_moment()},
                )  # fmt: skip
    finally:
        store.close()


def connection_moment():
    from datetime import UTC, datetime

    return datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def book(kehu, target_db):
    build(kehu)
    add_rivals(target_db)
    return kehu


def names(kehu, *args: str) -> list[str]:
    result = ok(kehu("list", "--format", "csv", "--columns", "name", *args))
    return result.stdout.splitlines()[1:]


def refused(kehu, *args: str) -> str:
    """The one-line message of a usage error (exit 2); nothing printed on stdout."""
    result = kehu("list", *args)
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    return result.stderr.strip()


# --- the columns a script gets --------------------------------------------------------------


def test_csv_carries_where_each_customer_stands(book):
    result = ok(book("list", "--all", "--format", "csv"))
    lines = result.stdout.split("\n")
    assert lines[0] == ",".join(CARD_KEYS + STATE_KEYS)
    assert result.stdout.count("\n") == 7
    states = [line.split(",")[len(CARD_KEYS) :] for line in lines[1:7]]
    assert states == [
        ["key-account", "value", "open", "2026-11-03", "2026-11-02"],
        ["key-account", "analyse", "open", "2026-12-15", "2026-11-23"],
        ["key-account", "collect", "won", "2026-11-23", ""],
        ["key-account", "trust", "lost", "2026-11-23", ""],
        ["key-account", "value", "open", "2026-11-23", ""],
        ["development", "samples", "open", "2026-11-27", "2026-11-20"],
    ]


def test_json_and_labels_say_the_same_in_codes_or_words(book):
    [hainan] = json.loads(ok(book("list", "--format", "json", "--search", "海纳")).stdout)
    assert list(hainan) == CARD_KEYS + STATE_KEYS
    assert {k: hainan[k] for k in STATE_KEYS} == {
        "pipeline": "key-account", "stage": "value", "status": "open", "next_due": "2026-11-03",
        "last_touch_on": "2026-11-02",
    }  # fmt: skip
    zh = ok(book("list", "--format", "csv", "--labels", "-c", STATE, env={"KEHU_LANG": "zh_CN"}))
    assert zh.stdout.splitlines()[:2] == [
        "客户名称,销售流程,销售阶段,状态,下次跟进,上次跟进",
        "杭州海纳科技,大客户拓展六部曲,呈现价值,进行中,2026-11-03,2026-11-02",
    ]
    en = ok(book("list", "--format", "csv", "--labels", "-c", STATE, "--status", "lost"))
    assert en.stdout.splitlines() == [
        "name,pipeline,stage,status,next due,last touch",
        "成都蓉城医疗,six-step key-account funnel,build trust,lost,2026-11-23,",
    ]


def test_a_table_shows_pipelines_stages_and_statuses_in_words(book):
    zh = {"KEHU_LANG": "zh_CN", "COLUMNS": "120"}
    columns = "name,pipeline,stage,status"
    table = ok(book("list", "--format", "table", "-c", columns, "--pipeline", "development", env=zh))
    assert (
        "大客户开发流程" in table.stdout
        and "样品资料提供/信息收集" in table.stdout
        and "进行中" in table.stdout
    )
    assert "development" not in table.stdout and "samples" not in table.stdout and "open" not in table.stdout


# --- each filter ------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["呈现价值", "present value", "value", "4", "４", " Present-Value "])
def test_stage_by_name_key_or_number_of_the_books_pipeline(book, typed):
    assert names(book, "--stage", typed) == ["杭州海纳科技"]
    assert names(book, "--stage", typed, "--all") == ["杭州海纳科技", "广州旧客户"]


def test_stage_of_another_pipeline_by_its_name_or_in_that_pipeline_by_number(book):
    assert names(book, "--stage", "样品资料提供/信息收集") == ["北京新思路"]
    assert names(book, "--stage", "samples") == ["北京新思路"]
    # A number is a stage of the book's pipeline (建立信任), or of the one named.
    assert names(book, "--stage", "2") == ["成都蓉城医疗"]
    assert names(book, "--stage", "2", "--pipeline", "development") == ["北京新思路"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("open", ["杭州海纳科技", "苏州恒瑞精密", "北京新思路"]),
        ("进行中", ["杭州海纳科技", "苏州恒瑞精密", "北京新思路"]),
        ("won", ["深圳ABC电子"]),
        ("赢单", ["深圳ABC电子"]),
        ("丢单", ["成都蓉城医疗"]),
        ("LOST", ["成都蓉城医疗"]),
    ],
)
def test_status_in_either_language(book, typed, expected):
    assert names(book, "--status", typed) == expected


def test_pipeline(book):
    assert names(book, "--pipeline", "development") == ["北京新思路"]
    assert names(book, "--pipeline", "key-account") == [
        "杭州海纳科技",
        "苏州恒瑞精密",
        "深圳ABC电子",
        "成都蓉城医疗",
    ]
    assert names(book, "--pipeline", "consultative") == []


def test_expected_value_bounds_are_inclusive_and_read_as_amounts(book):
    assert names(book, "--min-value", "50万") == ["杭州海纳科技", "成都蓉城医疗", "北京新思路"]
    assert names(book, "--max-value", "500k") == ["苏州恒瑞精密", "北京新思路"]
    assert names(book, "--min-value", "500000", "--max-value", "1.2M") == ["杭州海纳科技", "北京新思路"]
    # No expected value: in no range.
    assert "深圳ABC电子" not in names(book, "--max-value", "1亿")


def test_due_before_a_day_word(book):
    assert names(book, "--due-before", TODAY) == ["杭州海纳科技"]
    result = ok(book("list", "--format", "csv", "-c", "name", "--due-before", "下周一"))
    assert result.stdout.splitlines()[1:] == ["杭州海纳科技", "深圳ABC电子", "成都蓉城医疗", "北京新思路"]
    assert result.stderr == "--due-before: 2026-11-30\n"  # the day kehu took
    assert names(book, "--due-before", "2026-12-31") == [
        "杭州海纳科技", "苏州恒瑞精密", "深圳ABC电子", "成都蓉城医疗", "北京新思路"]  # fmt: skip


def test_touched_before_counts_never_touched_as_before(book):
    assert names(book, "--touched-before", "2026-11-21") == [
        "杭州海纳科技",
        "深圳ABC电子",
        "成都蓉城医疗",
        "北京新思路",
    ]
    assert names(book, "--touched-before", "2026-11-20") == ["杭州海纳科技", "深圳ABC电子", "成都蓉城医疗"]
    assert names(book, "--touched-before", "2026-11-02") == ["深圳ABC电子", "成都蓉城医疗"]


def test_rival_by_its_name_key(book):
    assert names(book, "--rival", "kingdee") == ["杭州海纳科技", "苏州恒瑞精密"]
    assert names(book, "--rival", "ＫＩＮＧＤＥＥ") == ["杭州海纳科技", "苏州恒瑞精密"]
    assert names(book, "--rival", "用友") == ["成都蓉城医疗"]
    nobody = book("list", "--rival", "金蝶", "--format", "table")
    assert (nobody.exit_code, nobody.stdout, nobody.stderr) == (0, "", "no customers match\n")


def test_rival_recorded_by_the_rival_commands(book):
    ok(book("rival", "add", "深圳ABC电子", "Huawei云"))
    ok(book("lost", "苏州恒瑞精密", "--to", "ＨＵＡＷＥＩ云"))
    assert names(book, "--rival", "huawei云") == ["苏州恒瑞精密", "深圳ABC电子"]
    assert names(book, "--rival", "HUAWEI云", "--status", "lost") == ["苏州恒瑞精密"]


def test_a_card_that_entered_no_pipeline_is_in_the_books(book, target_db):
    """Cards imported before the funnel existed have no pipeline: they are the book's."""
    from kehu.store.db import open_store
    from kehu.store.location import resolve_location

    store = open_store(resolve_location(target_db))
    try:
        with store.write() as connection:
            connection.execute("UPDATE customer SET pipeline = NULL WHERE id = 2")
    finally:
        store.close()
    assert names(book, "--pipeline", "key-account", "--stage", "客户分析") == ["苏州恒瑞精密"]
    assert names(book, "--sort", "pipeline", "--limit", "1") == ["北京新思路"]
    assert names(book, "--sort", "stage", "--limit", "1") == ["苏州恒瑞精密"]


def test_filters_combine_with_each_other_and_the_card_filters(book):
    assert names(book, "--status", "open", "--min-value", "50万") == ["杭州海纳科技", "北京新思路"]
    assert names(book, "--rival", "kingdee", "--stage", "value", "--owner", "王磊") == ["杭州海纳科技"]
    assert names(book, "--rival", "kingdee", "--touched-before", TODAY) == ["杭州海纳科技"]
    assert names(book, "--grade", "B", "--status", "open") == ["苏州恒瑞精密", "北京新思路"]
    assert names(book, "--grade", "B", "--status", "open", "--all") == [
        "苏州恒瑞精密",
        "广州旧客户",
        "北京新思路",
    ]
    assert names(book, "--search", "杭州", "--due-before", "2026-11-10", "--status", "open") == [
        "杭州海纳科技"
    ]
    assert names(book, "--region", "浙江", "--stage", "analyse") == []
    assert names(book, "--archived", "--stage", "value", "--min-value", "80万") == ["广州旧客户"]
    lost = names(book, "--owner", "李娜", "--status", "lost", "--rival", "用友", "--max-value", "5000000")
    assert lost == ["成都蓉城医疗"]
    assert names(book, "--pipeline", "key-account", "--stage", "value", "--sort", "-expected_value",
                 "--all", "--limit", "1") == ["杭州海纳科技"]  # fmt: skip


# --- sorting ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        # Stages in the funnel's order (a tie: by id), not by their codes.
        ("stage", ["苏州恒瑞精密", "成都蓉城医疗", "北京新思路", "杭州海纳科技", "深圳ABC电子"]),
        ("-stage", ["深圳ABC电子", "杭州海纳科技", "成都蓉城医疗", "北京新思路", "苏州恒瑞精密"]),
        ("销售阶段", ["苏州恒瑞精密", "成都蓉城医疗", "北京新思路", "杭州海纳科技", "深圳ABC电子"]),
        ("status", ["杭州海纳科技", "苏州恒瑞精密", "北京新思路", "深圳ABC电子", "成都蓉城医疗"]),
        ("-status", ["成都蓉城医疗", "深圳ABC电子", "杭州海纳科技", "苏州恒瑞精密", "北京新思路"]),
        ("next_due", ["杭州海纳科技", "深圳ABC电子", "成都蓉城医疗", "北京新思路", "苏州恒瑞精密"]),
        ("-next due", ["苏州恒瑞精密", "北京新思路", "深圳ABC电子", "成都蓉城医疗", "杭州海纳科技"]),
        # Never touched goes last either way.
        ("last_touch_on", ["杭州海纳科技", "北京新思路", "苏州恒瑞精密", "深圳ABC电子", "成都蓉城医疗"]),
        ("-last_touch_on", ["苏州恒瑞精密", "北京新思路", "杭州海纳科技", "深圳ABC电子", "成都蓉城医疗"]),
        ("expected_value", ["苏州恒瑞精密", "北京新思路", "杭州海纳科技", "成都蓉城医疗", "深圳ABC电子"]),
        ("-expected_value", ["成都蓉城医疗", "杭州海纳科技", "北京新思路", "苏州恒瑞精密", "深圳ABC电子"]),
        ("pipeline,-grade", ["北京新思路", "成都蓉城医疗", "深圳ABC电子", "苏州恒瑞精密", "杭州海纳科技"]),
        ("-status,next_due", ["成都蓉城医疗", "深圳ABC电子", "杭州海纳科技", "北京新思路", "苏州恒瑞精密"]),
        ("region", ["杭州海纳科技", "苏州恒瑞精密", "深圳ABC电子", "成都蓉城医疗", "北京新思路"]),
        ("-region", ["杭州海纳科技", "苏州恒瑞精密", "深圳ABC电子", "成都蓉城医疗", "北京新思路"]),
        ("owner,-name", ["深圳ABC电子", "成都蓉城医疗", "苏州恒瑞精密", "杭州海纳科技", "北京新思路"]),
    ],
)
def test_sort_by_any_column_either_way_empty_last(book, sort, expected):
    assert names(book, "--sort", sort) == expected


def sortable() -> list[str]:
    from kehu.cli.customers import SORTABLE

    return list(SORTABLE)


def test_every_listed_column_sorts(book):
    """Each column of the list sorts both ways: the values in order, empty ones last."""
    from kehu.domain.fields import CUSTOMER_LIST_FIELDS

    kinds = {f.key: f.kind for f in CUSTOMER_LIST_FIELDS}
    assert sortable() == [f.key for f in CUSTOMER_LIST_FIELDS]
    for key in sortable():
        for descending in (False, True):
            result = ok(
                book("list", "--all", "--format", "json", "--sort", ("-" if descending else "") + key)
            )
            values = [row[key] for row in json.loads(result.stdout)]
            present = [v for v in values if v is not None]
            assert values == present + [None] * (len(values) - len(present)), (key, values)
            if kinds[key] in ("money", "count", "id"):
                present = [float(v) for v in present]
            if kinds[key] in ("money", "count", "id", "date", "timestamp"):
                assert present == sorted(present, reverse=descending), (key, descending, present)


# --- bad inputs ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--stage", "签约"],
            'kehu: --stage: unknown stage "签约"; the stages are: 1 analyse the customer '
            "(analyse), 2 build trust (trust), 3 uncover needs (needs), 4 present value (value), 5 win "
            "commitment (commit), 6 collect payment (collect), 7 after-sale care (maintain)",
        ),
        (  # every pipeline ends in the after-sale stage 维护 (issue 17): 7 is a stage, 8 is not
            ["--stage", "8"],
            'kehu: --stage: unknown stage "8"; the stages are: 1 analyse the customer '
            "(analyse), 2 build trust (trust), 3 uncover needs (needs), 4 present value (value), 5 win "
            "commitment (commit), 6 collect payment (collect), 7 after-sale care (maintain)",
        ),
        (
            ["--stage", "建立信任", "--pipeline", "development"],
            'kehu: --stage: unknown stage "建立信任"; the stages are: 1 pick the target (target), 2 '
            "samples and information (samples), 3 value assessment (assess), 4 relationship with "
            "decision makers (relationship), 5 close the deal (close), 6 after-sale care (maintain)",
        ),
        (["--status", "maybe"], "kehu: --status: unknown value 'maybe'; one of: open, won, lost"),
        (
            ["--pipeline", "saas"],
            "kehu: --pipeline: no pipeline 'saas'; known: key-account, development, consultative",
        ),
        (
            ["--min-value", "lots"],
            "kehu: --min-value: not an amount of money: lots (e.g. 850000, 1,200,000.50, 300k, 1.5M)",
        ),
        (["--max-value", "1.234"], "kehu: --max-value: more than two decimal places: 1.234"),
        (["--min-value", "100万", "--max-value", "50万"], "kehu: --min-value is more than --max-value"),
        (["--due-before", "someday"], None),
        (["--touched-before", "2026-13-01"], None),
        (["--rival", "  "], "kehu: --rival: give a rival's name"),
        (
            ["--sort", "stage,colour"],
            "kehu: --sort: unknown column 'colour'; sortable: " + ", ".join(CARD_KEYS + STATE_KEYS),
        ),
        (["--sort", ""], None),
    ],
)
def test_bad_values_are_one_line_usage_errors(book, args, message):
    said = refused(book, *args)
    if message is not None:
        assert said == message
    else:
        assert said.startswith(f"kehu: {args[0]}") or said.startswith("kehu: --sort"), said


def test_bad_values_in_chinese(book):
    zh = {"KEHU_LANG": "zh_CN"}
    result = book("list", "--status", "也许", env=zh)
    assert (result.exit_code, result.stderr) == (
        2,
        "kehu: --status：无效的值 '也许'；可选：进行中、赢单、丢单\n",
    )
    result = book("list", "--stage", "签约", env=zh)
    assert result.exit_code == 2 and result.stderr.startswith(
        'kehu: --stage：没有阶段 "签约"；可选阶段：1 客户分析'
    )
    result = book("list", "--min-value", "很多", env=zh)
    assert result.exit_code == 2 and result.stderr.startswith("kehu: --min-value：不是有效的金额：很多")


def test_exit_codes_of_a_real_process(book, kehu_process):
    bad = kehu_process("list", "--stage", "签约", "--format", "csv")
    assert (bad.returncode, bad.stdout) == (2, b"")
    good = kehu_process("list", "--stage", "呈现价值", "--status", "open", "--format", "csv", "-c", "id,name")
    assert (good.returncode, good.stdout) == (0, "id,name\n1,杭州海纳科技\n".encode())


# --- export → import: the computed columns are read past ----------------------------------------


def run_on(db: Path | str, *args: str, env: dict | None = None):
    result = CliRunner().invoke(app, ["--db", str(db), "--today", TODAY, *args], env=env)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return ok(result)


def cards_only(text: str) -> list[list[str]]:
    return [row[: len(CARD_KEYS)] for row in csv.reader(io.StringIO(text))]


@pytest.mark.parametrize("labels", [[], ["--labels"]])
def test_export_imports_into_a_new_book_and_the_book_sets_where_they_stand(kehu, tmp_path, labels):
    """A book whose customers moved along (SQLite file) exported, imported into a new book (this
    test's backend): the same cards; pipeline, stage, status, due and last touch are the new
    book's own (every card starts at the first stage, untouched)."""
    source = tmp_path / "source.db"
    build(lambda *args: run_on(source, *args))
    env = {"KEHU_LANG": "zh_CN"} if labels else None
    exported = run_on(source, "export", "customers", *labels, env=env).stdout
    (tmp_path / "customers.csv").write_text(exported, encoding="utf-8")
    ok(kehu("import", "customers", str(tmp_path / "customers.csv"), env=env))
    again = ok(kehu("export", "customers", *labels, env=env)).stdout
    assert cards_only(again) == cards_only(exported)
    states = [
        row[len(CARD_KEYS) :] for row in csv.reader(io.StringIO(ok(kehu("export", "customers")).stdout))
    ]
    assert states[0] == STATE_KEYS
    first = ["key-account", "analyse", "open"]
    assert [row[:3] for row in states[1:]] == [first] * 6
    assert all(row[4] == "" for row in states[1:])  # never touched in this book
    # Imported into its own book, nothing changes: the computed columns are no changes.
    (tmp_path / "again.csv").write_text(again, encoding="utf-8")
    same = ok(kehu("import", "customers", str(tmp_path / "again.csv")))
    assert same.stderr == "imported customers: 0 added, 0 updated, 6 unchanged, 0 skipped\n"


def test_computed_columns_of_a_sheet_are_read_past_whatever_they_hold(kehu, tmp_path):
    sheet = (
        "客户名称,客户等级,销售阶段,状态,下次跟进,上次跟进,pipeline\n"
        "杭州海纳科技,A,胡说,赢单,不是日期,2026-11-01,saas\n"
    )
    (tmp_path / "c.csv").write_text(sheet, encoding="utf-8")
    result = ok(kehu("import", "customers", str(tmp_path / "c.csv")))
    assert result.stderr == "imported customers: 1 added, 0 updated, 0 unchanged, 0 skipped\n"
    [row] = csv.DictReader(io.StringIO(ok(kehu("list", "--format", "csv", "-c", STATE)).stdout))
    assert row == {"name": "杭州海纳科技", "pipeline": "key-account", "stage": "analyse", "status": "open",
                   "next_due": TODAY, "last_touch_on": ""}  # fmt: skip
    # The help says so.
    assert "read past" in " ".join(ok(kehu("import", "customers", "--help")).stdout.split())


def test_list_csv_pipes_into_import_too(book, kehu, tmp_path):
    listed = ok(book("list", "--format", "csv", "--status", "open")).stdout
    (tmp_path / "open.csv").write_text(listed, encoding="utf-8")
    dry = ok(kehu("import", "customers", str(tmp_path / "open.csv"), "--dry-run"))
    assert dry.stdout == "dry run: would import 0 added, 0 updated, 3 unchanged, 0 skipped\n"


def test_dates_filtered_are_dates(book):
    """next_due and last_touch_on come back as ISO dates a script can compare."""
    rows = json.loads(ok(book("list", "--format", "json", "--touched-before", TODAY)).stdout)
    for row in rows:
        for key in ("next_due", "last_touch_on"):
            if row[key] is not None:
                assert date.fromisoformat(row[key]) <= date(2026, 12, 31)
