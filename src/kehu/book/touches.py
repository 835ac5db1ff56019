"""Touches (跟进) and visit plans (走访计划): log, import, plan, done, snooze, history.

One write rule, `record_touches`: insert the touches, make the newest of each customer its last
(unless the book knows a newer one), mark done each visit planned for that customer on a touch's
day, recompute the due dates. `kehu log` and `kehu done` are batches of one; `kehu import
touches` is a batch of many, and gets the same book as logging its rows one by one in file order.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from kehu.errors import Ambiguous, NotFound, UsageError
from kehu.i18n import _, labelled

if TYPE_CHECKING:
    from kehu.book.plans import ImportPlan
    from kehu.io.csv_in import ParsedFile
    from kehu.store.db import Store
    from kehu.store.followups import Shift
    from kehu.store.sql import Connection


@dataclass(frozen=True)
class Recorded:
    """What `record_touches` did: the ids asked for (by position in the batch), the plans closed."""

    touch_ids: dict[int, int]
    plans_closed: list[int]


def record_touches(
    connection: Connection,
    touches: Sequence[dict[str, Any]],
    shift: Shift,
    *,
    ids_of: Collection[int] = (),
) -> Recorded:
    """Record touches (each with customer_id and created_at) in the caller's transaction.

    As if each were logged in turn: the newest touch of a customer (the later of one day's) sets
    its last touch, channel, contact and next step, unless the book already has a newer one; the
    first touch of a customer on a day closes every visit planned for it that day.
    """
    from kehu.store import followups as store

    if not touches:
        return Recorded({}, [])
    customers = list(dict.fromkeys(t["customer_id"] for t in touches))
    planned: dict[tuple[int, date], list[int]] = {}  # (customer, day) -> its open plans
    for plan in store.open_plans_of(connection, customers):
        planned.setdefault((plan["customer_id"], plan["planned_on"]), []).append(plan["id"])
    closing: dict[int, int] = {}  # plan id -> position of the touch that closes it: the day's first
    for position, touch in enumerate(touches if planned else ()):
        for plan_id in planned.pop((touch["customer_id"], touch["happened_on"]), ()):
            closing[plan_id] = position
    touch_ids = _insert_in_order(connection, touches, set(ids_of) | set(closing.values()))

    newest: dict[int, dict[str, Any]] = {}
    for touch in touches:  # in order: the later of one day's touches wins, as when logged in turn
        current = newest.get(touch["customer_id"])
        if current is None or touch["happened_on"] >= current["happened_on"]:
            newest[touch["customer_id"]] = touch
    last_days = store.last_touch_days(connection, customers)
    store.set_last_touches(
        connection,
        [t for c, t in newest.items() if last_days.get(c) is None or t["happened_on"] >= last_days[c]],
    )
    for plan_id, position in sorted(closing.items()):
        store.close_plan(connection, plan_id, touch_ids[position], "done", touches[position]["created_at"])
    store.refresh_due(connection, customers, shift)
    return Recorded(touch_ids, sorted(closing))


def _insert_in_order(
    connection: Connection, touches: Sequence[dict[str, Any]], wanted: set[int]
) -> dict[int, int]:
    """Insert all touches in batch order (ids follow it), one by one only where an id is needed:
    RETURNING on every row of a 100,000-row batch costs SQLite half as much again."""
    from kehu.store import followups as store

    ids = {}
    start = 0
    for position in sorted(wanted):
        store.insert_touches(connection, list(touches[start:position]))
        ids[position] = store.insert_touch(connection, touches[position])
        start = position + 1
    store.insert_touches(connection, list(touches[start:]))
    return ids


# --- one touch: kehu log ---------------------------------------------------------------------


@dataclass(frozen=True)
class Logged:
    customer_id: int
    customer: str
    touch_id: int
    next_due: date | None  # None: never (grade E)
    plans_closed: list[int] = field(default_factory=list)
    kept_next: tuple[date, str | None] | None = None  # the earlier next step still ahead, carried on


def log(
    store: Store,
    customer: str,
    summary: str,
    *,
    today: date,
    now: datetime,
    shift: Shift = None,
    happened_on: date | None = None,
    channel: str | None = None,
    contact: str | None = None,
    outcome: str | None = None,
    next_step_on: date | None = None,
    next_step: str | None = None,
    keep_next: bool = True,
) -> Logged:
    """Log a touch with a customer (named as `kehu log` takes it) on `happened_on` (default today).

    No channel or contact: the customer's last touch's, as people log their calls in a row. No
    next step: an explicit next step set earlier and still ahead of today is carried on (a quick
    call does not cancel the visit agreed for Friday), unless `keep_next` is False (`--next ""`).
    """
    happened_on = happened_on or today
    if happened_on > today:
        raise UsageError(_("--date: a touch cannot be in the future; use kehu plan for that"))
    if next_step_on is not None and next_step_on < happened_on:
        raise UsageError(_("--next: the next step is before the touch itself"))
    if not summary.strip():
        raise UsageError(_("say what happened"))
    summary = _checked_text("summary", summary.strip())
    channel = channel_code(channel)
    with store.write() as connection:
        return log_in(connection, customer, summary, today=today, now=now, shift=shift,
                      happened_on=happened_on, channel=channel, contact=contact, outcome=outcome,
                      next_step_on=next_step_on, next_step=next_step, keep_next=keep_next)  # fmt: skip


def log_in(
    connection: Connection,
    customer: str,
    summary: str,
    *,
    today: date,
    now: datetime,
    shift: Shift,
    happened_on: date,
    channel: str | None,
    contact: str | None = None,
    outcome: str | None = None,
    next_step_on: date | None = None,
    next_step: str | None = None,
    keep_next: bool = True,
) -> Logged:
    """`log` in the caller's transaction, its input checked (a channel's code): what another
    record that is also a touch (`kehu collect`) writes with it."""
    from kehu.store import followups
    from kehu.store.customers import follow_up_of
    from kehu.store.lookup import resolve_contact, resolve_customer

    card = resolve_customer(connection, customer)
    state = followups.follow_up_state(connection, card["id"])
    contact_id = (
        resolve_contact(connection, card["id"], contact)["id"] if contact
        else state["last_contact_id"]
    )  # fmt: skip
    kept = None
    newest = state["last_touch_on"] is None or happened_on >= state["last_touch_on"]
    if keep_next and newest and next_step_on is None and not next_step:
        # a touch filled in behind a newer one changes no step: nothing to carry onto it
        earlier = follow_up_of(connection, card["id"])
        if earlier["next_step_on"] is not None and earlier["next_step_on"] > today:
            kept = (earlier["next_step_on"], earlier["next_step"])
            next_step_on, next_step = kept
    touch = {
        "customer_id": card["id"], "happened_on": happened_on,
        "channel": channel or state["last_channel"], "contact_id": contact_id, "summary": summary,
        "outcome": outcome, "next_step_on": next_step_on, "next_step": next_step or None,
        "created_at": now,
    }  # fmt: skip
    recorded = record_touches(connection, [touch], shift, ids_of=(0,))
    due = followups.follow_up_state(connection, card["id"])["next_due"]
    return Logged(card["id"], card["name"], recorded.touch_ids[0], due, recorded.plans_closed, kept)


def channel_code(text: str | None) -> str | None:
    """The channel's code from a code or a label (电话, phone …); None stays None."""
    from kehu.book.words import word_code
    from kehu.domain.vocabulary import CHANNEL

    return word_code(CHANNEL, "channel", text)


def _checked_text(what: str, text: str) -> str:
    from kehu.domain.values import parse_text

    try:
        return parse_text(text)
    except ValueError as error:
        raise UsageError(labelled(what, error)) from None


# --- many touches: kehu import touches -------------------------------------------------------


def plan_import(connection: Connection, parsed: ParsedFile, today: date, now: datetime) -> ImportPlan:
    """Check an imported follow-up log against the book: each row's customer and contact by exact
    name, no touch in the future. Errors are row errors; the inserts are record_touches' input."""
    from kehu.book.plans import ImportPlan
    from kehu.domain.names import name_key
    from kehu.io.csv_in import RowError
    from kehu.store import contacts as contact_store
    from kehu.store import customers as customer_store

    plan = ImportPlan(errors=list(parsed.errors))
    keys = {name_key(r.values["customer"]) for r in parsed.rows if r.values.get("customer")}
    customer_ids = customer_store.ids_by_name_key(connection, keys)
    contacts = contact_store.ids_by_customer_and_name(connection, list(customer_ids.values()))
    for row in parsed.rows:
        values = row.values
        if values.get("customer") is None or values.get("happened_on") is None or not values.get("summary"):
            continue  # already reported as a missing required value
        customer_id = customer_ids.get(name_key(values["customer"]))
        if customer_id is None:
            plan.errors.append(RowError(row.line, "", _("no customer named {name!r}").format(
                name=values["customer"])))  # fmt: skip
            continue
        contact_id = None
        if values.get("contact"):
            contact_id = contacts.get((customer_id, name_key(values["contact"])))
            if contact_id is None:
                plan.errors.append(RowError(row.line, "", _(
                    "{customer!r} has no contact named {name!r}").format(
                    customer=values["customer"], name=values["contact"])))  # fmt: skip
                continue
        if values["happened_on"] > today:
            plan.errors.append(RowError(row.line, "", _("a touch cannot be in the future")))
            continue
        plan.inserts.append({
            "customer_id": customer_id, "contact_id": contact_id, "happened_on": values["happened_on"],
            "channel": values.get("channel"), "summary": values["summary"],
            "outcome": values.get("outcome"), "next_step_on": values.get("next_step_on"),
            "next_step": values.get("next_step"), "created_at": now,
        })  # fmt: skip
    return plan


def apply_import(connection: Connection, plan: ImportPlan, shift: Shift) -> Recorded:
    """Write a checked follow-up log: record_touches, the rule `kehu log` follows."""
    return record_touches(connection, plan.inserts, shift)


# --- visit plans: kehu plan, kehu done -------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    plan_id: int
    customer_id: int
    customer: str
    planned_on: date


def plan(
    store: Store,
    customer: str,
    planned_on: date,
    purpose: str,
    *,
    today: date,
    now: datetime,
    contact: str | None = None,
    people: str | None = None,
    preparation: str | None = None,
    content: str | None = None,
    expected: str | None = None,
    next_follow_up: str | None = None,
) -> Planned:
    """Plan a visit to a customer on a day from today on; it is done by the first touch that day."""
    from kehu.store import followups
    from kehu.store.lookup import resolve_contact, resolve_customer

    if planned_on < today:
        raise UsageError(_("a visit cannot be planned in the past ({day}); record it with kehu log").format(
            day=planned_on.isoformat()))  # fmt: skip
    with store.write() as connection:
        card = resolve_customer(connection, customer)
        contact_id = resolve_contact(connection, card["id"], contact)["id"] if contact else None
        plan_id = followups.insert_plan(connection, {
            "customer_id": card["id"], "contact_id": contact_id, "planned_on": planned_on,
            "purpose": purpose, "people": people, "preparation": preparation, "content": content,
            "expected_result": expected, "next_follow_up": next_follow_up, "created_at": now,
            "updated_at": now,
        })  # fmt: skip
    return Planned(plan_id, card["id"], card["name"], planned_on)


@dataclass(frozen=True)
class Done:
    plan_id: int
    customer_id: int
    customer: str
    touch_id: int


def done(
    store: Store,
    customer: str,
    summary: str | None = None,
    *,
    today: date,
    now: datetime,
    shift: Shift = None,
    plan_id: int | None = None,
    outcome: str | None = None,
    next_step_on: date | None = None,
    next_step: str | None = None,
) -> Done:
    """Turn a customer's open visit plan (the only one, the only one of today, or `plan_id`) into a
    visit logged today."""
    from kehu.store import followups
    from kehu.store.lookup import resolve_customer

    if next_step_on is not None and next_step_on < today:
        raise UsageError(_("--next: the next step is before the touch itself"))
    with store.write() as connection:
        card = resolve_customer(connection, customer)
        plans = followups.open_plans(connection, card["id"])
        if plan_id is not None:
            plans = [p for p in plans if p["id"] == plan_id]
            if not plans:
                raise NotFound(_("{name} has no open visit plan {id}").format(name=card["name"], id=plan_id))
        if not plans:
            raise NotFound(_("{name} has no open visit plan").format(name=card["name"]))
        todays = [p for p in plans if p["planned_on"] == today]
        if len(plans) > 1 and len(todays) == 1:
            plans = todays  # the visit of the day is the one done today
        if len(plans) > 1:
            raise Ambiguous(_("{name} has {count} open plans; pick one with --plan:").format(
                name=card["name"], count=len(plans)),
                [f"  {p['id']}\t{p['planned_on']}\t{p['purpose']}" for p in plans])  # fmt: skip
        visit = plans[0]
        touch = {
            "customer_id": card["id"], "happened_on": today, "channel": "visit",
            "contact_id": visit["contact_id"], "summary": summary or visit["purpose"], "outcome": outcome,
            "next_step_on": next_step_on, "next_step": next_step or None, "created_at": now,
        }  # fmt: skip
        recorded = record_touches(connection, [touch], shift, ids_of=(0,))
        touch_id = recorded.touch_ids[0]
        if visit["id"] not in recorded.plans_closed:  # a plan of another day: today's touch left it
            followups.close_plan(connection, visit["id"], touch_id, "done", now)
    return Done(visit["id"], card["id"], card["name"], touch_id)


# --- kehu touch edit, kehu touch remove --------------------------------------------------------


@dataclass(frozen=True)
class TouchChanged:
    touch_id: int
    customer_id: int
    customer: str
    next_due: date | None
    plans_reopened: list[int] = field(default_factory=list)  # visits the removed touch had done


def edit_touch(
    store: Store,
    touch_id: int,
    *,
    today: date,
    shift: Shift = None,
    summary: str | None = None,
    channel: str | None = None,
    contact: str | None = None,
    outcome: str | None = None,
    happened_on: date | None = None,
    next_step_on: date | None = None,
    next_step: str | None = None,
    clear_next: bool = False,
    now: datetime | None = None,
) -> TouchChanged:
    """Correct a logged touch; what is not given stays. The customer's last touch, next step and
    due day are worked out again, as if the touches had been logged as they now read; a touch
    moved to another day gives back the visits it had done and does those still planned on its
    new day (a visit logged without --date the day after: `--date 昨天` marks it done)."""
    from kehu.store import followups
    from kehu.store.lookup import resolve_contact

    with store.write() as connection:
        touch, card = _touch_and_card(connection, touch_id)
        changes: dict[str, Any] = {}
        if summary is not None:
            if not summary.strip():
                raise UsageError(_("say what happened"))
            changes["summary"] = _checked_text("summary", summary.strip())
        if channel is not None:
            changes["channel"] = channel_code(channel)
        if contact is not None:
            changes["contact_id"] = (
                resolve_contact(connection, card["id"], contact)["id"] if contact.strip() else None
            )
        if outcome is not None:
            changes["outcome"] = outcome.strip() or None
        if happened_on is not None:
            if happened_on > today:
                raise UsageError(_("--date: a touch cannot be in the future; use kehu plan for that"))
            changes["happened_on"] = happened_on
        if clear_next:
            changes.update(next_step_on=None, next_step=None)
        elif next_step_on is not None or next_step:
            changes.update(next_step_on=next_step_on, next_step=next_step or None)
        if not changes:  # as `kehu edit`: a correction that corrects nothing is a slip
            raise UsageError(_("nothing to change; give at least one field option (see --help)"))
        step_on = changes.get("next_step_on", touch["next_step_on"])
        if step_on is not None and step_on < changes.get("happened_on", touch["happened_on"]):
            raise UsageError(_("--next: the next step is before the touch itself"))
        followups.update_touch(connection, touch_id, changes)
        moved_to = changes.get("happened_on", touch["happened_on"])
        if moved_to != touch["happened_on"]:
            from kehu.book.clock import moment_on

            now = now or moment_on(today)
            followups.reopen_plans_done_by(connection, touch_id, now)
            first_of_day: dict[date, int] = {}  # the touch that does a day's visits: its first
            for other in followups.touches(connection, card["id"]):  # newest first
                first_of_day[other["happened_on"]] = other["id"]
            for plan in followups.open_plans(connection, card["id"]):
                day = plan["planned_on"]
                if day in (moved_to, touch["happened_on"]) and day in first_of_day:
                    followups.close_plan(connection, plan["id"], first_of_day[day], "done", now)
        return _recomputed(connection, touch_id, card, shift)


def remove_touch(store: Store, touch_id: int, *, now: datetime, shift: Shift = None) -> TouchChanged:
    """Remove a touch logged by mistake; the customer's last touch and due day are worked out again
    from the touches left, and a visit plan the touch marked done is open again (`kehu done` on
    the wrong customer is undone; a visit whose day passed then shows as missed)."""
    from kehu.store import followups

    with store.write() as connection:
        _touch, card = _touch_and_card(connection, touch_id)
        reopened = followups.reopen_plans_done_by(connection, touch_id, now)
        followups.delete_touch(connection, touch_id)
        changed = _recomputed(connection, touch_id, card, shift)
    return replace(changed, plans_reopened=reopened)


def _touch_and_card(connection: Connection, touch_id: int) -> tuple[Any, Any]:
    from kehu.store import followups
    from kehu.store.customers import get_card

    touch = followups.get_touch(connection, touch_id)
    card = get_card(connection, touch["customer_id"]) if touch is not None else None
    if touch is None or card is None:  # in team mode, another seller's touch is not found either
        raise NotFound(_("no touch {id}").format(id=touch_id))
    return touch, card


def _recomputed(connection: Connection, touch_id: int, card: Any, shift: Shift) -> TouchChanged:
    from kehu.store import followups

    followups.reset_last_touch(connection, card["id"])
    followups.refresh_due(connection, [card["id"]], shift)
    due = followups.follow_up_state(connection, card["id"])["next_due"]
    return TouchChanged(touch_id, card["id"], card["name"], due)


# --- kehu snooze, kehu history ---------------------------------------------------------------


@dataclass(frozen=True)
class Snoozed:
    customer_id: int
    customer: str
    next_due: date | None


def snooze(store: Store, customer: str, until: date, *, shift: Shift = None) -> Snoozed:
    """Move a customer's due date to `until` without a touch (the next touch ends it)."""
    from kehu.store import customers as customer_store
    from kehu.store import followups
    from kehu.store.lookup import resolve_customer

    with store.write() as connection:
        card = resolve_customer(connection, customer)
        customer_store.update_card(connection, card["id"], {"snoozed_until": until})
        followups.refresh_due(connection, [card["id"]], shift)
        due = followups.follow_up_state(connection, card["id"])["next_due"]
    return Snoozed(card["id"], card["name"], due)


@dataclass(frozen=True)
class History:
    customer_id: int
    customer: str
    touches: list[dict[str, Any]]  # newest first: happened_on, channel, contact, summary, outcome, …


def history(store: Store, customer: str, limit: int | None = None) -> History:
    """A customer's touches (archived customers too), newest first, at most `limit`."""
    from kehu.store import followups
    from kehu.store.lookup import resolve_customer

    with store.read() as connection:
        card = resolve_customer(connection, customer, include_archived=True)
        rows = [dict(row) for row in followups.touches(connection, card["id"], limit)]
    return History(card["id"], card["name"], rows)
