"""After the sale (维护): the last payment moves a won customer on, the after-sale touches
suggested in kehu followups, and the next deal of a won customer (kehu reopen --new-deal)."""

from __future__ import annotations

import json

import pytest

from tests.helpers import ok


def stages(kehu, name: str) -> list[tuple]:
    events = json.loads(ok(kehu("stages", name, "--format", "json")).stdout)
    return [(e["changed_on"], e["event"], e["from_stage"], e["to_stage"]) for e in events]


def followups(kehu, *args: str) -> list[dict]:
    return json.loads(ok(kehu("followups", *args, "--format", "json")).stdout)


@pytest.fixture
def paid(kehu):
    """海纳, referred by 宁波远航, won and paid in full on 2026-11-02 (TODAY is 2026-11-23)."""
    ok(kehu("add", "宁波远航贸易", "--grade", "E"))
    ok(kehu("add", "杭州海纳科技", "--grade", "B", "--referrer", "宁波远航贸易"))
    ok(kehu("won", "海纳", "--amount", "100万"))
    ok(kehu("contract", "add", "海纳", "--amount", "100万", "--signed", "2026-10-01", "--terms", "30天"))
    ok(kehu("pay", "海纳", "600,000.00", "--date", "2026-10-20"))
    ok(kehu("pay", "海纳", "400,000.00", "--date", "2026-11-02"))
    return kehu


def test_the_last_payment_moves_a_won_customer_to_maintenance(paid):
    assert stages(paid, "海纳") == [
        ("2026-11-23", "won", "analyse", "collect"),
        ("2026-11-02", "collected", "collect", "maintain"),
    ]
    card = json.loads(ok(paid("list", "--format", "json")).stdout)
    hn = next(c for c in card if c["name"] == "杭州海纳科技")
    assert (hn["status"], hn["stage"]) == ("won", "maintain")
    # A customer in 维护 is followed up at its grade's cadence (B: 7 days) like any other.
    ok(paid("log", "海纳", "回访，使用正常", "--date", "2026-11-20"))
    due = [
        i
        for i in followups(paid, "week")
        if i["kind"] in ("due", "overdue") and i["customer"] == "杭州海纳科技"
    ]
    assert [i["day"] for i in due] == ["2026-11-27"]


def test_the_last_payment_says_where_the_customer_moved(kehu):
    ok(kehu("add", "杭州海纳科技"))
    ok(kehu("won", "海纳", "--amount", "10万"))
    ok(kehu("contract", "add", "海纳", "--amount", "10万", "--signed", "2026-10-01", "--terms", "30天"))
    paid = ok(kehu("pay", "海纳", "10万", env={"KEHU_LANG": "en"}))
    assert paid.stderr.splitlines()[-1] == "all money collected: 杭州海纳科技 moves on to after-sale care"
    # A contract number of another customer's, or one paid off, is named in the refusal.
    refused = kehu("pay", "海纳", "1万", "--contract", "1", env={"KEHU_LANG": "en"})
    assert refused.exit_code == 1
    assert refused.stderr == "kehu: 杭州海纳科技 has no contract 1 with money outstanding\n"


def test_every_pipeline_ends_in_its_after_sale_stage(kehu):
    shown = json.loads(ok(kehu("pipeline", "show", "key-account", "--format", "json")).stdout)
    assert [s["key"] for s in shown][-2:] == ["collect", "maintain"]
    development = json.loads(ok(kehu("pipeline", "show", "development", "--format", "json")).stdout)
    assert [s["key"] for s in development][-2:] == ["close", "maintain"]
    # The seven-step funnel's own 重复采购 starts where the money is all in: it is its 维护.
    consultative = json.loads(ok(kehu("pipeline", "show", "consultative", "--format", "json")).stdout)
    assert [s["key"] for s in consultative][-2:] == ["deliver", "repeat"]


def test_an_open_customer_paid_in_full_stays_where_it_is(kehu):
    ok(kehu("add", "宁波远航贸易"))
    ok(kehu("contract", "add", "远航", "--amount", "5万", "--signed", "2026-11-01", "--terms", "30天"))
    ok(kehu("pay", "远航", "5万"))
    assert stages(kehu, "远航") == [("2026-11-23", "collected", "analyse", "analyse")]


def test_after_sale_touches_are_suggested_one_at_a_time_until_done(paid):
    def suggested(*args):
        return [
            (i["customer"], i["day"], i["note"]) for i in followups(paid, *args) if i["kind"] == "after_sale"
        ]

    # First: thank the referrer on the day 海纳 reached 维护.
    assert suggested() == [("杭州海纳科技", "2026-11-02", "thank_referrer")]
    table = ok(paid("followups", "--format", "table", env={"COLUMNS": "120"})).stdout
    assert "thank 宁波远航贸易, who referred them" in table
    ok(paid("log", "海纳", "感谢宁波远航的介绍", "--date", "2026-11-23"))
    # Done by that touch; asking for a referral is due a month after the move (2026-12-02).
    assert suggested() == []
    assert suggested("2026-12-02") == [("杭州海纳科技", "2026-12-02", "ask_referral")]
    assert suggested("2027-09-05") == [("杭州海纳科技", "2026-12-02", "ask_referral")]  # one a customer
    # The next purchase: a month before a year has passed since the last signing (2026-10-01).
    ok(paid("--today", "2026-12-03", "log", "海纳", "请介绍客户"))
    later = [(i["day"], i["note"]) for i in json.loads(ok(paid(
        "--today", "2026-12-03", "followups", "2027-09-01", "--format", "json")).stdout)
        if i["kind"] == "after_sale"]  # fmt: skip
    assert later == [("2027-09-01", "next_purchase")]


def test_reopen_new_deal_starts_the_next_purchase_keeping_the_history(paid):
    refused = paid("reopen", "远航", "--new-deal")
    assert refused.exit_code == 1
    assert (
        refused.stderr == "kehu: 宁波远航贸易 is not won: --new-deal starts the next deal of a won customer\n"
    )
    assert "kehu reopen --new-deal starts its next deal" in paid("advance", "海纳").stderr
    done = ok(paid("reopen", "海纳", "--new-deal"))
    assert done.stderr == "杭州海纳科技: a new deal starts\n"
    assert stages(paid, "海纳")[0] == ("2026-11-23", "new_deal", "maintain", "analyse")
    assert len(stages(paid, "海纳")) == 3
    contracts = json.loads(ok(paid("contract", "list", "海纳", "--format", "json")).stdout)
    assert [(c["amount"], c["paid"]) for c in contracts] == [("1000000.00", "1000000.00")]
    card = next(
        c for c in json.loads(ok(paid("list", "--format", "json")).stdout) if c["name"] == "杭州海纳科技"
    )
    assert (card["status"], card["stage"]) == ("open", "analyse")
    labelled = json.loads(ok(paid("stages", "海纳", "--format", "json", "--labels")).stdout)
    assert labelled[0]["event"] == "new deal"
