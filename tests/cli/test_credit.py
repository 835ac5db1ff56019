"""Credit before the sale (信用审查): `kehu credit`, `credit list`, qualify's line, the contract
over the limit, import/export, the config file's thresholds — on both backends."""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tests.helpers import csv_rows, ok


def judged(kehu, *args: str) -> list[dict]:
    return json.loads(ok(kehu("credit", *args, "--format", "json")).stdout)


@pytest.fixture
def book(kehu):
    ok(kehu("add", "杭州海纳科技"))
    ok(kehu("add", "南京钟山软件"))
    return kehu


def test_a_check_is_recorded_and_its_latest_judged_figure_by_figure(book):
    added = ok(book("credit", "hnkj", "--capital", "2000万", "--years", "3", "--history", "良好",
                    "--limit", "150万", "--net-margin", "-2.5", "--roa", "6%", "--collection-days", "45",
                    "--on", "上周一"))  # fmt: skip
    assert added.stderr == "--on: 2026-11-16\ncredit check 1 of 杭州海纳科技 on 2026-11-16: fail\n"
    rows = [(r["measure"], r["value"], r["pass_if"], r["fail_if"], r["result"]) for r in judged(book, "hnkj")]
    assert rows == [
        ("registered_capital", "20000000.00", ">= 5000000", "< 1000000", "pass"),
        ("years_in_business", "3", ">= 5", "< 2", "watch"),
        ("payment_history", "good", "good", "bad", "pass"),
        ("collection_days", "45", "<= 60", "> 90", "pass"),
        ("current_asset_ratio", None, ">= 200", "< 100", "missing"),
        ("net_margin", "-2.50", ">= 5", "< 0", "fail"),
        ("return_on_assets", "6.00", ">= 5", "< 0", "pass"),
        ("inventory_days", None, "<= 90", "> 180", "missing"),
        ("receivable_days", None, "<= 90", "> 180", "missing"),
        ("overall", None, "", "", "fail"),
    ]
    # A later check is the one judged; the list has both, latest first, each with its result.
    ok(book("credit", "hnkj", "--history", "slow", "--limit", "100万"))
    assert [r["result"] for r in judged(book, "hnkj")][-1] == "watch"
    listed = json.loads(ok(book("credit", "list", "--format", "json")).stdout)
    assert [(r["id"], r["checked_on"], r["credit_limit"], r["result"]) for r in listed] == [
        (2, "2026-11-23", "1000000.00", "watch"), (1, "2026-11-16", "1500000.00", "fail")]  # fmt: skip


def test_the_judgement_as_a_table_says_it_in_words(book):
    ok(book("credit", "hnkj", "--capital", "2000万", "--history", "bad", "--limit", "150万"))
    shown = ok(book("credit", "hnkj", "--format", "table"))
    assert "杭州海纳科技: credit checked 2026-11-23, limit 1,500,000.00" in shown.stdout
    lines = shown.stdout.splitlines()
    assert any("registered capital" in line and "20,000,000.00" in line and ">= 5,000,000" in line
               and "pass" in line for line in lines)  # fmt: skip
    assert any("payment history" in line and "bad" in line and "fail" in line for line in lines)
    assert any("overall" in line and "fail" in line for line in lines)


def test_no_check_yet_and_bad_figures_are_clear_errors_with_nothing_written(book):
    none = ok(book("credit", "钟山"))
    assert (none.stdout, none.stderr) == ("measure,value,pass_if,fail_if,result\n",
                                          "南京钟山软件 has no credit check yet\n")  # fmt: skip
    for args, words in (
        (["--history", "so-so"], "--history: unknown value 'so-so'; one of: good, slow, bad, none"),
        (["--net-margin", "lots"], "--net-margin: not a percentage: lots"),
        (["--years", "many"], "--years: not a whole number: many"),
        (["--capital", "abc"], "--capital: not an amount of money"),
        (
            ["--history", "good", "--on", "明天"],
            "--on: a credit check cannot be dated in the future (2026-11-24)",
        ),
        (["--notes", "only notes"], "give at least one figure of the check"),
    ):
        refused = book("credit", "钟山", *args)
        assert refused.exit_code == 2, args
        assert words in refused.stderr, refused.stderr
    assert json.loads(ok(book("credit", "list", "--format", "json")).stdout) == []


def test_qualify_shows_the_latest_credit_result_beside_the_six_questions(book):
    before = ok(book("qualify", "hnkj", "--need", "是"))
    assert before.stderr == "credit: not checked yet (kehu credit)\n"
    ok(book("credit", "hnkj", "--years", "1", "--on", "2026-11-20"))
    after = ok(book("qualify", "hnkj", "--format", "csv"))
    assert after.stdout.splitlines()[1] == "need,need,yes"
    assert after.stderr == "credit: fail, checked 2026-11-20 (kehu credit)\n"


def test_a_contract_taking_what_is_owed_over_the_limit_warns_and_is_recorded(book):
    ok(book("credit", "hnkj", "--limit", "150万"))
    under = ok(book("contract", "add", "hnkj", "-a", "100万", "--terms", "30天"))
    assert "credit limit" not in under.stderr
    at = ok(book("contract", "add", "hnkj", "-a", "50万", "--terms", "30天"))  # 150万: at the limit
    assert "credit limit" not in at.stderr
    over = ok(book("contract", "add", "hnkj", "-a", "0.01", "--terms", "30天"))
    assert over.exit_code == 0
    assert ("warning: with this contract of 0.01, 杭州海纳科技 owes 1500000.01, over its credit limit of "
            "1500000.00 (checked 2026-11-23)\n") in over.stderr  # fmt: skip
    assert len(csv_rows(book("contract", "list", "hnkj", "--format", "csv"))) == 3
    # What was paid no longer counts against the limit; a customer never checked has none.
    ok(book("pay", "hnkj", "100万"))
    assert "credit limit" not in ok(book("contract", "add", "hnkj", "-a", "99万", "--terms", "30天")).stderr
    assert "credit limit" not in ok(book("contract", "add", "钟山", "-a", "9999万", "--terms", "30天")).stderr


def test_the_book_returns_the_over_limit_warning_and_prints_nothing(book, store, capsys):
    from kehu.book import contracts

    ok(book("credit", "hnkj", "--limit", "100万", "--on", "2026-11-20"))
    now = datetime(2026, 11, 23, 9, tzinfo=UTC)
    within = contracts.add_contract(store, "hnkj", "100万", today=date(2026, 11, 23), now=now, terms="30天")
    assert within.warnings == ()
    over = contracts.add_contract(store, "hnkj", "1", today=date(2026, 11, 23), now=now, terms="30天")
    assert over.warnings == ("warning: with this contract of 1.00, 杭州海纳科技 owes 1000001.00, over its "
                             "credit limit of 1000000.00 (checked 2026-11-20)",)  # fmt: skip
    assert capsys.readouterr().err == ""  # the caller says it, not the book
    assert len(csv_rows(book("contract", "list", "hnkj", "--format", "csv"))) == 2  # both recorded


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "jsonl", "table"])
def test_every_format_of_the_list(book, fmt):
    ok(book("credit", "hnkj", "--capital", "500万", "--limit", "100万", "--notes", "企查查"))
    shown = ok(book("credit", "list", "hnkj", "--format", fmt)).stdout
    assert "杭州海纳科技" in shown
    assert ("1,000,000.00" if fmt == "table" else "1000000.00") in shown


def test_export_and_import_carry_every_figure(book, tmp_path):
    ok(book("credit", "hnkj", "--capital", "2000万", "--years", "12", "--history", "slow",
            "--collection-days", "75", "--limit", "150万", "--current-asset-ratio", "180",
            "--net-margin", "6.5", "--roa", "-1", "--inventory-days", "100", "--receivable-days", "200",
            "--notes", "年报", "--on", "2026-10-01"))  # fmt: skip
    exported = ok(book("export", "credit")).stdout
    assert exported.splitlines()[1] == (
        "1,杭州海纳科技,2026-10-01,20000000.00,12,slow,75,1500000.00,180.00,6.50,-1.00,100,200,年报"
    )
    path = tmp_path / "credit.csv"
    path.write_text(exported, encoding="utf-8")
    imported = ok(book("import", "credit", str(path)))
    assert imported.stderr == "imported credit checks: 1 added, 0 updated, 0 unchanged, 0 skipped\n"
    again = ok(book("export", "credit")).stdout.splitlines()
    assert again[2] == "2" + again[1][1:]
    # What credit list prints imports too (its result column is read past); a bad row refuses all.
    listed = tmp_path / "list.csv"
    listed.write_text(ok(book("credit", "list", "--format", "csv")).stdout, encoding="utf-8")
    assert "2 added" in ok(book("import", "credit", str(listed), "--dry-run")).stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("customer,net_margin\n杭州海纳科技,5\n杭州海纳科技,lots\n无此客户,1\n", encoding="utf-8")
    refused = book("import", "credit", str(bad))
    assert refused.exit_code == 65
    assert "not a percentage: lots" in refused.stderr and "no customer named '无此客户'" in refused.stderr
    assert len(csv_rows(book("export", "credit"))) == 2


# --- the book's thresholds (the config file's [credit] table) -----------------------------------


def write_config(text: str) -> Path:
    path = Path(os.environ["KEHU_CONFIG"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_thresholds_from_the_config_judge_credit_list_and_qualify(book):
    ok(book("credit", "hnkj", "--net-margin", "6", "--receivable-days", "100", "--on", "2026-11-20"))
    assert [r["result"] for r in judged(book, "hnkj")][-1] == "watch"  # kehu's: 6% passes, 100 days watch
    ok(book("qualify", "hnkj"))
    write_config("[credit.net_margin]\npass = 8\nwatch = 3\n\n"
                 "[credit]\nreceivable_days = { pass = 120, watch = 150 }\n")  # fmt: skip
    rows = {r["measure"]: r for r in judged(book, "hnkj")}
    assert (rows["net_margin"]["pass_if"], rows["net_margin"]["fail_if"]) == (">= 8", "< 3")
    assert (rows["net_margin"]["result"], rows["receivable_days"]["result"]) == ("watch", "pass")
    assert rows["years_in_business"]["pass_if"] == ">= 5"  # a figure the file leaves out: kehu's
    write_config("[credit.net_margin]\npass = 10\nwatch = 7\n")
    assert [r["result"] for r in judged(book, "hnkj")][-1] == "fail"
    assert json.loads(ok(book("credit", "list", "--format", "json")).stdout)[0]["result"] == "fail"
    assert ok(book("qualify", "hnkj")).stderr == "credit: fail, checked 2026-11-20 (kehu credit)\n"
    recorded = ok(book("credit", "钟山", "--net-margin", "8"))
    assert recorded.stderr == "credit check 2 of 南京钟山软件 on 2026-11-23: watch\n"
    table = ok(book("credit", "hnkj", "--format", "table")).stdout
    assert any("net margin" in line and ">= 10%" in line and "< 7%" in line for line in table.splitlines())


@pytest.mark.parametrize(("content", "line", "says"), [
    ("[credit.net_margn]\npass = 8\nwatch = 3\n", 1, "unknown figure credit.net_margn; one of: "),
    ("# mine\n[credit.net_margin]\npass = 3\nwatch = 8\n", 4,
     "credit.net_margin: more is better, so pass (3) cannot be under watch (8)"),
    ("[credit]\nreceivable_days = { pass = 120, watch = 60 }\n", 2,
     "credit.receivable_days: less is better, so pass (120) cannot be over watch (60)"),
    ('[credit.net_margin]\npass = "8%"\nwatch = 3\n', 2,
     "credit.net_margin.pass must be a number, in percent"),
    ("[credit.inventory_days]\npass = 90\n", 1, "credit.inventory_days needs both pass and watch"),
    ("[credit.net_margin]\npass = 8\nwatch = 3\nfail = 0\n", 4, "unknown key fail in credit.net_margin"),
    ("credit = 5\n", 1, "credit holds a table per figure"),
])  # fmt: skip
def test_a_bad_credit_table_is_exit_78_with_file_and_line_and_nothing_written(book, content, line, says):
    path = write_config(content)
    refused = book("credit", "hnkj", "--net-margin", "6")
    assert refused.exit_code == 78
    assert refused.stderr.startswith(f"kehu: bad config file {path}, line {line}: {says}")
    assert len(refused.stderr.splitlines()) == 1 and refused.stdout == ""
    path.unlink()
    assert json.loads(ok(book("credit", "list", "--format", "json")).stdout) == []
