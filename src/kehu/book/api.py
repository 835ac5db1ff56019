"""The Python API: `kehu.open_book(...)` gives a Book whose methods are kehu's use cases.

    with kehu.open_book("examples/demo.db", today="2026-11-23") as book:
        book.log("hnkj", "电话沟通报价", channel="电话", next_on="下周三", next_step="送样品")

After the contract (issue 17), the money and the after-sale care go the same way:

        book.contract("hnkj", "100万", number="HN-01", schedule="30% 签约, 60% 验收后30天, 10% 质保1年")
        book.accept("HN-01", on="2026-12-01")  # dates the instalments tied to acceptance
        book.collect("hnkj", "电话", result="月底前付一半", promise="月底", amount="30万")
        book.pay("hnkj", "30万")
        book.complain("hnkj", "扫码枪经常掉线", severity="高")
        book.set_target("2027-01", amount="300万", collect="200万")

Customers are named as on the command line (id, exact name, pinyin, part of the name); days are
dates or words kehu reads (明天, 下周三, 2026-12-01); failures are KehuError subclasses
(kehu.errors), each with the exit code the command line would give.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from kehu.book import contracts, funnel, grades, org, rivals, touches, visits
from kehu.book.clock import due_shift, moment_on, read_date

if TYPE_CHECKING:
    from decimal import Decimal

    from kehu.book.answers import Answered, StageQuestions
    from kehu.book.collections import Collected
    from kehu.book.complaints import ComplaintWritten
    from kehu.book.credit import CheckWritten, Standing
    from kehu.book.targets import TargetWritten
    from kehu.store import models
    from kehu.store.db import Store

# Every column of one customer, for the Python API's Customer record.
CUSTOMER_ROW = "SELECT * FROM customer WHERE id = :id"

Day = date | str
Customer = str | int  # an id, a name, pinyin or part of the name
Contract = str | int  # a contract's number or id, or a customer with one open contract
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

    # --- the organisation and relationships ----------------------------------------------------

    def relate(
        self, customer: Customer, contact: str, stage: str, *, reason: str | None = None,
        on: Day | None = None,
    ) -> org.Related:
        """Set a contact's relationship stage (认识/acquainted … 同盟/ally) on `on` (default today),
        the change kept with the reason, as `kehu contact relate`; moving down needs a reason."""
        day = self._day("on", on) or self.today
        return org.relate(self.store, str(customer), contact, stage, reason=reason, on=day, now=self.now())

    def relations(
        self, customer: Customer | None = None, contact: str | None = None
    ) -> list[dict[str, Any]]:
        """The relationship history (customer, contact, changed_on, old/new stage codes, reason),
        newest first, as `kehu contact relations`."""
        return org.relations(self.store, None if customer is None else str(customer), contact).changes

    def org(self, customer: Customer) -> list[tuple[int, dict[str, Any]]]:
        """A customer's organisation as `kehu org` draws it: (depth, contact) pairs, each contact
        under their superior (`reports_to` names them), depth 0 at the top."""
        return [(depth, dict(person)) for depth, person in org.org_chart(self.store, str(customer)).people]

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
        evidence: str | list[str] | None = None,
        confirmed: bool = False,
        reason: str | None = None,
        skip_evidence: bool = False,
    ) -> funnel.Moved:
        """Move to `stage` (default: the next), as `kehu advance`: forward needs `evidence` that
        the stage's end marker is met (or confirmed=True, which takes a recorded need or
        proposal as the evidence where the stage asks for one), one per stage passed (or
        skip_evidence=True); back needs a `reason`."""
        return funnel.advance(self.store, str(customer), stage, today=self.today, now=self.now(),
                              evidence=evidence, confirmed=confirmed, reason=reason,
                              skip_evidence=skip_evidence)  # fmt: skip

    def answer(self, customer: Customer, number: int, text: str, *, stage: str | None = None) -> Answered:
        """Answer question `number` of the customer's stage (or of `stage`), as `kehu answer`."""
        from kehu.book.answers import answer

        return answer(self.store, str(customer), number, text, today=self.today, now=self.now(), stage=stage)

    def stage_questions(self, customer: Customer, stage: str | None = None) -> StageQuestions:
        """The questions of the customer's stage (or of `stage`) with its answers, as `kehu answers`."""
        from kehu.book.answers import stage_questions

        return stage_questions(self.store, str(customer), stage)

    def won(self, customer: Customer, *, value: Decimal | str | None = None) -> funnel.Closed:
        """Mark the deal won today, as `kehu won` (value: the deal's worth, default expected_value)."""
        return funnel.won(self.store, str(customer), today=self.today, now=self.now(), value=value)

    def lost(
        self, customer: Customer, reason: str | None = None, *, detail: str | None = None,
        to: str | None = None,
    ) -> funnel.Closed:  # fmt: skip
        """Mark the deal lost today with one of the book's lost reasons, as `kehu lost`; `to` names
        the rival that took it (recorded at the customer if new; the reason then defaults to
        `competitor`)."""
        return funnel.lost(self.store, str(customer), reason, today=self.today, now=self.now(), detail=detail,
                           to=to)  # fmt: skip

    def reopen(self, customer: Customer, *, new_deal: bool = False) -> funnel.Closed:
        """Open a won or lost deal again, as `kehu reopen`; new_deal=True starts a won customer's
        next purchase from the first stage (`kehu reopen --new-deal`)."""
        return funnel.reopen(self.store, str(customer), today=self.today, now=self.now(), new_deal=new_deal)

    def pay(
        self, customer: Customer, amount: Decimal | str, *, on: Day | None = None, contract: int | None = None
    ) -> contracts.Paid:
        """Record money received (Decimal, or text such as 50万), as `kehu pay`: for one contract or
        split over the open ones, oldest due first; more than is outstanding is refused."""
        return contracts.pay(self.store, str(customer), amount, today=self.today, now=self.now(),
                             paid_on=self._day("on", on), contract_id=contract)  # fmt: skip

    # --- after the contract: instalments, collection, credit, complaints, targets ---------------

    def contract(
        self,
        customer: Customer,
        amount: Decimal | str,
        *,
        signed: Day | None = None,
        due: Day | None = None,
        terms: str | None = None,
        number: str | None = None,
        schedule: str | None = None,
        instalments: str | list[str] | None = None,
    ) -> contracts.Signed:
        """Record a signed contract (signed today unless `signed`), as `kehu contract add`: due on
        `due` or after `terms` (30天, net 45), or in instalments: a `schedule` ("30% 签约, 60%
        验收后30天, 10% 质保1年") or `instalments`, one "amount or percentage, when" each. Over the
        customer's credit limit it is recorded all the same, the warning in `warnings`."""
        parts = [instalments] if isinstance(instalments, str) else list(instalments or [])
        return contracts.add_contract(self.store, str(customer), amount, today=self.today, now=self.now(),
                                      signed_on=self._day("signed", signed), due_on=self._day("due", due),
                                      terms=terms, number=number, schedule=schedule,
                                      instalments=parts or None)  # fmt: skip

    def deliver(
        self, contract: Contract, *, on: Day | None = None, note: str | None = None
    ) -> contracts.Event:
        """Record a contract's delivery on `on` (default today), as `kehu deliver`: the instalments
        due after delivery get their days (`dated`)."""
        return contracts.record_event(self.store, str(contract), "delivery", today=self.today,
                                      day=self._day("on", on), note=note)  # fmt: skip

    def accept(self, contract: Contract, *, on: Day | None = None) -> contracts.Event:
        """Record a contract's acceptance on `on` (default today), as `kehu accept`: the instalments
        due after acceptance get their days (delivered the same day, if no delivery was recorded)."""
        return contracts.record_event(self.store, str(contract), "acceptance", today=self.today,
                                      day=self._day("on", on))  # fmt: skip

    def contracts(self, customer: Customer | None = None, *, open_only: bool = False) -> list[dict[str, Any]]:
        """Contracts, oldest due first, with paid, outstanding, age `bucket` and collection `step`
        (and each one's aged `instalments`), as `kehu contract list --format json` rows."""
        return contracts.contract_list(self.store, None if customer is None else str(customer),
                                       today=self.today, open_only=open_only)  # fmt: skip

    def instalments(
        self, contract: Contract | None = None, *, customer: Customer | None = None, open_only: bool = False
    ) -> list[dict[str, Any]]:
        """Instalments of one contract, of one customer, or all, with due day, paid, outstanding,
        age and collection step, as `kehu contract show` / `contract list --instalments`."""
        return contracts.instalment_list(
            self.store, None if customer is None else str(customer), today=self.today,
            contract=None if contract is None else str(contract), open_only=open_only,
        )  # fmt: skip

    def collect(
        self,
        customer: Customer,
        method: str,
        *,
        result: str,
        promise: Day | None = None,
        amount: Decimal | str | None = None,
        contract: Contract | None = None,
        document: str | None = None,
        on: Day | None = None,
    ) -> Collected:
        """Record a collection action (phone, finance, visit, legal, or 电话 …) and what came of it,
        as `kehu collect` (a touch too); a promise (the day `promise` and the `amount`, both or
        neither) comes back in due() on its day, and is broken after it until paid."""
        from kehu.book.collections import collect

        return collect(self.store, str(customer), method, result, today=self.today, now=self.now(),
                       shift=self.due_shift(), happened_on=self._day("on", on),
                       contract=None if contract is None else str(contract), document=document,
                       promised_on=self._day("promise", promise), promised_amount=amount)  # fmt: skip

    def collections(self, customer: Customer | None = None) -> list[dict[str, Any]]:
        """Collection actions, oldest first, each promise's `promise_status` as of today (open,
        kept, broken), as `kehu collections --format json` rows."""
        from kehu.book.collections import list_collections

        with self.store.read() as connection:
            return list_collections(connection, None if customer is None else str(customer), self.today)

    def credit(
        self, customer: Customer, *, on: Day | None = None, notes: str | None = None, **figures: Any
    ) -> CheckWritten:
        """Record a credit check, as `kehu credit CUSTOMER --…`: figures by key (registered_capital,
        years_in_business, payment_history, collection_days, credit_limit, current_asset_ratio,
        net_margin, return_on_assets, inventory_days, receivable_days), typed or as text (2000万,
        good, 6.5); returns the overall result (pass, watch, fail)."""
        from kehu.book.credit import record_check

        return record_check(self.store, str(customer), figures, today=self.today, now=self.now(),
                            checked_on=self._day("on", on), notes=notes)  # fmt: skip

    def credit_standing(self, customer: Customer) -> Standing:
        """A customer's latest credit check (`check`, None if never checked), each figure judged
        against its threshold (`judged`) and the overall `result`, as `kehu credit CUSTOMER`."""
        from kehu.book.credit import standing

        return standing(self.store, str(customer))

    def credit_checks(self, customer: Customer | None = None) -> list[dict[str, Any]]:
        """Credit checks, the latest first, each with its overall `result`, as `kehu credit list` rows."""
        from kehu.book.credit import checks

        return checks(self.store, None if customer is None else str(customer))

    def complain(
        self,
        customer: Customer,
        description: str,
        *,
        severity: str | None = None,
        contact: str | None = None,
        on: Day | None = None,
    ) -> ComplaintWritten:
        """Record a customer's complaint raised on `on` (default today), from one of its contacts,
        as `kehu complaint add`: due in due() until resolved."""
        from kehu.book.complaints import add_complaint

        return add_complaint(self.store, str(customer), description, today=self.today, now=self.now(),
                             severity=severity, contact=contact, raised_on=self._day("on", on))  # fmt: skip

    def resolve(
        self, complaint_id: int, *, resolution: str | None = None, on: Day | None = None
    ) -> ComplaintWritten:
        """Mark a complaint resolved on `on` (default today), as `kehu complaint resolve`."""
        from kehu.book.complaints import resolve_complaint

        return resolve_complaint(self.store, complaint_id, today=self.today, now=self.now(),
                                 resolution=resolution, resolved_on=self._day("on", on))  # fmt: skip

    def complaints(
        self, customer: Customer | None = None, *, open_only: bool = False
    ) -> list[dict[str, Any]]:
        """Complaints, open and most severe first, each with its `days` (open so far, or taken to
        resolve), as `kehu complaint list --format json` rows."""
        from kehu.book.complaints import complaints

        return complaints(self.store, None if customer is None else str(customer), today=self.today,
                          open_only=open_only)  # fmt: skip

    def set_target(
        self,
        month: Day,
        *,
        owner: str | None = None,
        amount: Decimal | str | None = None,
        collect: Decimal | str | None = None,
        new_customers: int | str | None = None,
        touches_per_day: Decimal | str | None = None,
    ) -> TargetWritten:
        """Set a month's targets (2027-01, or a day in it) for the book or one seller, in place of
        any set before, as `kehu target set`; `replaced` says whether there were."""
        from kehu.book.targets import set_target

        figures = {"amount": amount, "collect_amount": collect, "new_customers": new_customers,
                   "touches_per_day": touches_per_day}  # fmt: skip
        return set_target(self.store, _month_text(month), figures, today=self.today, now=self.now(),
                          owner=owner)  # fmt: skip

    def targets(self, owner: str | None = None) -> list[dict[str, Any]]:
        """The monthly targets, by month, the book's first (with `owner`: theirs and the book's),
        as `kehu target list` rows."""
        from kehu.book.targets import targets

        return targets(self.store, owner)

    def remove_target(self, month: Day, *, owner: str | None = None) -> TargetWritten:
        """Remove a month's targets, the book's or one seller's, as `kehu target remove`."""
        from kehu.book.targets import remove_target

        return remove_target(self.store, _month_text(month), today=self.today, owner=owner)

    # --- rivals (竞争信息) -------------------------------------------------------------------------

    def rivals(self, customer: Customer | None = None) -> list[dict[str, Any]]:
        """The rivals of one customer, or at every customer, as `kehu rival list --format json`
        rows (id, customer, name, their_contact, since, share, price, strengths, weaknesses, notes,
        won_on …; typed: dates, Decimal)."""
        from kehu.book.rivals import list_rivals

        with self.store.read() as connection:
            return [dict(row) for row in list_rivals(connection, None if customer is None else str(customer))]

    def add_rival(self, customer: Customer, name: str, **values: Any) -> rivals.Written:
        """Record a rival at a customer, as `kehu rival add`: values by key, typed (share 30,
        price Decimal("1200000"), since a date); a name already there is a Conflict."""
        from kehu.domain.values import parse_name
        from kehu.errors import UsageError

        try:
            clean_name = parse_name(name)
        except ValueError as error:
            raise UsageError(str(error)) from None
        with self.store.write() as connection:
            return rivals.add_rival(connection, str(customer), clean_name, _rival_values(values),
                                    now=self.now())  # fmt: skip

    def edit_rival(self, customer: Customer, rival: str, **changes: Any) -> rivals.Written:
        """Change fields of a rival (None clears one; name renames it), as `kehu rival edit`."""
        with self.store.write() as connection:
            return rivals.edit_rival(connection, str(customer), rival, _rival_values(changes), now=self.now())

    def remove_rival(self, customer: Customer, rival: str) -> rivals.Written:
        """Remove a rival, as `kehu rival remove`."""
        with self.store.write() as connection:
            return rivals.remove_rival(connection, str(customer), rival)

    # --- needs, proposals, quotes (挖掘需求, 呈现价值) --------------------------------------------

    def add_need(self, customer: Customer, need: str, *, on: Day | None = None, **details: str | None) -> Any:
        """Note a need of a customer, as `kehu need add`; details: kind, priority, contact (whose),
        notes, status (words or codes)."""
        from kehu.book import needs

        return needs.add_need(self.store, str(customer), need, today=self.today, now=self.now(),
                              noted_on=self._day("on", on), **details)  # fmt: skip

    def needs(self, customer: Customer | None = None, *, status: str | None = None,
              kind: str | None = None) -> list[dict[str, Any]]:  # fmt: skip
        """Needs, open first and the most pressing first, as `kehu need list --format json` rows."""
        from kehu.book import needs

        return needs.needs(self.store, None if customer is None else str(customer), status=status, kind=kind)

    def add_proposal(self, customer: Customer, *, sent: Day | None = None, **details: Any) -> Any:
        """Add a proposal (the next version of its title), as `kehu proposal add`; details: title,
        amount (Decimal or text), file, status, notes."""
        from kehu.book import offers

        return offers.add_proposal(self.store, str(customer), today=self.today, now=self.now(),
                                   sent_on=self._day("sent", sent), **details)  # fmt: skip

    def add_quote(self, customer: Customer, amount: Decimal | str, *, sent: Day | None = None,
                  valid_until: Day | None = None, keep_value: bool = False,
                  **details: Any) -> Any:  # fmt: skip
        """Add a quote (the customer's next version), as `kehu quote add`: its amount becomes the
        expected value unless keep_value; details: discount, status, notes."""
        from kehu.book import offers

        return offers.add_quote(self.store, str(customer), amount, today=self.today, now=self.now(),
                                sent_on=self._day("sent", sent),
                                valid_until=self._day("valid_until", valid_until), keep_value=keep_value,
                                **details)  # fmt: skip

    def proposals(self, customer: Customer | None = None, *, latest: bool = False) -> list[dict[str, Any]]:
        """Proposals, the latest version of each title first, as `kehu proposal list` rows."""
        from kehu.book import offers

        return offers.offers(self.store, "proposal", None if customer is None else str(customer),
                             today=self.today, latest=latest)  # fmt: skip

    def quotes(self, customer: Customer | None = None, *, latest: bool = False) -> list[dict[str, Any]]:
        """Quotes, the latest version first, as `kehu quote list` rows (with `expired`)."""
        from kehu.book import offers

        return offers.offers(self.store, "quote", None if customer is None else str(customer),
                             today=self.today, latest=latest)  # fmt: skip

    def set_offer_status(self, kind: str, offer_id: int, status: str) -> Any:
        """Mark a proposal or a quote (`kind`) draft, sent, accepted or rejected, as `kehu proposal
        status` / `kehu quote status`."""
        from kehu.book import offers

        if kind not in offers.TABLES:
            from kehu.errors import UsageError

            raise UsageError(f"kind: proposal or quote, not {kind!r}")
        return offers.set_status(self.store, kind, offer_id, status, today=self.today, now=self.now())

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


def _month_text(month: Day) -> str:
    """A month as book.targets reads it: text as typed (2027-01, 下个月), or a day in it."""
    if isinstance(month, date):  # a datetime is a date too
        return month.strftime("%Y-%m-%d")
    return month


def _rival_values(values: dict[str, Any]) -> dict[str, Any]:
    """A rival's fields as the API takes them, checked as the command line checks its options:
    a share of 0–100, money and days typed or as text kehu reads (30%, 120万, 2026-03-01)."""
    from kehu.domain.fields import RIVAL_FIELDS, parse_value
    from kehu.errors import UsageError
    from kehu.i18n import labelled

    fields = {f.key: f for f in RIVAL_FIELDS if f.editable and f.kind not in ("timestamp", "ref", "id")}
    checked: dict[str, Any] = {}
    for key, value in values.items():
        if key not in fields:
            raise UsageError(labelled(key, "not a rival field"))
        try:
            typed = isinstance(value, str) and value.strip()
            checked[key] = parse_value(fields[key], value) if typed else value
        except ValueError as error:
            raise UsageError(labelled(key, error)) from None
    if isinstance(checked.get("share"), int) and not 0 <= checked["share"] <= 100:
        raise UsageError(labelled("share", "0–100"))
    return checked


def _grade_code(text: str | None) -> str | None:
    from kehu.book.words import word_code
    from kehu.domain.vocabulary import GRADE

    return word_code(GRADE, "grade", text)
