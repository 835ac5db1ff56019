"""What `kehu import` reads, one entry per kind: the fields a sheet may have, the columns it
must have, and the use case that checks its rows against the book and writes them.

Every entry's `write` takes the connection (the caller's transaction), the sheet (io.csv_in.Sheet)
and the same options, returns what it did or would do (added, updated, unchanged, skipped), and
raises book.cards.Refused, having written nothing that the transaction keeps, on any bad row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol

from kehu.book import cards, contacts, org, rivals, touches
from kehu.domain.fields import (
    COLLECTION_COMPUTED_FIELDS,
    COLLECTION_IMPORT_FIELDS,
    COMPLAINT_FIELDS,
    CONTACT_FIELDS,
    CUSTOMER_FIELDS,
    CUSTOMER_STATE_FIELDS,
    NEED_FIELDS,
    PROPOSAL_FIELDS,
    QUOTE_FIELDS,
    RELATIONSHIP_FIELDS,
    RIVAL_FIELDS,
    STAGE_ANSWER_FIELDS,
    TOUCH_FIELDS,
    Field,
)
from kehu.domain.names import load_pinyin

if TYPE_CHECKING:
    from kehu.io.csv_in import Sheet
    from kehu.store.followups import Shift
    from kehu.store.sql import Connection


class Imported(Protocol):
    added: int
    updated: int
    unchanged: int
    skipped: int


@dataclass(frozen=True)
class Importer:
    fields: tuple[Field, ...]
    required: tuple[str, ...]  # columns a sheet must have, and cells each row must fill
    # (connection, sheet, *, on_conflict, today, now, owner, shift, write, progress)
    write: Callable[..., Imported]
    # What to load before the write transaction begins, not while it holds the book's lock.
    prepare: Callable[[], None] = lambda: None
    # Columns an export carries that kehu computes itself: a sheet may have them, and they are
    # read past (an export imports back as it is).
    ignored: tuple[Field, ...] = ()


def _write_touches(
    connection: Connection,
    sheet: Sheet,
    *,
    today: date,
    now: datetime,
    shift: Shift,
    write: bool = True,
    progress: Callable[[int], None] | None = None,
    **_unused: Any,  # a follow-up log has no conflicts and no owner: every row is a new touch
) -> Imported:
    plan = touches.plan_import(connection, sheet.read_all(progress), today, now)
    if plan.errors:
        raise cards.Refused(plan.errors)
    if write:
        touches.apply_import(connection, plan, shift)
    return plan


def _write_answers(connection: Connection, sheet: Sheet, **options: Any) -> Imported:
    """The answers to the stages' questions (book.answers, loaded only for them)."""
    from kehu.book.answers import write_answers

    return write_answers(connection, sheet, **options)


def _write_needs(connection: Connection, sheet: Sheet, **options: Any) -> Imported:
    """Needs (book.needs): each row as `kehu need add`."""
    from kehu.book.needs import write_needs

    return write_needs(connection, sheet, **options)


def _write_credit(connection: Connection, sheet: Sheet, **options: Any) -> Imported:
    """Credit checks (book.credit): each row as `kehu credit CUSTOMER --…`."""
    from kehu.book.credit import write_credit_checks

    return write_credit_checks(connection, sheet, **options)


def _write_targets(connection: Connection, sheet: Sheet, **options: Any) -> Imported:
    """Monthly targets (book.targets): each row as `kehu target set`."""
    from kehu.book.targets import write_targets

    return write_targets(connection, sheet, **options)


def _target_fields() -> tuple[Field, ...]:
    from kehu.domain.targets import TARGET_FIELDS

    return TARGET_FIELDS


def _write_complaints(connection: Connection, sheet: Sheet, **options: Any) -> Imported:
    """Complaints (book.complaints): each row as `kehu complaint add` (and resolve) would."""
    from kehu.book.complaints import write_complaints

    return write_complaints(connection, sheet, **options)


def _write_collections(connection: Connection, sheet: Sheet, **options: Any) -> Imported:
    """Collection actions (book.collections): each row as `kehu collect` records it."""
    from kehu.book.collections import write_collections

    return write_collections(connection, sheet, **options)


def _write_schedules(connection: Connection, sheet: Sheet, **options: Any) -> Imported:
    """Contracts' payment schedules (book.schedules_import): each contract's rows replace its own."""
    from kehu.book.schedules_import import write_schedules

    return write_schedules(connection, sheet, **options)


def _instalment_fields() -> tuple[Field, ...]:
    from kehu.domain.schedule import INSTALMENT_EXPORT_FIELDS

    return INSTALMENT_EXPORT_FIELDS


def _instalment_computed_fields() -> tuple[Field, ...]:
    """What `kehu contract list --instalments` adds to an export's columns: read past."""
    from kehu.domain.schedule import INSTALMENT_EXPORT_FIELDS, INSTALMENT_FIELDS

    return tuple(f for f in INSTALMENT_FIELDS if f not in INSTALMENT_EXPORT_FIELDS)


def _credit_fields() -> tuple[Field, ...]:
    from kehu.domain.credit import CREDIT_CHECK_FIELDS

    return CREDIT_CHECK_FIELDS


def _write_proposals(connection: Connection, sheet: Sheet, **options: Any) -> Imported:
    """Proposals (book.offers): each row as `kehu proposal add`, its version included."""
    from kehu.book.offers import write_proposals

    return write_proposals(connection, sheet, **options)


def _write_quotes(connection: Connection, sheet: Sheet, **options: Any) -> Imported:
    """Quotes (book.offers): each row as `kehu quote add`, its version and the expected value."""
    from kehu.book.offers import write_quotes

    return write_quotes(connection, sheet, **options)


IMPORTERS: dict[str, Importer] = {
    "customers": Importer(CUSTOMER_FIELDS, ("name",), cards.write_cards, load_pinyin, CUSTOMER_STATE_FIELDS),
    "contacts": Importer(CONTACT_FIELDS, ("customer", "name"), contacts.write_contacts),
    "touches": Importer(TOUCH_FIELDS, ("customer", "happened_on", "summary"), _write_touches),
    "rivals": Importer(RIVAL_FIELDS, ("customer", "name"), rivals.write_rivals),
    "needs": Importer(NEED_FIELDS, ("customer", "description"), _write_needs),
    "proposals": Importer(PROPOSAL_FIELDS, ("customer",), _write_proposals),
    "quotes": Importer(QUOTE_FIELDS, ("customer", "amount"), _write_quotes),
    "answers": Importer(STAGE_ANSWER_FIELDS, ("customer", "stage", "question", "answer"), _write_answers),
    "credit": Importer(_credit_fields(), ("customer",), _write_credit,
                       ignored=(Field("result", "结果", "result", editable=False),)),
    "targets": Importer(_target_fields(), ("month",), _write_targets),
    "complaints": Importer(COMPLAINT_FIELDS, ("customer", "description"), _write_complaints),
    "collections": Importer(COLLECTION_IMPORT_FIELDS, ("customer", "method", "result"),
                            _write_collections, ignored=COLLECTION_COMPUTED_FIELDS),
    "instalments": Importer(_instalment_fields(), ("number", "amount"), _write_schedules,
                            ignored=_instalment_computed_fields()),
    "relationships": Importer(RELATIONSHIP_FIELDS, ("customer", "contact", "changed_on", "new_relationship"),
                              org.write_relationships),
}
