"""The funnel rules, called directly (no CLI) on a real book: kehu.book.funnel.

Every move is kept as a stage_change row; leaving a stage forward needs its end marker met
(evidence, or a person's confirmation), going back needs a reason; won moves on to collecting,
lost keeps the stage, reopen brings a customer back where it was.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from kehu.book import funnel
from kehu.errors import Conflict, UsageError
from kehu.store.db import Store
from tests.book.conftest import NOW, TODAY, add_customer

LATER = TODAY + timedelta(days=3)


def add_deal(store: Store, name: str, expected_value: str | None = None) -> int:
    """A card in the first stage of the book's pipeline since TODAY, as `kehu add` leaves it."""
    customer_id = add_customer(store, name)
    value = Decimal(expected_value) if expected_value else None
    with store.write() as connection:
        connection.execute(
            "UPDATE customer SET pipeline = :pipeline, stage = :stage, stage_since = :stage_since, "
            "expected_value = :expected_value WHERE id = :id",
            {**funnel.entry_values(connection, TODAY), "expected_value": value, "id": customer_id},
        )  # fmt: skip
    return customer_id


def card(store: Store, customer_id: int) -> dict[str, Any]:
    """What the funnel moves on a card."""
    with store.read() as connection:
        return dict(connection.execute(
            "SELECT pipeline, stage, stage_since, status, won_on, won_value, lost_on, lost_reason, "
            "lost_detail FROM customer WHERE id = :id", {"id": customer_id},
        ).one())  # fmt: skip


def moves(store: Store, customer: str) -> list[tuple]:
    """(event, from, to, evidence) of each move, newest first."""
    history = funnel.stage_history(store, customer)
    return [(m["event"], m["from_stage"], m["to_stage"], m["evidence"]) for m in history.moves]


def advance(store: Store, customer: str, stage: str | None = None, **options: Any) -> funnel.Moved:
    options.setdefault("today", TODAY)
    return funnel.advance(store, customer, stage, now=NOW, **options)


# --- advance and back ------------------------------------------------------------------------


def test_leaving_a_stage_needs_its_end_marker_met_and_nothing_is_written_without(store):
    customer_id = add_deal(store, "杭州海纳科技")
    with pytest.raises(funnel.EvidenceNeeded) as refused:
        advance(store, "海纳")
    assert refused.value.stage.key == "analyse"  # the caller can show its marker and ask
    assert str(refused.value) == (
        'leaving analyse the customer needs its end marker met: give --evidence '
        '"a clear, near, valuable sales opportunity is found" (or --yes)'
    )  # fmt: skip
    assert moves(store, "海纳") == []
    moved = advance(store, "海纳", evidence="找到了明确的销售机会", today=LATER)
    assert (moved.from_stage.key, moved.to_stage.key, moved.event, moved.unqualified) == (
        "analyse", "trust", "advance", [])  # fmt: skip
    assert (card(store, customer_id)["stage"], card(store, customer_id)["stage_since"]) == ("trust", LATER)
    assert moves(store, "海纳") == [("advance", "analyse", "trust", "找到了明确的销售机会")]


def test_a_confirmation_stands_for_evidence_and_a_stage_is_named_by_key_name_or_number(store):
    add_deal(store, "杭州海纳科技")
    assert advance(store, "海纳", "建立信任", confirmed=True).to_stage.key == "trust"  # its Chinese name
    assert advance(store, "海纳", "uncover needs", confirmed=True).to_stage.key == "needs"
    assert advance(store, "海纳", "4", confirmed=True).to_stage.key == "value"
    with pytest.raises(UsageError, match="unknown stage .*1 analyse the customer \\(analyse\\)"):
        advance(store, "海纳", "签约", confirmed=True)
    assert [m[2] for m in moves(store, "海纳")] == ["value", "needs", "trust"]


def test_moving_back_needs_a_reason_and_keeps_it_as_the_evidence(store):
    customer_id = add_deal(store, "杭州海纳科技")
    advance(store, "海纳", "3", evidence=["有机会", "书面需求"])
    with pytest.raises(UsageError, match="back from uncover needs to analyse the customer needs --reason"):
        advance(store, "海纳", "1", confirmed=True)
    moved = advance(store, "海纳", "1", reason="决策人换了")  # no evidence asked for going back
    assert (moved.event, moved.from_stage.key, moved.to_stage.key) == ("back", "needs", "analyse")
    assert card(store, customer_id)["stage"] == "analyse"
    assert moves(store, "海纳")[0] == ("back", "needs", "analyse", "决策人换了")


def test_the_last_stage_cannot_be_passed_nor_the_current_one_entered_again(store):
    add_deal(store, "杭州海纳科技")
    with pytest.raises(Conflict, match="杭州海纳科技 is already in analyse the customer"):
        advance(store, "海纳", "analyse", confirmed=True)
    advance(store, "海纳", "6", skip_evidence=True)
    # 回收账款 is no longer the last stage: 维护 (after-sale care) follows it, and is the one
    # that cannot be passed.
    assert advance(store, "海纳", evidence="全部账款已回收").to_stage.key == "maintain"
    with pytest.raises(Conflict, match=r"already in the last stage \(after-sale care\)"):
        advance(store, "海纳", confirmed=True)


def test_a_customer_in_no_stage_enters_the_first_without_evidence(store):
    """Cards imported before the funnel existed have no pipeline: they enter the book's."""
    customer_id = add_customer(store, "老客户")
    moved = advance(store, "老客户")
    assert (moved.from_stage, moved.to_stage.key, moved.pipeline.key) == (None, "analyse", "key-account")
    assert card(store, customer_id)["pipeline"] == "key-account"
    assert moves(store, "老客户") == [("advance", None, "analyse", None)]


def test_a_question_answered_no_is_a_warning_on_the_way_forward_only(store):
    add_deal(store, "杭州海纳科技")
    known = funnel.qualify(store, "海纳", now=NOW, need="是", budget="否")
    assert known.answers == {"need": "yes", "timetable": "unknown", "budget": "no", "can_win": "unknown",
                             "worth_it": "unknown", "our_strength": "unknown"}  # fmt: skip
    assert advance(store, "海纳", confirmed=True).unqualified == ["budget"]  # moved all the same
    assert advance(store, "海纳", "1", reason="重新评估").unqualified == []


# --- won, lost, reopen -----------------------------------------------------------------------


def test_won_moves_on_to_collecting_at_the_expected_value_unless_another_is_given(store):
    first = add_deal(store, "杭州海纳科技", "1200000")
    second = add_deal(store, "宁波远航贸易", "300000")
    closed = funnel.won(store, "海纳", today=LATER, now=NOW)
    assert (closed.status, closed.stage, closed.won_value) == ("won", "collect", Decimal("1200000.00"))
    assert card(store, first) == {
        "pipeline": "key-account", "stage": "collect", "stage_since": LATER, "status": "won", "won_on": LATER,
        "won_value": Decimal("1200000.00"), "lost_on": None, "lost_reason": None, "lost_detail": None,
    }  # fmt: skip
    assert funnel.won(store, "远航", today=TODAY, now=NOW, value="28.05万").won_value == Decimal("280500.00")
    assert card(store, second)["won_value"] == Decimal("280500.00")
    with pytest.raises(Conflict, match="杭州海纳科技 is already won"):
        funnel.won(store, "海纳", today=TODAY, now=NOW)
    assert moves(store, "海纳") == [("won", "analyse", "collect", None)]


def test_lost_keeps_the_stage_and_the_customer_until_reopened(store):
    customer_id = add_deal(store, "苏州恒瑞")
    advance(store, "恒瑞", "3", skip_evidence=True)
    closed = funnel.lost(store, "恒瑞", "价格", today=LATER, now=NOW, detail="对手报价低15%")
    assert (closed.status, closed.stage, closed.lost_reason) == ("lost", "needs", "price")
    state = card(store, customer_id)
    assert [state[key] for key in ("stage", "status", "lost_on", "lost_reason", "lost_detail")] == [
        "needs", "lost", LATER, "price", "对手报价低15%"]  # fmt: skip
    with pytest.raises(Conflict, match="苏州恒瑞 is lost; kehu reopen it first"):
        advance(store, "恒瑞", confirmed=True)
    with pytest.raises(Conflict, match="苏州恒瑞 is already lost"):
        funnel.lost(store, "恒瑞", "price", today=LATER, now=NOW)
    assert funnel.reopen(store, "恒瑞", today=LATER, now=NOW).status == "open"
    with pytest.raises(Conflict, match="苏州恒瑞 is open already"):
        funnel.reopen(store, "恒瑞", today=LATER, now=NOW)
    assert card(store, customer_id)["stage"] == "needs"
    assert [m[0] for m in moves(store, "恒瑞")] == ["reopen", "lost", "skipped", "skipped"]
    assert moves(store, "恒瑞")[1] == ("lost", "needs", "needs", "对手报价低15%")


def test_a_lost_customer_leaves_the_overdue_list_and_a_reopen_brings_it_back_as_due(store):
    from kehu.book.agenda import due_customers
    from kehu.domain.agenda import window

    add_deal(store, "苏州恒瑞")  # never touched: due from the day it came
    add_deal(store, "杭州海纳科技")
    overdue = window("today", TODAY + timedelta(days=30))

    def listed() -> dict[str, int | None]:
        return {item.customer: item.days_overdue for item in due_customers(store, overdue)}

    assert listed() == {"苏州恒瑞": 30, "杭州海纳科技": 30}
    funnel.lost(store, "恒瑞", "price", today=LATER, now=NOW)
    assert listed() == {"杭州海纳科技": 30}
    funnel.reopen(store, "恒瑞", today=LATER, now=NOW)
    assert listed() == {"苏州恒瑞": 30, "杭州海纳科技": 30}


def test_a_won_customer_lost_later_and_won_again_carries_no_old_lost_reason(store):
    customer_id = add_deal(store, "苏州恒瑞", "100")
    funnel.lost(store, "恒瑞", "timing", today=TODAY, now=NOW)
    funnel.reopen(store, "恒瑞", today=TODAY, now=NOW)
    funnel.won(store, "恒瑞", today=LATER, now=NOW)
    state = card(store, customer_id)
    assert (state["status"], state["lost_on"], state["lost_reason"]) == ("won", None, None)


def test_lost_reasons_are_kehus_list_and_the_books_own_words(store, tmp_path: Path):
    add_deal(store, "杭州海纳科技")
    with pytest.raises(UsageError) as refused:
        funnel.lost(store, "海纳", "老板不喜欢", today=TODAY, now=NOW)
    assert refused.value.message.startswith("reason: unknown value '老板不喜欢'; one of: price, ")
    assert refused.value.details == ["add more as lost_reasons in the config file; details go in --detail"]
    config = tmp_path / "config" / "config.toml"  # KEHU_CONFIG of the test (tests/conftest.py)
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('lost_reasons = ["老板不喜欢"]\n', encoding="utf-8")
    assert funnel.lost(store, "海纳", "老板不喜欢", today=TODAY, now=NOW).lost_reason == "老板不喜欢"


# --- qualification, the book's pipeline ------------------------------------------------------


def test_qualify_keeps_the_answers_not_given_and_refuses_an_unknown_word(store):
    add_deal(store, "杭州海纳科技")
    assert set(funnel.qualify(store, "海纳", now=NOW).answers.values()) == {"unknown"}  # only reads
    funnel.qualify(store, "海纳", now=NOW, need="yes", our_strength="不确定")
    answers = funnel.qualify(store, "海纳", now=NOW, budget="n").answers
    assert (answers["need"], answers["budget"], answers["our_strength"]) == ("yes", "no", "unknown")
    with pytest.raises(UsageError, match="budget: unknown value 'maybe'"):
        funnel.qualify(store, "海纳", now=NOW, budget="maybe")


def test_new_customers_start_in_the_pipeline_the_book_uses(store):
    assert funnel.default_pipeline(store).key == "key-account"
    assert funnel.use_pipeline(store, "consultative").key == "consultative"
    assert funnel.default_pipeline_key(store) == "consultative"
    with store.read() as connection:
        assert funnel.entry_values(connection, TODAY) == {
            "pipeline": "consultative", "stage": "prospect", "stage_since": TODAY}  # fmt: skip
    funnel.use_pipeline(store, "development")  # a second choice replaces the first
    assert funnel.default_pipeline(store).key == "development"


def test_a_customer_in_no_pipeline_yet_is_recorded_in_the_books(store):
    """Cards from before the funnel have no pipeline; every move is recorded in one all the same."""
    customer_id = add_customer(store, "老客户")
    funnel.lost(store, "老客户", "price", today=TODAY, now=NOW)
    funnel.reopen(store, "老客户", today=TODAY, now=NOW)
    assert card(store, customer_id)["status"] == "open"
    with store.read() as connection:
        pipelines = connection.execute("SELECT pipeline FROM stage_change ORDER BY id").scalars()
    assert pipelines == ["key-account", "key-account"]
