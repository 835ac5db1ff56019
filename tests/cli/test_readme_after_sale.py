"""README's "After the contract" runs as written (issue 17), on both backends: the deal room's
contract MZ-01 goes from its deposit to the last instalment, a promise broken on its day comes back
in the morning list, the customer moves to 维护 and has a complaint, a new deal starts, and a month's
results are set against its target."""

from __future__ import annotations

import json

from tests.helpers import csv_rows, ok, readme_commands

AFTER = "After the contract"


def run_until(kehu, stop: str | None = None) -> None:
    """The deal room, then the after-the-contract block up to (not including) the first command
    whose words contain `stop`."""
    for args in readme_commands("The deal room") + readme_commands(AFTER):
        if stop and stop in args:
            return
        ok(kehu(*args))


def test_the_readme_after_the_contract_runs_as_written(kehu):
    commands = readme_commands(AFTER)
    assert len(commands) >= 12
    run_until(kehu)
    parts = csv_rows(kehu("contract", "list", "--instalments", "--format", "csv"))
    assert [(p["label"], p["amount"], p["due_on"], p["outstanding"]) for p in parts] == [
        ("签约", "234000.00", "2026-11-20", "0.00"),
        ("验收后30天", "468000.00", "2027-02-07", "0.00"),
        ("质保1年", "78000.00", "2028-01-08", "0.00"),
    ]
    stages = [
        (row["event"], row["to_stage"]) for row in csv_rows(kehu("stages", "宁波明州", "--format", "csv"))
    ]
    assert stages[:2] == [("new_deal", "analyse"), ("collected", "maintain")]
    [complaint] = csv_rows(kehu("complaint", "list", "--format", "csv"))
    assert (complaint["description"], complaint["severity"], complaint["status"]) == (
        "扫码枪经常掉线",
        "high",
        "open",
    )
    targets = csv_rows(kehu("report", "targets", "--from", "2027-03", "--to", "2027-03", "--format", "csv"))
    collected = {row["measure"]: (row["actual"], row["target"]) for row in targets}["collected"]
    assert collected == ("468000.00", "2000000.00")  # the second instalment came in in March


def test_the_broken_promise_comes_back_the_morning_after_its_day(kehu):
    run_until(kehu, stop="46.8万")  # before the second instalment is paid
    morning = json.loads(ok(kehu("--today", "2027-03-01", "followups", "today", "--format", "json")).stdout)
    [promise] = [row for row in morning if row["kind"] == "promise"]
    assert (promise["day"], promise["note"], promise["promised_amount"]) == (
        "2027-02-28",
        "broken",
        "234000.00",
    )
    [collect] = [row for row in morning if row["kind"] == "collect"]
    assert (collect["note"], collect["document"]) == ("finance", "overdue_notice")  # 46.8万 at 22 days


def test_the_card_in_maintenance_shows_the_complaint(kehu):
    run_until(kehu, stop="reopen")
    card = json.loads(ok(kehu("--today", "2028-01-12", "show", "宁波明州", "--format", "json")).stdout)
    assert (card["funnel"]["status"], card["funnel"]["stage"]) == ("won", "maintain")
    assert [c["description"] for c in card["complaints"]] == ["扫码枪经常掉线"]
