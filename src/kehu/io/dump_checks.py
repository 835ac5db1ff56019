"""The rules a dump's records must follow to be loaded: each column's, as an import or a command
applies it to what it stores, and those that span records (references, what must be unique, the
funnel, the money). io/dump.py reads the records and asks these.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kehu.domain.aging import NOT_TERMS, allocate_payment, parse_terms
from kehu.domain.fields import CONTACT_FIELDS, CUSTOMER_FIELDS, TOUCH_FIELDS, Field, parse_value
from kehu.domain.names import name_key, pinyin_forms
from kehu.domain.schedule import schedule_gap
from kehu.domain.stages import Pipeline
from kehu.domain.vocabulary import (
    ANSWERS,
    CHANNEL,
    COLLECTION_METHOD,
    COMPLAINT_STATUS,
    FUNNEL_EVENTS,
    GRADE,
    INSTALMENT_EVENT,
    NEED_KIND,
    NEED_STATUS,
    OFFER_STATUS,
    PAYMENT_HISTORY,
    PLAN_STATUSES,
    PRIORITY,
    PROMISE_STATUS,
    RELATIONSHIPS,
    SEVERITY,
    STATUSES,
)
from kehu.errors import BadData
from kehu.i18n import _
from kehu.io.csv_in import RowError, printable, shorten
from kehu.store.funnel import QUALIFICATION_KEYS
from kehu.store.schema import COLUMN_KINDS, DAY, MOMENT, MONEY

if TYPE_CHECKING:
    from kehu.io.dump import Table


def shown(value: Any) -> str:
    """A value from the file as a message may quote it: one bounded line, nothing a terminal obeys."""
    return shorten(printable(str(value)))


def refused(number: int, table: Table, column: str, reason: str) -> BadData:
    """The one-line error of a bad value: its line, table and column, and why."""
    return BadData(str(RowError(number, f"{table.name}.{column}", reason)))


# --- the rule of each column ---------------------------------------------------------------------


def _field(key: str, kind: str, vocabulary=None) -> Field:
    return Field(key, key, key, kind, vocabulary)


# Columns that are a field of a card, contact or touch follow that field's rule (what an import
# or `kehu add`/`log` applies); the others are described here. A column with no field follows
# its type: text as import takes text, money, days and moments as import takes them.
_OWN_FIELDS = {"customer": CUSTOMER_FIELDS, "contact": CONTACT_FIELDS, "touch": TOUCH_FIELDS}
_MORE_FIELDS = (
    _field("name", "name"), _field("last_channel", "choice", CHANNEL), _field("channel", "choice", CHANNEL),
    _field("old_grade", "choice", GRADE), _field("new_grade", "choice", GRADE),
    _field("currency", "currency"),
)  # fmt: skip
_CODES: dict[tuple[str, str], tuple[str, ...]] = {
    ("customer", "status"): STATUSES,
    ("visit_plan", "status"): PLAN_STATUSES,
    ("stage_change", "event"): FUNNEL_EVENTS,
    ("contact", "relationship"): RELATIONSHIPS,
    ("relationship_change", "old_relationship"): RELATIONSHIPS,
    ("relationship_change", "new_relationship"): RELATIONSHIPS,
    ("need", "kind"): NEED_KIND.codes(),
    ("need", "priority"): PRIORITY.codes(),
    ("need", "status"): NEED_STATUS.codes(),
    ("proposal", "status"): OFFER_STATUS.codes(),
    ("quote", "status"): OFFER_STATUS.codes(),
    ("instalment", "event"): INSTALMENT_EVENT.codes(),
    ("collection_action", "method"): COLLECTION_METHOD.codes(),
    ("collection_action", "promise_status"): PROMISE_STATUS.codes(),
    ("credit_check", "payment_history"): PAYMENT_HISTORY.codes(),
    ("complaint", "severity"): SEVERITY.codes(),
    ("complaint", "status"): COMPLAINT_STATUS.codes(),
    **{("qualification", key): tuple(dict.fromkeys(ANSWERS.values())) for key in QUALIFICATION_KEYS},
}


_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")


def _one_of(codes: tuple[str, ...]) -> Callable[[Any], None]:
    def check(value: Any) -> None:
        if value not in codes:
            raise ValueError(_("unknown value {text!r}; one of: {choices}").format(
                text=value, choices=", ".join(codes)))  # fmt: skip

    return check


def _parsed(field: Field) -> Callable[[Any], None]:
    """The field's own parser; a word list's code, a currency and a name must be stored as kehu
    stores them, not as a label or another spelling that the parser would have made the code
    (or, for a name, trimmed)."""

    exact = field.kind in ("choice", "currency", "count", "name")
    # Codes and days repeat: each is checked once (a book holds a few thousand different days).
    passed: set[Any] | None = set() if field.kind in ("choice", "currency", "date", "birthday") else None

    def check(value: Any) -> None:
        if passed is not None and value in passed:
            return
        stored = parse_value(field, value if isinstance(value, str) else str(value))
        if exact and stored != value:
            raise ValueError(_("{value!r} is not how kehu stores it ({stored!r})").format(
                value=value, stored=stored))  # fmt: skip
        if passed is not None and len(passed) < 100_000:
            passed.add(value)

    return check


def _record_id(value: int) -> None:
    if value < 1:
        raise ValueError(_("not a record id: {value}").format(value=value))


def _ratio(value: Any) -> None:
    """A ratio in percent, two places: what kehu credit stores (a loss is negative)."""
    from kehu.domain.credit import parse_ratio

    stored = parse_ratio(str(value))
    if str(stored) != str(value):
        raise ValueError(_("{value!r} is not how kehu stores it ({stored!r})").format(
            value=str(value), stored=str(stored)))  # fmt: skip


def _terms(value: int) -> None:
    if parse_terms(str(value)) != value:
        raise ValueError(_(NOT_TERMS).format(text=value))


def column_rules(table: Table, integers: frozenset[str]) -> dict[str, Callable[[Any], None]]:
    """The rule of each column of `table` that has one (`integers`: its whole-number columns)."""
    fields = {field.key: field for field in (*_MORE_FIELDS, *_OWN_FIELDS.get(table.name, ()))}
    rules: dict[str, Callable[[Any], None]] = {}
    for name in table.columns:
        kind = COLUMN_KINDS.get(name)
        field = fields.get(name)
        if name in ("current_asset_ratio", "net_margin", "return_on_assets"):
            rules[name] = _ratio
        elif (table.name, name) in _CODES:
            rules[name] = _one_of(_CODES[table.name, name])
        elif field is not None and field.kind not in ("id", "ref", "flag"):
            rules[name] = _parsed(field)
        elif name == "terms_days":
            rules[name] = _terms
        elif name in integers and (name == "id" or name.endswith("_id")):
            rules[name] = _record_id
        elif kind == MONEY:
            rules[name] = _parsed(_field(name, "money"))
        elif kind == MOMENT:
            rules[name] = _parsed(_field(name, "timestamp"))
        elif kind == DAY:
            rules[name] = _parsed(_field(name, "date"))
        elif kind is None and name not in integers:
            rules[name] = _parsed(_field(name, "text"))
    return rules


# --- the rules that span records -----------------------------------------------------------------


class _Wrong(Exception):
    """A record that breaks a rule spanning records: the column to blame, and why."""

    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


class RecordChecks:
    """What the records read so far hold: the checks of references, of what must be unique, of
    the funnel and of the money, which look beyond one record. Forward references (a referrer,
    a customer's last contact) are checked at the end."""

    def __init__(self, tables: Sequence[Table]) -> None:
        self.tables = tables
        self.keys: dict[str, set[Any]] = {table.name: set() for table in tables}  # primary keys
        self.customer_table = next(table for table in tables if table.name == "customer")
        self.name_keys: dict[str, int] = {}  # customer name_key → its line
        self.contacts: dict[int, int] = {}  # contact id → its customer
        self.contact_keys: dict[tuple[int, str], int] = {}  # (customer, name_key) → its line
        self.key_contacts: dict[int, int] = {}  # customer → the line of its key contact
        self.touches: dict[int, int] = {}  # touch id → its customer
        self.contracts: dict[int, tuple[int, date]] = {}  # contract id → its customer, due day
        self.outstanding: dict[int, Decimal] = {}  # contract id → what its payments leave
        # contract id → (its line, number, amount) and what its instalments add up to
        self.contract_lines: dict[int, tuple[int, str | None, Decimal]] = {}
        self.scheduled: dict[int, Decimal] = {}
        self.later: list[tuple[int, Table, str, int, int]] = []  # line, table, column, customer, ref
        self.superiors: dict[int, int] = {}  # contact id → the contact they report to
        self.rival_keys: dict[tuple[int, str], int] = {}  # (customer, name_key) → its line
        self.instalments: dict[int, int] = {}  # instalment id → its contract
        self.instalment_seqs: set[tuple[int, int]] = set()  # (contract, seq)
        self.targets: dict[tuple[str, str], int] = {}  # (month, owner) → its line
        # (customer, pipeline, stage, question) → its line
        self.answers: dict[tuple[int, str, str, int], int] = {}
        self._pipelines: dict[str, Pipeline] | None = None

    def check(self, number: int, table: Table, row: dict[str, Any]) -> None:
        try:
            key = tuple(row[column] for column in table.key)
            if key in self.keys[table.name]:
                column = table.key[0]
                raise _Wrong(column, _("a second record with {column} {value}").format(
                    column=column, value=shown(key[0])))  # fmt: skip
            getattr(self, "_" + table.name)(number, row)
            self.keys[table.name].add(key)
        except _Wrong as wrong:
            raise refused(number, table, wrong.column, wrong.reason) from None

    def finish(self) -> None:
        """The forward references: each must point at a record of the whole dump; and each
        contract's instalments, all read now, must add up to its amount."""
        self._schedules_add_up()
        for number, table, column, customer, ref in self.later:
            if column == "referrer_id" and (ref,) not in self.keys["customer"]:
                reason = _("no {table} with id {id} in the dump").format(table="customer", id=ref)
                raise refused(number, table, column, reason)
            if column in ("last_contact_id", "reports_to_id"):
                try:
                    self._contact_of(customer, ref, column)
                except _Wrong as wrong:
                    raise refused(number, table, column, wrong.reason) from None
            if column == "reports_to_id" and self._reports_in_circle(ref):
                reason = _("contact {id} reports, through others, to itself").format(id=ref)
                raise refused(number, table, column, reason)

    def _schedules_add_up(self) -> None:
        """Every contract is paid in instalments that add up to its amount to the fen, as `kehu
        contract add` and `kehu import instalments` write them (a contract without a schedule is
        one instalment of all of it): aging and collection read the instalments, not the amount."""
        table = next(table for table in self.tables if table.name == "contract")
        for contract, (number, label, amount) in self.contract_lines.items():
            gap = schedule_gap(label or contract, self.scheduled.get(contract, Decimal("0.00")), amount)
            if gap is not None:
                raise refused(number, table, "amount", gap)

    def _reports_in_circle(self, start: int) -> bool:
        seen = {start}
        boss = self.superiors.get(start)
        while boss is not None:
            if boss in seen:
                return True
            seen.add(boss)
            boss = self.superiors.get(boss)
        return False

    # One method a table, named after it.

    def _customer(self, number: int, row: dict[str, Any]) -> None:
        key = self._name_key(row)
        if key in self.name_keys:
            raise _Wrong("name", _("same customer as line {line}").format(line=self.name_keys[key]))
        self.name_keys[key] = number
        row["pinyin_full"], row["pinyin_initials"] = pinyin_forms(row["name"])
        if row["stage"] is not None:
            if row["pipeline"] is None:
                raise _Wrong("stage", _("a stage without a pipeline"))
            self._stage(row["pipeline"], row["stage"], "stage")
        elif row["pipeline"] is not None:
            self._pipeline(row["pipeline"], "pipeline")
        if row["referrer_id"] == row["id"]:
            raise _Wrong("referrer_id", _("a customer cannot refer itself"))
        for column in ("referrer_id", "last_contact_id"):
            if row[column] is not None:
                self.later.append((number, self.customer_table, column, row["id"], row[column]))

    def _contact(self, number: int, row: dict[str, Any]) -> None:
        customer = self._customer_of(row)
        pair = (customer, self._name_key(row))
        if pair in self.contact_keys:
            raise _Wrong("name", _("same contact as line {line}").format(line=self.contact_keys[pair]))
        self.contact_keys[pair] = number
        if row["is_key"]:
            if customer in self.key_contacts:
                raise _Wrong("is_key", _("a second key contact of customer {id} (the first on line {line})")
                             .format(id=customer, line=self.key_contacts[customer]))  # fmt: skip
            self.key_contacts[customer] = number
        self.contacts[row["id"]] = customer
        if row["reports_to_id"] is not None:
            if row["reports_to_id"] == row["id"]:
                raise _Wrong("reports_to_id", _("a contact cannot report to themself"))
            self.superiors[row["id"]] = row["reports_to_id"]
            table = next(table for table in self.tables if table.name == "contact")
            self.later.append((number, table, "reports_to_id", customer, row["reports_to_id"]))

    def _grade_change(self, number: int, row: dict[str, Any]) -> None:
        self._customer_of(row)

    def _touch(self, number: int, row: dict[str, Any]) -> None:
        customer = self._customer_of(row)
        if row["contact_id"] is not None:
            self._contact_of(customer, row["contact_id"], "contact_id")
        self.touches[row["id"]] = customer

    def _visit_plan(self, number: int, row: dict[str, Any]) -> None:
        customer = self._customer_of(row)
        if row["contact_id"] is not None:
            self._contact_of(customer, row["contact_id"], "contact_id")
        if row["touch_id"] is not None:
            self._owned(self.touches, "touch", customer, row["touch_id"], "touch_id")

    def _stage_change(self, number: int, row: dict[str, Any]) -> None:
        self._customer_of(row)
        self._pipeline(row["pipeline"], "pipeline")
        for column in ("from_stage", "to_stage"):
            if row[column] is not None:
                self._stage(row["pipeline"], row[column], column)

    def _qualification(self, number: int, row: dict[str, Any]) -> None:
        self._customer_of(row)

    def _setting(self, number: int, row: dict[str, Any]) -> None:
        # The book's one setting: the pipeline new customers start in (kehu.store.funnel).
        if row["key"] != "pipeline":
            raise _Wrong("key", _("unknown value {text!r}; one of: {choices}").format(
                text=row["key"], choices="pipeline"))  # fmt: skip
        self._pipeline(row["value"], "value")

    def _contract(self, number: int, row: dict[str, Any]) -> None:
        self.contracts[row["id"]] = (self._customer_of(row), row["due_on"])
        self.outstanding[row["id"]] = row["amount"]
        self.contract_lines[row["id"]] = (number, row["number"], row["amount"])

    def _instalment(self, number: int, row: dict[str, Any]) -> None:
        customer = self._customer_of(row)
        contract = row["contract_id"]
        self._owned({c: owner for c, (owner, _due) in self.contracts.items()}, "contract", customer, contract,
                    "contract_id")  # fmt: skip
        if row["seq"] < 1:
            raise _Wrong("seq", _("an instalment's number starts at 1"))
        if (contract, row["seq"]) in self.instalment_seqs:
            message = _("a second instalment {seq} of contract {id}")
            raise _Wrong("seq", message.format(seq=row["seq"], id=contract))
        self.instalment_seqs.add((contract, row["seq"]))
        if row["days"] is not None and row["event"] is None:
            raise _Wrong("days", _("days after no event"))
        self.instalments[row["id"]] = contract
        self.scheduled[contract] = self.scheduled.get(contract, Decimal("0.00")) + row["amount"]

    def _payment(self, number: int, row: dict[str, Any]) -> None:
        customer = self._customer_of(row)
        contract = row["contract_id"]
        if contract not in self.contracts:
            raise _Wrong("contract_id", _("no {table} with id {id} before this line").format(
                table="contract", id=contract))  # fmt: skip
        owner, due_on = self.contracts[contract]
        if owner != customer:
            raise _Wrong("contract_id", _("{table} {id} is another customer's").format(
                table="contract", id=contract))  # fmt: skip
        instalment = row["instalment_id"]
        if instalment is not None and self.instalments.get(instalment) != contract:
            raise _Wrong("instalment_id", _("instalment {id} is not one of contract {contract}").format(
                id=instalment, contract=contract))  # fmt: skip
        # What `kehu pay` allows: more than zero, and no more than the contract still owes.
        try:
            allocate_payment([(contract, self.outstanding[contract], due_on)], row["amount"])
        except ValueError as error:
            raise _Wrong("amount", str(error)) from None
        self.outstanding[contract] -= row["amount"]

    def _rival(self, number: int, row: dict[str, Any]) -> None:
        customer = self._customer_of(row)
        pair = (customer, self._name_key(row))
        if pair in self.rival_keys:
            raise _Wrong("name", _("same rival as line {line}").format(line=self.rival_keys[pair]))
        self.rival_keys[pair] = number
        if row["share"] is not None and not 0 <= row["share"] <= 100:
            raise _Wrong("share", _("a share is a percentage from 0 to 100"))

    def _relationship_change(self, number: int, row: dict[str, Any]) -> None:
        self._contact_of(self._customer_of(row), row["contact_id"], "contact_id")

    def _need(self, number: int, row: dict[str, Any]) -> None:
        customer = self._customer_of(row)
        if row["contact_id"] is not None:
            self._contact_of(customer, row["contact_id"], "contact_id")

    def _proposal(self, number: int, row: dict[str, Any]) -> None:
        self._customer_of(row)
        self._version(row)

    def _quote(self, number: int, row: dict[str, Any]) -> None:
        self._customer_of(row)
        self._version(row)

    def _stage_answer(self, number: int, row: dict[str, Any]) -> None:
        self._customer_of(row)
        self._stage(row["pipeline"], row["stage"], "stage")
        if row["question"] < 1:
            raise _Wrong("question", _("a question's number starts at 1"))
        pair = (row["customer_id"], row["pipeline"], row["stage"], row["question"])
        if pair in self.answers:
            raise _Wrong("question", _("same question as line {line}").format(line=self.answers[pair]))
        self.answers[pair] = number

    def _collection_action(self, number: int, row: dict[str, Any]) -> None:
        customer = self._customer_of(row)
        if row["contract_id"] is not None:
            self._owned({c: owner for c, (owner, _due) in self.contracts.items()}, "contract", customer,
                        row["contract_id"], "contract_id")  # fmt: skip
        if (row["promised_on"] is None) != (row["promise_status"] is None):
            raise _Wrong("promise_status", _("a promise has a day and a status, or neither"))

    def _credit_check(self, number: int, row: dict[str, Any]) -> None:
        self._customer_of(row)

    def _complaint(self, number: int, row: dict[str, Any]) -> None:
        customer = self._customer_of(row)
        if row["contact_id"] is not None:
            self._contact_of(customer, row["contact_id"], "contact_id")
        if (row["status"] == "resolved") != (row["resolved_on"] is not None):
            raise _Wrong("resolved_on", _("a resolved complaint has its day, an open one none"))

    def _target(self, number: int, row: dict[str, Any]) -> None:
        if not _MONTH.fullmatch(row["month"]) or not 1 <= int(row["month"][5:]) <= 12:
            raise _Wrong("month", _("not a month: {text!r} (YYYY-MM)").format(text=shown(row["month"])))
        pair = (row["month"], row["owner"])
        if pair in self.targets:
            raise _Wrong("month", _("same target as line {line}").format(line=self.targets[pair]))
        self.targets[pair] = number

    # The checks the tables share.

    def _version(self, row: dict[str, Any]) -> None:
        if row["version"] < 1:
            raise _Wrong("version", _("a version's number starts at 1"))

    def _name_key(self, row: dict[str, Any]) -> str:
        key = name_key(row["name"])
        if row["name_key"] != key:
            raise _Wrong("name_key", _("{stored!r} is not the key of the name, {key!r}").format(
                stored=row["name_key"], key=key))  # fmt: skip
        return key

    def _customer_of(self, row: dict[str, Any]) -> int:
        customer = row["customer_id"]
        if (customer,) not in self.keys["customer"]:
            raise _Wrong("customer_id", _("no {table} with id {id} before this line").format(
                table="customer", id=customer))  # fmt: skip
        return customer

    def _contact_of(self, customer: int, contact: int, column: str) -> None:
        self._owned(self.contacts, "contact", customer, contact, column)

    def _owned(self, owners: dict[int, int], table: str, customer: int, ref: int, column: str) -> None:
        if ref not in owners:
            raise _Wrong(column, _("no {table} with id {id} before this line").format(table=table, id=ref))
        if owners[ref] != customer:
            raise _Wrong(column, _("{table} {id} is another customer's").format(table=table, id=ref))

    def _pipeline(self, key: str, column: str) -> Pipeline:
        if self._pipelines is None:
            from kehu.io.pipeline_files import all_pipelines

            self._pipelines = all_pipelines()  # the built-in ones and the user's TOML files
        if key not in self._pipelines:
            raise _Wrong(column, _("no pipeline {key!r}; known: {known}").format(
                key=key, known=", ".join(self._pipelines)))  # fmt: skip
        return self._pipelines[key]

    def _stage(self, pipeline: str, stage: str, column: str) -> None:
        try:
            self._pipeline(pipeline, "pipeline").index(stage)
        except ValueError as error:
            raise _Wrong(column, str(error)) from None
