"""The Python API: `kehu.open_book(...)` gives a Book whose methods are kehu's use cases.

    with kehu.open_book("examples/demo.db", today="2026-11-23") as book:
        book.log("hnkj", "电话沟通报价", channel="电话", next_on="下周三", next_step="送样品")

Customers are named as on the command line (id, exact name, pinyin, part of the name); days are
dates or words kehu reads (明天, 下周三, 2026-12-01); failures are KehuError subclasses
(kehu.errors), each with the exit code the command line would give.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from kehu.book import contracts, funnel, grades, touches, visits
from kehu.book.clock import due_shift, moment_on, read_date

if TYPE_CHECKING:
    from decimal import Decimal

    from kehu.store import models
    from kehu.store.db import Store

# Every column of one customer, for the Python API's Customer record.
CUSTOMER_ROW = "SELECT * FROM customer WHERE id = :id"

Day = date | str
Customer = str | int  # an id, a name, pinyin or part of the name
VIEWS = ("today", "tomorrow", "week", "overdue")


def open_book(where: str | os.PathLike[str] | None = None, *, today: Day | None = None) -> Book:
    """Open (creating or upgrading it if needed) the book at a SQLite path or PostgreSQL URL;
    None: where the command line would look (KEHU_DB, then config.toml, then the data dir).
    `today` (default: the real date) is the day the book acts on, like `kehu --today`."""
    from kehu.config import use_settings
    from kehu.store.db import open_store
    from kehu.store.location import resolve_location

    use_settings()  # as the command line: a wrong config file is a ConfigError before anything
    real_today = date.today()
    day = _parse_day("today", today, real_today) if today is not None else real_today
    return Book(open_store(resolve_location(os.fspath(where) if where is not None else None)), day)


class Book:
    """One open book. Use it in a `with` block (or call close()) to release the database."""

    def __init__(self, store: Store, today: date) -> None:
        self.store = store
        self.today = today

    def __enter__(self) -> Book:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    # --- the morning list ---------------------------------------------------------------------

    def due(
        self,
        by: Day = "today",
        *,
        grade: str | None = None,
        owner: str | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Customers due by `by` (today, tomorrow, week, overdue, or a day), overdue ones too, most
        urgent first, as `kehu followups --format json` rows (kind, day, customer_id, customer,
        grade, days_overdue, last_touch_on, next_step, contact, phone, score …)."""
        from kehu.book.agenda import due_customers
        from kehu.domain import agenda

        if isinstance(by, str) and by.strip().lower() in VIEWS:
            span = agenda.window(by.strip().lower(), self.today)
        else:
            span = agenda.window("day", self.today, self._day("by", by))
        items = due_customers(self.store, span, owner=owner, grade=_grade_code(grade), limit=limit)
        return [item.record() for item in items]

    # --- touches and visits -------------------------------------------------------------------

    def log(
        self,
        customer: Customer,
        summary: str,
        *,
        channel: str | None = None,
        contact: str | None = None,
        outcome: str | None = None,
        on: Day | None = None,
        next_on: Day | None = None,
        next_step: str | None = None,
    ) -> touches.Logged:
        """Log a touch (on `on`, default today), as `kehu log`; returns the customer's next due day."""
        return touches.log(
            self.store, str(customer), summary, today=self.today, now=self.now(), shift=self.due_shift(),
            happened_on=self._day("on", on), channel=channel, contact=contact, outcome=outcome,
            next_step_on=self._day("next_on", next_on), next_step=next_step,
        )  # fmt: skip

    def plan(self, customer: Customer, day: Day, purpose: str, **details: str | None) -> touches.Planned:
        """Plan a visit, as `kehu plan`; details: contact, people, preparation, content, expected,
        next_follow_up."""
        planned_on = self._day("day", day)
        assert planned_on is not None
        return touches.plan(self.store, str(customer), planned_on, purpose, today=self.today, now=self.now(),
                            **details)  # fmt: skip

    def done(
        self,
        customer: Customer,
        summary: str | None = None,
        *,
        plan_id: int | None = None,
        outcome: str | None = None,
        next_on: Day | None = None,
        next_step: str | None = None,
    ) -> touches.Done:
        """Turn an open visit plan into a visit logged today, as `kehu done`."""
        return touches.done(
            self.store, str(customer), summary, today=self.today, now=self.now(), shift=self.due_shift(),
            plan_id=plan_id, outcome=outcome, next_step_on=self._day("next_on", next_on), next_step=next_step,
        )  # fmt: skip

    def snooze(self, customer: Customer, until: Day) -> touches.Snoozed:
        """Move a customer's due day without a touch, as `kehu snooze`."""
        day = self._day("until", until)
        assert day is not None
        return touches.snooze(self.store, str(customer), day, shift=self.due_shift())

    def history(self, customer: Customer, limit: int | None = None) -> touches.History:
        """A customer's touches, newest first, as `kehu history`."""
        return touches.history(self.store, str(customer), limit)

    def plans(self, customer: Customer | None = None, *, everything: bool = False) -> list[dict[str, Any]]:
        """Visit plans, earliest first: the open ones, or with `everything` done and cancelled too,
        as `kehu plan list`."""
        return visits.plans(
            self.store, str(customer) if customer is not None else None, everything=everything
        )

    def move_plan(self, plan_id: int, day: Day) -> visits.PlanChanged:
        """Move an open visit plan to another day, as `kehu plan move`."""
        on = self._day("day", day)
        assert on is not None
        return visits.move(self.store, plan_id, on, today=self.today, now=self.now())

    def cancel_plan(self, plan_id: int, reason: str | None = None) -> visits.PlanChanged:
        """Cancel an open visit plan, kept with the reason, as `kehu plan cancel`."""
        return visits.cancel(self.store, plan_id, reason, now=self.now())

    def edit_touch(self, touch_id: int, **changes: Any) -> touches.TouchChanged:
        """Correct a logged touch, as `kehu touch edit`: summary, channel, contact, outcome,
        happened_on, next_step_on, next_step, clear_next; the due day follows."""
        for key in ("happened_on", "next_step_on"):
            if key in changes:
                changes[key] = self._day(key, changes[key])
        return touches.edit_touch(self.store, touch_id, today=self.today, shift=self.due_shift(),
                                  now=self.now(), **changes)  # fmt: skip

    def remove_touch(self, touch_id: int) -> touches.TouchChanged:
        """Remove a touch logged by mistake, as `kehu touch remove`; the due day follows and a visit
        plan the touch had marked done is open again (`plans_reopened`)."""
        return touches.remove_touch(self.store, touch_id, now=self.now(), shift=self.due_shift())

    # --- grades --------------------------------------------------------------------------------

    def grade(self, customer: Customer, grade: str, *, reason: str | None = None) -> grades.Graded:
        """Set a customer's grade (A–E, or a label such as A级), the change kept in the history
        with the reason, as `kehu grade`; returns the old and new grade and the next due day."""
        return grades.set_grade(
            self.store, str(customer), grade, reason, now=self.now(), shift=self.due_shift()
        )

    # --- cards -------------------------------------------------------------------------------

    def customer(self, customer: Customer) -> models.Customer:
        """One customer's card as a `kehu.store.models.Customer` (a SQLModel record: every column,
        money as Decimal, days as dates), found as the command line finds it."""
        from kehu.store.lookup import resolve_customer
        from kehu.store.models import Customer as CustomerRecord

        with self.store.read() as connection:
            found = resolve_customer(connection, str(customer))
            row = connection.execute(CUSTOMER_ROW, {"id": found["id"]}).one()
        return CustomerRecord(**row)

    def add(self, name: str, *, owner: str | None = None, **values: Any) -> models.Customer:
        """Add a card, as `kehu add`: the same name checks, first stage and due day. `values` are
        card fields by key, typed (grade "B", expected_value Decimal("500000"), expected_close a
        date, referrer any reference to a customer). Returns the new card."""
        from kehu.book.cards import add_card
        from kehu.domain.names import load_pinyin
        from kehu.domain.values import parse_name
        from kehu.errors import UsageError

        try:
            clean_name = parse_name(name)
        except ValueError as error:
            raise UsageError(str(error)) from None
        load_pinyin()  # not under the write lock
        with self.store.write() as connection:
            new_id = add_card(connection, clean_name, values, today=self.today, now=self.now(), owner=owner,
                              shift=self.due_shift())  # fmt: skip
        return self.customer(new_id)

    def edit(self, customer: Customer, **changes: Any) -> models.Customer:
        """Change card fields (None clears one), as `kehu edit`; a new grade is kept in the grade
        history and moves the due day. Returns the card as it is now."""
        from kehu.book.cards import edit_card

        with self.store.write() as connection:
            edited = edit_card(connection, str(customer), changes, now=self.now(), shift=self.due_shift())
        return self.customer(edited.customer_id)

    # --- the funnel and the money ---------------------------------------------------------------

    def advance(
        self,
        customer: Customer,
        stage: str | None = None,
        *,
        evidence: str | None = None,
        confirmed: bool = False,
        reason: str | None = None,
    ) -> funnel.Moved:
        """Move to `stage` (default: the next), as `kehu advance`: forward needs `evidence` that
        the stage's end marker is met (or confirmed=True), back needs a `reason`."""
        return funnel.advance(self.store, str(customer), stage, today=self.today, now=self.now(),
                              evidence=evidence, confirmed=confirmed, reason=reason)  # fmt: skip

    def won(self, customer: Customer, *, value: Decimal | str | None = None) -> funnel.Closed:
        """Mark the deal won today, as `kehu won` (value: the deal's worth, default expected_value)."""
        return funnel.won(self.store, str(customer), today=self.today, now=self.now(), value=value)

    def lost(self, customer: Customer, reason: str, *, detail: str | None = None) -> funnel.Closed:
        """Mark the deal lost today with one of the book's lost reasons, as `kehu lost`."""
        return funnel.lost(self.store, str(customer), reason, today=self.today, now=self.now(), detail=detail)

    def reopen(self, customer: Customer) -> funnel.Closed:
        """Open a won or lost deal again, as `kehu reopen`."""
        return funnel.reopen(self.store, str(customer), today=self.today, now=self.now())

    def pay(
        self, customer: Customer, amount: Decimal | str, *, on: Day | None = None, contract: int | None = None
    ) -> contracts.Paid:
        """Record money received (Decimal, or text such as 50万), as `kehu pay`: for one contract or
        split over the open ones, oldest due first; more than is outstanding is refused."""
        return contracts.pay(self.store, str(customer), amount, today=self.today, now=self.now(),
                             paid_on=self._day("on", on), contract_id=contract)  # fmt: skip

    # --- the moment and the calendar ----------------------------------------------------------

    def now(self) -> datetime:
        """This moment in UTC; on `today`'s date when the book acts on another day (as --today)."""
        return moment_on(self.today)

    def due_shift(self):
        """Due days move to the next working day with `workdays = true` in the config (as the CLI)."""
        return due_shift()

    def _day(self, what: str, value: Day | None) -> date | None:
        return None if value is None else _parse_day(what, value, self.today)


def _parse_day(what: str, value: Day, today: date) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return read_date(what, value, today)


def _grade_code(text: str | None) -> str | None:
    from kehu.book.words import word_code
    from kehu.domain.vocabulary import GRADE

    return word_code(GRADE, "grade", text)
