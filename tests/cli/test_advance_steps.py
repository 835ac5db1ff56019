"""kehu advance one stage at a time (issue 16): several stages need the evidence of each or
--skip-evidence (kept as `skipped` moves), a needs or value stage is left on the recorded need
or proposal, and passing 建立信任 short of trust with the decision maker warns. Both backends."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from tests.helpers import ok

MOMENT = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def moves(kehu, customer: str) -> list[tuple]:
    data = json.loads(ok(kehu("stages", customer, "--format", "json")).stdout)
    return [(r["event"], r["from_stage"], r["to_stage"], r["evidence"]) for r in data]


def sql(store, statement: str, **params) -> None:
    """Write rows another engineer's commands will write (needs, proposals, relationships)."""
    with store.write() as connection:
        connection.execute(statement, params)


def customer_id(store, name: str) -> int:
    with store.read() as connection:
        return connection.execute("SELECT id FROM customer WHERE name = :name", {"name": name}).scalar()


def add_need(store, customer: str, description: str, *, priority: str | None, status: str = "open") -> None:
    sql(store, "INSERT INTO need (customer_id, description, priority, status, noted_on, created_at, "
        "updated_at) VALUES (:customer_id, :description, :priority, :status, :noted_on, :now, :now)",
        customer_id=customer_id(store, customer), description=description, priority=priority, status=status,
        noted_on=date(2026, 11, 1), now=MOMENT)  # fmt: skip


def add_proposal(store, customer: str, title: str, version: int, status: str) -> None:
    sql(store, "INSERT INTO proposal (customer_id, title, version, status, created_at, updated_at) "
        "VALUES (:customer_id, :title, :version, :status, :now, :now)",
        customer_id=customer_id(store, customer), title=title, version=version, status=status,
        now=MOMENT)  # fmt: skip


@pytest.fixture
def deal(kehu):
    ok(kehu("add", "杭州海纳科技", "--grade", "B", "--expected-value", "120万"))
    return kehu


def test_yes_moves_exactly_one_stage(deal):
    moved = ok(deal("advance", "海纳", "--yes"))
    assert moved.stderr.endswith("杭州海纳科技: analyse the customer → build trust (15%)\n")
    assert moves(deal, "海纳") == [("advance", "analyse", "trust", None)]


def test_several_stages_ahead_are_refused_without_the_evidence_of_each(deal):
    refused = deal("advance", "海纳", "呈现价值", "--yes")
    assert refused.exit_code == 2
    assert refused.stderr == (
        "kehu: moving from analyse the customer to present value passes 3 stages: give --evidence once for "
        "each, in order, or --skip-evidence; still without evidence: analyse the customer, build trust, "
        "uncover needs\n"
    )  # fmt: skip
    fewer = deal("advance", "海纳", "4", "--evidence", "客户发来了书面采购需求")
    assert fewer.exit_code == 2
    assert fewer.stderr.endswith("still without evidence: analyse the customer, build trust\n")
    too_many = deal("advance", "海纳", "2", "-e", "a", "-e", "b")
    assert (too_many.exit_code, too_many.stderr) == (2, "kehu: 2 --evidence given for 1 stages passed\n")
    assert moves(deal, "海纳") == []  # nothing written


def test_the_evidence_of_each_stage_passed_in_order(deal):
    ok(deal("advance", "海纳", "4", "-e", "有预算的机会", "-e", "沈总信任我们", "-e", "书面采购需求"))
    assert moves(deal, "海纳") == [
        ("advance", "needs", "value", "书面采购需求"),
        ("advance", "trust", "needs", "沈总信任我们"),
        ("advance", "analyse", "trust", "有预算的机会"),
    ]  # fmt: skip


def test_skip_evidence_keeps_every_stage_passed_as_skipped(deal):
    moved = ok(deal("advance", "海纳", "呈现价值", "--skip-evidence", "--evidence", "书面采购需求"))
    assert "skipped without evidence: analyse the customer, build trust\n" in moved.stderr
    assert moves(deal, "海纳") == [
        ("advance", "needs", "value", "书面采购需求"),  # the evidence given is the last stage's
        ("skipped", "trust", "needs", None),
        ("skipped", "analyse", "trust", None),
    ]  # fmt: skip
    table = ok(deal("stages", "海纳", "--format", "table", env={"COLUMNS": "120"})).stdout
    assert table.count("skipped") == 2
    chinese = ok(deal("stages", "海纳", "--format", "table", env={"COLUMNS": "120", "KEHU_LANG": "zh_CN"}))
    assert chinese.stdout.count("跳过") == 2


def test_a_skipped_stage_counts_as_entered_in_the_funnel_report(deal, on):
    ok(on("2026-11-23", "advance", "海纳", "commit", "--skip-evidence"))
    rows = {r["stage"]: r for r in json.loads(ok(deal("report", "funnel", "--format", "json")).stdout)}
    # Every stage passed was entered and left for the next: each converts, the last holds it.
    assert [rows[key]["conversion"] for key in ("analyse", "trust", "needs", "value")] == [1, 1, 1, 1]
    assert (rows["commit"]["count"], rows["commit"]["conversion"]) == (1, None)


def test_leaving_needs_offers_the_open_need_of_the_highest_priority(deal, store, kehu_process):
    ok(deal("advance", "海纳", "needs", "--skip-evidence"))
    add_need(store, "杭州海纳科技", "顺便做个报表", priority="low")
    add_need(store, "杭州海纳科技", "产线数据要实时上云", priority="high")
    add_need(store, "杭州海纳科技", "已满足的老需求", priority="high", status="met")
    refused = kehu_process("advance", "海纳")  # off a terminal, without --yes
    assert refused.returncode == 2
    assert refused.stderr.decode() == (
        'kehu: leaving uncover needs needs its end marker met: the recorded need "产线数据要实时上云" can be '
        'the evidence: give --yes to use it, or --evidence "clear customer requirements are obtained '
        '(usually written purchase requirements or a tender document)"\n'
    )  # fmt: skip
    assert moves(deal, "海纳")[0][0] == "skipped"  # nothing written
    taken = ok(deal("advance", "海纳", "--yes"))
    assert "evidence: 产线数据要实时上云\n" in taken.stderr
    assert moves(deal, "海纳")[0] == ("advance", "needs", "value", "产线数据要实时上云")


def test_leaving_value_offers_the_latest_proposal_sent_before_a_draft(deal, store):
    ok(deal("advance", "海纳", "value", "--skip-evidence"))
    add_proposal(store, "杭州海纳科技", "MES 方案", 1, "sent")
    add_proposal(store, "杭州海纳科技", "MES 方案", 2, "sent")
    add_proposal(store, "杭州海纳科技", "MES 方案", 3, "draft")
    add_proposal(store, "杭州海纳科技", "MES 方案", 4, "rejected")
    refused = deal("advance", "海纳")
    assert refused.exit_code == 2
    assert 'the proposal "MES 方案 v2" can be the evidence: give --yes to use it' in refused.stderr
    ok(deal("advance", "海纳", "--yes"))
    assert moves(deal, "海纳")[0] == ("advance", "value", "commit", "MES 方案 v2")


def test_evidence_given_wins_over_the_offer_and_no_record_means_no_offer(deal, store):
    ok(deal("advance", "海纳", "needs", "--skip-evidence"))
    plain = deal("advance", "海纳")
    assert plain.stderr.startswith('kehu: leaving uncover needs needs its end marker met: give --evidence "')
    add_need(store, "杭州海纳科技", "产线数据要实时上云", priority=None)
    ok(deal("advance", "海纳", "--evidence", "招标文件"))
    assert moves(deal, "海纳")[0] == ("advance", "needs", "value", "招标文件")


def test_the_seven_step_funnels_discover_stage_offers_the_need_too(kehu, store):
    ok(kehu("pipeline", "use", "consultative"))
    ok(kehu("add", "合肥瀚海云"))
    ok(kehu("advance", "瀚海", "--evidence", "有机会"))  # prospect → discover
    add_need(store, "合肥瀚海云", "机房扩容", priority="medium")
    assert 'the recorded need "机房扩容"' in kehu("advance", "瀚海").stderr
    ok(kehu("advance", "瀚海", "--yes"))
    assert moves(kehu, "瀚海")[0] == ("advance", "discover", "approve", "机房扩容")


def test_passing_build_trust_warns_while_the_decision_maker_is_below_trusted(deal, store):
    ok(deal("advance", "海纳", "--yes"))  # into 建立信任
    alone = ok(deal("advance", "海纳", "--yes"))
    assert (
        "warning: no decision maker recorded: trust with the key people cannot be checked\n" in alone.stderr
    )
    ok(deal("advance", "海纳", "trust", "--reason", "再建立信任"))
    ok(deal("contact", "add", "海纳", "沈国强", "--role", "决策者"))
    unknown = ok(deal("advance", "海纳", "--yes"))
    assert "warning: decision maker 沈国强 has no relationship stage recorded (trust needs trusted)\n" in (
        unknown.stderr)  # fmt: skip
    ok(deal("advance", "海纳", "trust", "--reason", "再建立信任"))
    sql(store, "UPDATE contact SET relationship = 'meeting' WHERE name = '沈国强'")
    below = ok(deal("advance", "海纳", "--yes"))
    assert "warning: decision maker 沈国强 is at meeting, below trusted\n" in below.stderr
    ok(deal("advance", "海纳", "trust", "--reason", "再建立信任"))
    sql(store, "UPDATE contact SET relationship = 'trusted' WHERE name = '沈国强'")
    trusted = ok(deal("advance", "海纳", "--yes"))
    assert "warning" not in trusted.stderr
    assert trusted.stderr == "杭州海纳科技: build trust → uncover needs (20%)\n"


def test_jumping_over_build_trust_warns_too_and_in_chinese(deal, store):
    ok(deal("contact", "add", "海纳", "沈国强", "--role", "决策者"))
    sql(store, "UPDATE contact SET relationship = 'acquainted' WHERE name = '沈国强'")
    moved = ok(deal("advance", "海纳", "needs", "--skip-evidence", env={"KEHU_LANG": "zh_CN"}))
    assert "沈国强" in moved.stderr and "认识" in moved.stderr and "信赖" in moved.stderr
