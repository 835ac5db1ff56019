"""Each key person's relationship stage (建立信任, issue 16): 认识 → 约会 → 信赖 → 同盟, set with
`kehu contact relate`, kept as history, carried by `kehu import|export relationships`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kehu.cli.app import app
from tests.conftest import TODAY
from tests.helpers import csv_rows, ok

HNKJ = "杭州海纳科技有限公司"


@pytest.fixture
def book(kehu):
    ok(kehu("add", HNKJ))
    ok(kehu("add", "深圳ＡＢＣ电子"))
    ok(kehu("contact", "add", "hnkj", "沈国强", "--role", "决策者", "--relationship", "认识"))
    ok(kehu("contact", "add", "hnkj", "吴晓丽"))
    ok(kehu("contact", "add", "深圳ＡＢＣ电子", "陈家豪"))
    return kehu


def stages(kehu, customer: str = "hnkj") -> dict[str, str]:
    return {
        r["name"]: r["relationship"] for r in csv_rows(ok(kehu("contact", "list", customer, "-f", "csv")))
    }


def test_relate_moves_up_and_keeps_the_history(book):
    result = ok(book("contact", "relate", "hnkj", "国强", "约会", "--on", "2026-11-02"))
    assert result.stderr == "沈国强: relationship acquainted → meeting\n"
    ok(book("contact", "relate", "hnkj", "沈国强", "trusted", "--reason", "饭后聊了家里的事"))
    ok(book("contact", "relate", "hnkj", "吴晓丽", "同盟", "--on", "2026-11-10"))
    ok(book("contact", "relate", "深圳ＡＢＣ电子", "陈家豪", "信任"))  # another word for 信赖
    assert stages(book) == {"沈国强": "trusted", "吴晓丽": "ally"}
    assert ok(book("contact", "relations", "hnkj", "-f", "csv")).stdout.splitlines() == [
        "customer,contact,changed_on,old_relationship,new_relationship,reason",
        f"{HNKJ},沈国强,{TODAY},meeting,trusted,饭后聊了家里的事",
        f"{HNKJ},吴晓丽,2026-11-10,,ally,",
        f"{HNKJ},沈国强,2026-11-02,acquainted,meeting,",
    ]
    only = json.loads(ok(book("contact", "relations", "hnkj", "--contact", "吴晓丽", "-f", "json")).stdout)
    assert only == [{"customer": HNKJ, "contact": "吴晓丽", "changed_on": "2026-11-10",
                     "old_relationship": None,
                     "new_relationship": "ally", "reason": None}]  # fmt: skip
    assert len(csv_rows(ok(book("contact", "relations", "-f", "csv")))) == 4  # the whole book


def test_the_stage_they_have_writes_nothing(book):
    result = ok(book("contact", "relate", "hnkj", "沈国强", "认识", "--reason", "again"))
    assert result.stderr == "沈国强 is already at acquainted\n"
    assert csv_rows(ok(book("contact", "relations", "hnkj", "-f", "csv"))) == []
    empty = ok(book("contact", "relations", "hnkj", "-f", "table"))
    assert (empty.stdout, empty.stderr) == ("", f"no relationship changes recorded for {HNKJ}\n")


def test_moving_down_needs_a_reason(book, kehu_process):
    ok(book("contact", "relate", "hnkj", "沈国强", "同盟"))
    refused = kehu_process("contact", "relate", "hnkj", "沈国强", "约会")
    assert refused.returncode == 2
    assert refused.stderr.decode() == "kehu: 沈国强 moves down from ally to meeting: say why with --reason\n"
    assert stages(book)["沈国强"] == "ally"
    ok(book("contact", "relate", "hnkj", "沈国强", "约会", "--reason", "他调去分公司了"))
    assert stages(book)["沈国强"] == "meeting"
    [latest, *_older] = csv_rows(ok(book("contact", "relations", "hnkj", "-f", "csv")))
    assert (latest["old_relationship"], latest["new_relationship"], latest["reason"]) == (
        "ally",
        "meeting",
        "他调去分公司了",
    )


def test_a_change_never_goes_before_the_latest_and_bad_words_are_usage_errors(book):
    ok(book("contact", "relate", "hnkj", "沈国强", "约会", "--on", "2026-11-20"))
    early = book("contact", "relate", "hnkj", "沈国强", "信赖", "--on", "2026-11-19")
    assert (early.exit_code, early.stderr) == (
        1,
        "kehu: 沈国强's latest relationship change is of 2026-11-20; a change cannot go before it\n",
    )
    assert book("contact", "relate", "hnkj", "沈国强", "好朋友").exit_code == 2
    assert book("contact", "relate", "hnkj", "沈国强", "信赖", "--on", "someday").exit_code == 2
    assert book("contact", "relate", "hnkj", "王总", "信赖").exit_code == 1
    assert book("contact", "relations", "--contact", "沈国强").exit_code == 2
    assert stages(book)["沈国强"] == "meeting"
    assert len(csv_rows(ok(book("contact", "relations", "-f", "csv")))) == 1


def test_the_card_shows_each_contacts_stage(book):
    ok(book("contact", "relate", "hnkj", "沈国强", "信赖"))
    card = json.loads(ok(book("show", "hnkj", "-f", "json")).stdout)
    assert [(c["name"], c["relationship"]) for c in card["contacts"]] == [
        ("沈国强", "trusted"),
        ("吴晓丽", None),
    ]
    table = ok(book("show", "hnkj", "-f", "table", env={"COLUMNS": "80", "LANG": "zh_CN.UTF-8"})).stdout
    assert "关系阶段" in table and "└── 沈国强 · 信赖" in table


def test_edit_leaves_the_stage_to_relate(book):
    result = book("contact", "edit", "hnkj", "沈国强", "--relationship", "同盟")
    assert result.exit_code == 2 and "--relationship" in result.stderr


@pytest.fixture
def second_book(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """An empty book beside the test's own, on the same backend."""
    if backend == "sqlite":
        yield str(tmp_path / "second.db")
        return
    from tests.conftest import pg_database

    with pg_database(request.getfixturevalue("pg_template")) as url:
        yield url


def test_export_and_import_round_trip(book, second_book: str, tmp_path: Path):
    ok(book("contact", "relate", "hnkj", "沈国强", "约会", "--on", "2026-11-02"))
    ok(book("contact", "relate", "hnkj", "吴晓丽", "同盟", "--on", "2026-11-01", "--reason", "老同学"))
    ok(book("contact", "relate", "hnkj", "沈国强", "认识", "--reason", "换了分管", "--on", "2026-11-05"))
    ok(book("contact", "relate", "深圳ＡＢＣ电子", "陈家豪", "信赖"))
    files = {}
    for kind in ("customers", "contacts", "relationships"):
        files[kind] = tmp_path / f"{kind}.csv"
        files[kind].write_text(ok(book("export", kind)).stdout, encoding="utf-8")
    assert files["relationships"].read_text(encoding="utf-8").splitlines() == [
        "customer,contact,changed_on,old_relationship,new_relationship,reason",
        f"{HNKJ},吴晓丽,2026-11-01,,ally,老同学",
        f"{HNKJ},沈国强,2026-11-02,acquainted,meeting,",
        f"{HNKJ},沈国强,2026-11-05,meeting,acquainted,换了分管",
        f"深圳ＡＢＣ电子,陈家豪,{TODAY},,trusted,",
    ]

    def second(*args: str) -> str:
        result = CliRunner().invoke(app, ["--db", second_book, "--today", TODAY, *args])
        assert result.exit_code == 0, result.stderr
        return result.stdout + result.stderr

    for kind in ("customers", "contacts"):
        second("import", kind, str(files[kind]))
    assert second("import", "relationships", str(files["relationships"]), "--dry-run") == (
        "dry run: would import 4 added, 0 updated, 0 unchanged, 0 skipped\n"
    )
    assert second("export", "relationships").count("\n") == 1  # the header: the dry run wrote nothing
    assert second("import", "relationships", str(files["relationships"])) == (
        "imported relationship changes: 4 added, 0 updated, 0 unchanged, 0 skipped\n"
    )
    for kind in ("relationships", "contacts"):
        assert second("export", kind) == files[kind].read_text(encoding="utf-8"), kind


def test_an_import_row_is_what_relate_does(book, tmp_path: Path):
    sheet = tmp_path / "关系.csv"
    sheet.write_text(
        "客户名称,联系人,日期,新阶段,原因\n"
        f"{HNKJ},吴晓丽,2026-11-03,信赖,\n"
        f"{HNKJ},沈国强,2026-11-01,约会,\n"  # in the order of the days, whatever the file's
        f"{HNKJ},沈国强,2026-11-04,同盟,拿下了\n",
        encoding="utf-8",
    )
    assert ok(book("import", "relationships", str(sheet))).stderr == (
        "imported relationship changes: 3 added, 0 updated, 0 unchanged, 0 skipped\n"
    )
    assert stages(book) == {"沈国强": "ally", "吴晓丽": "trusted"}
    rows = csv_rows(ok(book("contact", "relations", "hnkj", "-f", "csv")))
    assert [(r["contact"], r["old_relationship"], r["new_relationship"]) for r in rows] == [
        ("沈国强", "meeting", "ally"), ("吴晓丽", "", "trusted"), ("沈国强", "acquainted", "meeting"),
    ]  # fmt: skip


def test_a_bad_row_refuses_the_whole_file(book, tmp_path: Path):
    sheet = tmp_path / "关系.csv"
    sheet.write_text(
        "customer,contact,day,to,reason\n"
        f"{HNKJ},吴晓丽,2026-11-03,ally,\n"
        f"{HNKJ},吴晓丽,2026-11-04,acquainted,\n"  # down, no reason
        f"{HNKJ},王总,2026-11-04,ally,\n"
        "不存在,王总,2026-11-04,ally,\n",
        encoding="utf-8",
    )
    result = book("import", "relationships", str(sheet))
    assert result.exit_code == 65
    assert result.stderr.splitlines() == [
        "kehu: 关系.csv: 3 bad rows; nothing was imported",
        "line 3, to: 吴晓丽 moves down from ally to acquainted: say why with --reason",
        f"line 4, contact: '{HNKJ}' has no contact named '王总'",
        "line 5, customer: no customer named '不存在' (import the customers first)",
    ]
    assert stages(book) == {"沈国强": "acquainted", "吴晓丽": ""}
    assert csv_rows(ok(book("export", "relationships"))) == []


def test_the_python_api_relates_and_draws(book, target_db: str):
    import kehu

    with kehu.open_book(target_db, today=TODAY) as api:
        related = api.relate("hnkj", "沈国强", "信赖", on="2026-11-20")
        assert (related.old, related.new, related.changed) == ("acquainted", "trusted", True)
        history = [(c["contact"], c["new_relationship"]) for c in api.relations("hnkj")]
        assert history == [("沈国强", "trusted")]
        drawn = [(depth, person["name"]) for depth, person in api.org("hnkj")]
        assert drawn == [(0, "沈国强"), (0, "吴晓丽")]
