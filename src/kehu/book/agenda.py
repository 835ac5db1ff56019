"""The morning list (`kehu followups`): whom to contact, most urgent first, the planned visits,
the birthdays and the money to collect of a window of days.

store.morning ranks the due customers in the database and store.followups reads the rest;
domain.agenda makes the items. The Python API's due list is the same call as the command's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kehu.domain.agenda import Item, Window
    from kehu.store.db import Store
    from kehu.store.sql import Connection


def due_customers(
    store: Store,
    span: Window,
    *,
    owner: str | None = None,
    grade: str | None = None,
    limit: int | None = None,
) -> list[Item]:
    """The customers due on or before the window's end (overdue ones too), most urgent first."""
    with store.read() as connection:
        return ranked_due(connection, span, owner=owner, grade=grade, limit=limit)[0]


def ranked_due(
    connection: Connection, span: Window, *, owner: str | None, grade: str | None, limit: int | None
) -> tuple[list[Item], dict[str, int]]:
    """The top `limit` due customers as items, and how many are overdue and due in all, in the
    caller's transaction (`kehu followups` reads the rest of the list in the same one)."""
    from kehu.domain import agenda
    from kehu.store import followups
    from kehu.store.morning import morning_list

    ranking = morning_list(connection, agenda.reference_day(span), span.end, owner=owner, grade=grade,
                           limit=limit, probabilities=stage_probabilities())  # fmt: skip
    details = followups.due_details(connection, [r[0] for r in ranking.ranked])
    return agenda.due_items(ranking, details), ranking.counts


def stage_probabilities() -> dict[tuple[str, str], float]:
    """(pipeline, stage) → the stage's win probability, over every known pipeline."""
    from kehu.io.pipeline_files import all_pipelines

    return {(p.key, s.key): s.probability for p in all_pipelines().values() for s in p.stages}


@dataclass(frozen=True)
class Morning:
    """The morning list: each section most urgent (or earliest) first, at most `limit` items,
    and `counts` per kind (overdue, due, plan, birthday, collect) of all of them."""

    due: list[Item]  # overdue and due customers, ranked
    plans: list[Item]  # visits planned in the window, and missed ones still open
    birthdays: list[Item]
    collections: list[Item]  # contracts whose money is overdue
    counts: dict[str, int]
    complaints: list[Item] = field(default_factory=list)  # open complaints, the most severe first
    after_sale: list[Item] = field(default_factory=list)  # customers in 维护: the touch to suggest
    promises: list[Item] = field(default_factory=list)  # promises to pay due, and broken ones

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def shown(self) -> int:
        return (len(self.due) + len(self.plans) + len(self.birthdays) + len(self.collections)
                + len(self.complaints) + len(self.after_sale) + len(self.promises))  # fmt: skip


def morning(
    store: Store,
    span: Window,
    *,
    owner: str | None = None,
    grade: str | None = None,
    limit: int | None = None,
) -> Morning:
    """Everything to do in the window, read in one transaction. The overdue view has no visits,
    birthdays or after-sale touches; a grade narrows to customers of that grade, so it leaves
    out the money to collect and the promises (contracts are not graded)."""
    from kehu.book.collections import ladder
    from kehu.domain import agenda
    from kehu.store import followups
    from kehu.store.collections import promises_until
    from kehu.store.complaints import open_complaints
    from kehu.store.morning import receivables_to_collect

    only = {"owner": owner, "grade": grade}
    plans, birthdays, collections, promises, after_sale = [], [], [], [], []
    with store.read() as connection:
        due, due_counts = ranked_due(connection, span, **only, limit=limit)
        if not grade:
            collections = agenda.collection_items(
                receivables_to_collect(connection, span.today, owner=owner), span, ladder()
            )
            promises = agenda.promise_items(promises_until(connection, span.end, owner=owner), span)
        if span.name != "overdue":
            plans = agenda.plan_items(followups.open_plans_until(connection, span.end, **only), span)
            lunar = agenda.lunar_month_days(span)
            contacts = followups.birthday_contacts(
                connection, agenda.month_days(span), lunar_month_days=lunar, **only
            )
            birthdays = agenda.birthday_items(contacts, span)
            after_sale = _after_sale_touches(connection, span, **only)
        # Open complaints are due in every view until resolved.
        complaints = agenda.complaint_items(open_complaints(connection, **only), span)
        counts = {**dict.fromkeys(agenda.KINDS, 0), **due_counts}
        for item in (*plans, *birthdays, *collections, *complaints, *after_sale, *promises):
            counts[item.kind] += 1
        if limit:
            plans, birthdays, collections = plans[:limit], birthdays[:limit], collections[:limit]
            complaints, after_sale, promises = complaints[:limit], after_sale[:limit], promises[:limit]
        # Whom to call, looked up for the items shown only: thousands in 维护 are counted, 50 shown.
        needing = [*collections, *promises, *complaints, *after_sale]
        people = followups.due_details(connection, sorted({item.customer_id for item in needing}))
        _add_whom_to_call(needing, people)
    return Morning(due, plans, birthdays, collections, counts, complaints, after_sale, promises)


def _after_sale_touches(
    connection: Connection, span: Window, *, owner: str | None, grade: str | None
) -> list[Item]:
    """The after-sale touches suggested for the customers in their pipeline's after-sale stage
    (维护), earliest first."""
    from kehu.domain import agenda
    from kehu.io.pipeline_files import all_pipelines
    from kehu.store.after_sale import after_sale_customers

    after_sale_stages = {(p.key, p.after_sale.key) for p in all_pipelines().values()}
    rows = [r for r in after_sale_customers(connection, sorted({s for _p, s in after_sale_stages}),
                                            owner=owner, grade=grade)
            if (r["pipeline"], r["stage"]) in after_sale_stages]  # fmt: skip
    return agenda.after_sale_items(rows, span)


def _add_whom_to_call(items: list[Item], details: dict) -> None:
    """Money is collected from people: the customer's grade, key contact and phone, and the last
    touch, on each item that came without them (a contract's receivable)."""
    for item in items:
        row = details.get(item.customer_id)
        if row is None:
            continue
        item.grade = item.grade or row["grade"]
        item.contact = item.contact or row["key_contact"]
        item.phone = item.phone or row["key_phone"] or row["customer_phone"]
        item.last_touch_on = item.last_touch_on or row["last_touch_on"]
        item.last_channel = item.last_channel or row["last_channel"]
