"""The card before a call (`kehu show`): the card and its contacts, where the customer stands in
the funnel with the stage's exit evidence and questions, the follow-up state (last touch, next
due day, next step), the latest touches, the visits planned and the money: each contract with
what was paid and what is still owed, and the collection step an overdue one calls for."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from kehu.store.sql import Connection, Row

RECENT_TOUCHES = 5  # enough to pick up the thread before a call; `kehu history` has the rest


@dataclass(frozen=True)
class CardView:
    card: Row
    contacts: list[Row]
    # pipeline, stage (codes and labels), probability, stage_since, days_in_stage, status, the
    # decision chain's gaps, the pipeline's Stage itself (exit evidence, questions) or None, and
    # the answers to its questions (by number: answer, answered_on)
    funnel: dict[str, Any]
    follow_up: dict[str, Any]  # last_touch_on, last_channel, next_step_on, next_step, snoozed_until, next_due
    touches: list[dict[str, Any]]  # the latest RECENT_TOUCHES, newest first
    touch_count: int
    plans: list[Row]  # open visit plans, earliest first
    contracts: list[dict[str, Any]]  # with paid, outstanding, days_overdue and the collection step
    today: date
    # the competitors at the customer (竞争信息), as recorded; won_on set on the one that took the deal
    rivals: list[Row] = field(default_factory=list)
    # the open needs (挖掘需求), most pressing first, and the latest proposal and quote (呈现价值),
    # the quote with `expired` (book.offers.quote_expired)
    needs: list[dict[str, Any]] = field(default_factory=list)
    proposal: dict[str, Any] | None = None
    quote: dict[str, Any] | None = None
    # the open after-sale complaints (维护), most severe first
    complaints: list[Row] = field(default_factory=list)

    @property
    def outstanding(self) -> Decimal:
        return sum((c["outstanding"] for c in self.contracts), Decimal("0.00"))

    @property
    def overdue(self) -> Decimal:
        # What the overdue instalments owe (a contract's later or undated ones are not overdue).
        return sum((c["overdue"] for c in self.contracts), Decimal("0.00"))


def show(connection: Connection, reference: str, today: date) -> CardView:
    """Everything `kehu show` prints of one customer (archived ones too), read in the caller's
    transaction."""
    from kehu.book.contracts import contract_rows
    from kehu.store import followups
    from kehu.store.complaints import list_complaints
    from kehu.store.customers import follow_up_of, touch_count
    from kehu.store.rivals import list_rivals

    card, contacts, funnel = card_view(connection, reference)
    follow_up = dict(follow_up_of(connection, card["id"]))
    touches = [dict(row) for row in followups.touches(connection, card["id"], RECENT_TOUCHES)]
    count = len(touches)
    if count == RECENT_TOUCHES:
        count = touch_count(connection, card["id"])
    money = contract_rows(connection, card["id"], today=today)  # each with its instalments
    if money:
        _add_collection_steps(money)
    since = funnel["stage_since"]
    funnel["days_in_stage"] = (today - since).days if since is not None else None
    funnel["answers"] = stage_answers(connection, card["id"], funnel["pipeline"], funnel["stage_object"])
    plans = followups.open_plans(connection, card["id"])
    rivals = list(list_rivals(connection, card["id"]))
    complaints = list(list_complaints(connection, card["id"], open_only=True))
    return CardView(card, contacts, funnel, follow_up, touches, count, plans, money, today, rivals=rivals,
                    complaints=complaints, **needs_and_offers(connection, card["id"], today))  # fmt: skip


def _add_collection_steps(contracts: list[dict[str, Any]]) -> None:
    """Each contract's collection step, by what is overdue on the book's ladder. Its modules load
    for a customer with contracts only: every module a card imports costs `kehu show` (H6)."""
    from kehu.book.collections import ladder
    from kehu.domain.aging import collection_step

    steps = ladder()
    for row in contracts:
        late = row["days_overdue"]  # its oldest open instalment's
        step = collection_step(late, row["overdue"], steps)
        row["days_overdue"], row["step"] = late, (step.key if step else None)
        row["step_label"] = step.label if step else ""


def needs_and_offers(connection: Connection, customer_id: int, today: date) -> dict[str, Any]:
    """The card's needs and offers: the open needs, the latest proposal and the latest quote."""
    from kehu.store.needs import list_needs
    from kehu.store.offers import latest_offer

    quote = latest_offer(connection, "quote", customer_id)
    if quote is not None:
        from kehu.book.offers import quote_expired  # for a customer with a quote only (H6)

        quote["expired"] = quote_expired(quote, today)
    return {"needs": [dict(row) for row in list_needs(connection, customer_id, status="open")],
            "proposal": latest_offer(connection, "proposal", customer_id), "quote": quote}  # fmt: skip


def stage_answers(
    connection: Connection, customer_id: int, pipeline: str | None, stage: Any
) -> dict[int, Row]:
    """The answers given to the questions of the customer's stage, by question number."""
    from kehu.store.answers import stage_answers as stored

    return stored(connection, customer_id, pipeline, stage.key) if stage is not None and pipeline else {}


def card_view(connection: Connection, reference: str) -> tuple[Row, list[Row], dict[str, Any]]:
    """A whole card as `kehu show` shows it: the card (archived ones too), its contacts (the key
    contact first), and where it stands in its pipeline with what its decision chain lacks there."""
    from kehu.domain.decision_chain import gaps
    from kehu.io.pipeline_files import all_pipelines
    from kehu.store.contacts import list_contacts
    from kehu.store.funnel import funnel_state
    from kehu.store.lookup import resolve_customer

    card = resolve_customer(connection, reference, include_archived=True)
    contacts = list(list_contacts(connection, card["id"]))
    state = funnel_state(connection, card["id"])
    pipeline = all_pipelines().get(state["pipeline"] or "")
    stage = None
    if pipeline is not None and state["stage"]:
        try:
            stage = pipeline.stage(state["stage"])
        except ValueError:  # a stage the pipeline file no longer has
            stage = None
    probability = stage.probability if stage else 0.0
    funnel = {
        "pipeline": state["pipeline"], "pipeline_label": pipeline.label if pipeline else state["pipeline"],
        "stage": state["stage"], "stage_label": stage.label if stage else (state["stage"] or "-"),
        "probability": probability, "stage_since": state["stage_since"], "status": state["status"],
        "gaps": gaps(contacts, probability, state["status"]), "stage_object": stage,
    }  # fmt: skip
    return card, contacts, funnel
