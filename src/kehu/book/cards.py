"""Customer cards (客户卡片): add one, import many, edit one.

One rule makes a new card, whether `kehu add` writes one or `kehu import customers` writes
100,000: the name is unique in the book (and, in team mode, not a colleague's), a referrer is a
customer, the card is owned (the given owner, else the one adding), it enters the book's
pipeline at its first stage today, and its due date is set as it is written. `kehu add` is a
batch of one of what an import does.

A batch is read twice from its source: a first look at names, ids and referrers (to ask the book
once which exist), then a full pass that checks each row and streams the new cards straight into
the database. Nothing is kept per row but what an error message or an update needs, so 100,000
rows import in a bounded amount of memory. Any problem and the whole batch is refused (Refused):
the caller's transaction then writes none of it.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol

from kehu.errors import BadData, Conflict, KehuError, NotPermitted, UsageError
from kehu.i18n import _, labelled, ngettext

if TYPE_CHECKING:
    from kehu.domain.stages import Pipeline
    from kehu.domain.vocabulary import Vocabulary
    from kehu.io.csv_in import RowError
    from kehu.store.customers import CustomerQuery
    from kehu.store.followups import Shift
    from kehu.store.sql import Connection, Row

ON_CONFLICT = ("update", "skip", "error")  # a card whose name the book already holds
# A new card whose name differs from a card's only by legal form, spaces, punctuation or case
# (杭州海纳科技 beside 杭州海纳科技有限公司): said in a warning, refused, or let be.
ON_SIMILAR = ("warn", "refuse", "allow")
# Columns that cannot be empty: an empty cell in a row that updates a card leaves them as they
# are (a new card gets the default).
_KEEP_WHEN_EMPTY = ("kind", "currency", "created_at", "updated_at")
_DEFAULTS = {"kind": "company", "currency": "CNY"}
# The first look at a batch reads only these.
_SURVEYED = ("name", "id", "referrer")


class CardRow(Protocol):
    line: int
    values: dict[str, Any]  # field key → typed value (None when empty)


class CardSource(Protocol):
    """Where a batch's cards come from: a checked sheet (io.csv_in.Sheet), or one typed card."""

    errors: list[RowError]  # problems found reading it; any of them refuses the batch

    def column(self, key: str) -> str: ...

    def rows(
        self, *, only: tuple[str, ...] | None = None, progress: Callable[[int], None] | None = None
    ) -> Iterable[CardRow]: ...


class Refused(BadData):
    """The batch was refused, nothing of it written: every problem, by line."""

    def __init__(self, errors: list[RowError], problems: list[_Problem] = ()) -> None:
        bad = len({error.line for error in errors})
        message = ngettext(
            "{count} bad row; nothing was written", "{count} bad rows; nothing was written", bad
        )
        super().__init__(message.format(count=bad))
        self.errors = sorted(errors, key=lambda e: e.line)
        self.problems = list(problems)


class _Problem:
    """Why one row was refused, with the error a single card (kehu add) raises for it.
    (Internal records here are plain classes: each dataclass costs `kehu add` 0.5 ms to build.)"""

    __slots__ = ("error", "existing_id", "field", "line", "reason")

    def __init__(
        self,
        line: int,
        field: str,
        reason: str,
        error: type[KehuError] = BadData,
        existing_id: int | None = None,
    ) -> None:
        self.line, self.field, self.reason = line, field, reason
        self.error, self.existing_id = error, existing_id  # existing_id: the card of the same name


@dataclass
class CardsWritten:
    """What a batch did (or, not written, would do): counts, and the ids of the new cards."""

    new_ids: list[int] = field(default_factory=list)
    updated_ids: list[int] = field(default_factory=list)
    unchanged: int = 0
    skipped: int = 0
    similar: list[str] = field(default_factory=list)  # a warning per new card like another

    @property
    def added(self) -> int:
        return len(self.new_ids)

    @property
    def updated(self) -> int:
        return len(self.updated_ids)


# --- one card: kehu add ---------------------------------------------------------------------


class _OneCard:
    """A batch of one: the card `kehu add` was given."""

    line = 1

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values
        self.errors: list[RowError] = []

    def column(self, key: str) -> str:
        return key

    def rows(self, *, only=None, progress=None) -> list[_OneCard]:
        return [self]


def add_card(
    connection: Connection,
    name: str,
    values: Mapping[str, Any],
    *,
    today: date,
    now: datetime,
    owner: str | None,
    shift: Shift,
    force: bool = False,
) -> int:
    """Add one card (a batch of one of write_cards); its id. A referrer may be named as any
    reference to a customer (id, name, pinyin); the card's other values are typed already.
    A name like a card's (杭州海纳科技 beside 杭州海纳科技有限公司) is refused unless `force`."""
    card = {**values, "name": name}
    if card.get("referrer") is not None:
        from kehu.domain.names import name_key
        from kehu.store.lookup import refuse_if_hidden, resolve_customer

        # The name's problems are said before the referrer's, as the batch would order them.
        _refuse_taken_name(connection, name)
        refuse_if_hidden(connection, name_key(name), name)
        card["referrer"] = resolve_customer(connection, card["referrer"])["name"]
    try:
        similar = "allow" if force else "refuse"
        written = write_cards(connection, _OneCard(card), on_conflict="error", today=today, now=now,
                              owner=owner, shift=shift, on_similar=similar)  # fmt: skip
    except Refused as refused:
        problem = refused.problems[0]
        if problem.existing_id is not None:
            raise Conflict(_existing(name, problem.existing_id)) from None
        if problem.error is Conflict:  # a name like another card's
            raise Conflict(_("{reason}; to add it all the same: kehu add … --force").format(
                reason=problem.reason)) from None  # fmt: skip
        raise problem.error(problem.reason) from None
    return written.new_ids[0]


def _existing(name: str, existing_id: int) -> str:
    return _("customer {name!r} already exists (id {id}); see: kehu show {id}").format(
        name=name, id=existing_id
    )


def _refuse_taken_name(connection: Connection, name: str) -> None:
    from kehu.domain.names import name_key
    from kehu.store.customers import ids_by_name_key

    clash = ids_by_name_key(connection, [name_key(name)])
    if clash:
        raise Conflict(_existing(name, next(iter(clash.values()))))


@dataclass(frozen=True)
class Edited:
    customer_id: int
    name: str  # the card's name after the edit


def edit_card(connection: Connection, reference: str, changes: Mapping[str, Any], *, now: datetime,
              shift: Shift) -> Edited:  # fmt: skip
    """Change fields of one card (None clears a field; a referrer is any reference to a customer).
    A new grade goes the way of `kehu grade`: the change is kept and the due date follows it."""
    from kehu.book.grades import change_grade
    from kehu.domain.fields import FIELDS_BY_KEY
    from kehu.domain.names import name_key
    from kehu.store import customers as store
    from kehu.store.lookup import resolve_customer

    card = resolve_customer(connection, reference, include_archived=True)
    changes = dict(changes)
    if "referrer" in changes:
        referrer = changes.pop("referrer")
        changes["referrer_id"] = None if referrer is None else resolve_customer(connection, referrer)["id"]
    if changes.get("referrer_id") == card["id"]:
        raise UsageError(_("a customer cannot refer itself"))
    if "name" in changes and name_key(changes["name"]) != name_key(card["name"]):
        clash = store.ids_by_name_key(connection, [name_key(changes["name"])])
        if clash:
            raise Conflict(_("customer {name!r} already exists (id {id})").format(
                name=changes["name"], id=next(iter(clash.values()))))  # fmt: skip
    for required in _DEFAULTS:
        if required in changes and changes[required] is None:
            label = FIELDS_BY_KEY["customer"][required].label
            raise UsageError(_("{field} cannot be empty").format(field=label))
    new_grade = changes.pop("grade", card["grade"])
    row = store.storable(changes)
    if "referrer_id" in changes:
        row["referrer_id"] = changes["referrer_id"]
    row["updated_at"] = now
    store.update_card(connection, card["id"], row)
    change_grade(connection, card, new_grade, _("edited"), now=now, shift=shift)
    return Edited(card["id"], changes.get("name", card["name"]))


def set_archived(connection: Connection, reference: str, *, archive: bool, now: datetime) -> tuple[Row, bool]:
    """Archive a card (hidden from lists, its history kept: never deleted) or bring it back; the
    card, and False when it already was so (nothing written)."""
    from kehu.store import customers as store
    from kehu.store.lookup import resolve_customer

    card = resolve_customer(connection, reference, include_archived=True, archived_first=not archive)
    if (card["archived_at"] is not None) == archive:
        return card, False
    store.set_archived(connection, card["id"], now if archive else None, now)
    return card, True


# --- lists: kehu list ----------------------------------------------------------------------


def list_customers(
    connection: Connection,
    query: CustomerQuery,
    *,
    stage: str | None = None,
    pipeline: str | None = None,
    rival: str | None = None,
) -> Iterator[Row]:
    """The cards a list asks for, each with where it stands, streamed. What only the book can
    say is resolved first (a usage error before any row): `pipeline` a pipeline's key, `stage`
    a stage's key, name or number (of `pipeline`, else of the book's pipeline, else of any
    pipeline a name belongs to), `rival` a rival's name (the same rival however it is spelt)."""
    from kehu.store.customers import list_cards

    sort_keys = {key for key, _descending in query.sort}
    if stage is None and pipeline is None and not sort_keys & {"stage", "pipeline"}:
        # Nothing asks about pipelines: their definitions are not read (a plain list stays quick).
        return list_cards(connection, _rival_of(query, rival))
    from kehu.book.funnel import book_pipeline
    from kehu.io.pipeline_files import all_pipelines

    pipelines = all_pipelines()
    book = book_pipeline(connection)
    query.book_pipeline = book.key
    if pipeline is not None:
        if pipeline.strip() not in pipelines:
            raise UsageError(_("--pipeline: no pipeline {key!r}; known: {known}").format(
                key=pipeline, known=", ".join(pipelines)))  # fmt: skip
        query.pipeline = pipeline.strip()
    if stage is not None:
        query.stages = _stages_named(stage, pipelines[query.pipeline] if query.pipeline else None, book,
                                     pipelines.values())  # fmt: skip
    if "stage" in sort_keys:
        query.stage_order = {(p.key, s.key): n for p in pipelines.values() for n, s in enumerate(p.stages)}
    return list_cards(connection, _rival_of(query, rival))


def _rival_of(query: CustomerQuery, rival: str | None) -> CustomerQuery:
    """The query asking for customers where a rival of this name is recorded (by its name key)."""
    from kehu.domain.names import name_key

    if rival is not None:
        query.rival_key = name_key(rival)
        if not query.rival_key:
            raise UsageError(_("--rival: give a rival's name"))
    return query


def _stages_named(
    text: str, chosen: Pipeline | None, book: Pipeline, pipelines: Iterable[Pipeline]
) -> list[tuple[str, str]]:
    """The (pipeline, stage) pairs a typed stage means: in the chosen pipeline; else in the
    book's, and by key or name in every other pipeline that has it (a number only in the
    book's). None: the usage error listing the stages of the pipeline looked in first."""
    import unicodedata

    first = chosen or book
    others = [] if chosen else [p for p in pipelines if p.key != book.key]
    number = unicodedata.normalize("NFKC", text).strip().isdecimal()
    pairs = []
    for pipeline in [first, *([] if number else others)]:
        try:
            pairs.append((pipeline.key, pipeline.stage(text).key))
        except ValueError:
            continue
    if not pairs:
        try:
            first.stage(text)
        except ValueError as error:
            raise UsageError(labelled("--stage", error)) from None
    return pairs


def stage_words(connection: Connection) -> Vocabulary:
    """Every pipeline's stages as one word list, the book's pipeline first (where two pipelines
    name a key differently, the book's name is shown): a list's stages in words."""
    from kehu.book.funnel import _stage_words, book_pipeline
    from kehu.io.pipeline_files import all_pipelines

    return _stage_words([book_pipeline(connection).key, *all_pipelines()])


def pipeline_words() -> Vocabulary:
    """The pipelines (built-in and the user's) by name: a list's pipelines in words."""
    from kehu.domain.vocabulary import Choice, Vocabulary
    from kehu.io.pipeline_files import all_pipelines

    return Vocabulary("pipeline", tuple(Choice(p.key, p.zh, p.en) for p in all_pipelines().values()))


# --- many cards: kehu import customers ------------------------------------------------------


class _Survey:
    """The first look at a batch: what the book is asked about before the full pass."""

    def __init__(self) -> None:
        self.first_line: dict[str, int] = {}  # name key → the line it first appears on
        self.referrers: dict[int, str] = {}  # line → the referrer's name key
        self.wanted_ids: dict[int, int] = {}  # line → the id the row brings


def _survey(source: CardSource) -> _Survey:
    from kehu.domain.names import name_key

    survey = _Survey()
    for row in source.rows(only=_SURVEYED):
        values = row.values
        if values.get("name") is None:
            continue
        survey.first_line.setdefault(name_key(values["name"]), row.line)
        if values.get("referrer"):
            survey.referrers[row.line] = name_key(values["referrer"])
        if values.get("id"):
            survey.wanted_ids[row.line] = values["id"]
    return survey


class _Book:
    """What the book holds that a batch's rows are checked against."""

    def __init__(
        self,
        existing: dict[str, int],  # name key → id
        hidden: dict[str, str],  # name key → owner, of colleagues' customers (team mode)
        cards: dict[int, Row],  # the existing cards a batch may update
        referrers: dict[str, int],  # name key → id, of referrers in the book
        kept_ids: dict[int, int],  # line → the id a new card keeps (from the sheet)
        numbers: Iterator[int],  # ids for the other new cards, in order
    ) -> None:
        self.existing, self.hidden, self.cards, self.referrers = existing, hidden, cards, referrers
        self.kept_ids, self.numbers = kept_ids, numbers


def _look_up(connection: Connection, survey: _Survey, on_conflict: str, write: bool) -> _Book:
    from kehu.store import customers as store
    from kehu.store.sequences import reserve_ids
    from kehu.store.team import hidden_owners

    keys = survey.first_line
    existing = store.ids_by_name_key(connection, keys)
    hidden = hidden_owners(connection, [k for k in keys if k not in existing])
    cards = store.cards_by_ids(connection, existing.values()) if on_conflict == "update" else {}
    referrers = store.ids_by_name_key(connection, set(survey.referrers.values()) - set(keys))
    new_lines = {line for key, line in keys.items() if key not in existing and key not in hidden}
    wanted = {line: i for line, i in survey.wanted_ids.items() if line in new_lines}
    taken = store.used_ids(connection, wanted.values())
    kept_ids: dict[int, int] = {}
    for line, wanted_id in wanted.items():  # an id two new rows bring stays with the first
        if wanted_id not in taken:
            taken.add(wanted_id)
            kept_ids[line] = wanted_id
    if not write:  # a dry run counts, in a transaction that may not take numbers from a sequence
        return _Book(existing, hidden, cards, referrers, kept_ids, itertools.repeat(0))
    count, after = len(new_lines) - len(kept_ids), max(kept_ids.values(), default=0)
    return _Book(
        existing,
        hidden,
        cards,
        referrers,
        kept_ids,
        iter(reserve_ids(connection, "customer", count, after=after)),
    )


# The columns of a new card, in the order the bulk insert writes them.
def _new_card_columns() -> tuple[str, ...]:
    from kehu.store.customers import COLUMN_KEYS

    derived = ("name_key", "pinyin_full", "pinyin_initials", "referrer_id", "next_due", "pipeline", "stage",
               "stage_since")  # fmt: skip
    return ("id", *(k for k in COLUMN_KEYS if k != "id"), *derived)


def write_cards(
    connection: Connection,
    source: CardSource,
    *,
    on_conflict: str,
    today: date,
    now: datetime,
    owner: str | None,
    shift: Shift,
    write: bool = True,
    progress: Callable[[int], None] | None = None,
    on_similar: str = "warn",
) -> CardsWritten:
    """Add the source's new cards and (on_conflict="update") update those the book holds, in the
    caller's transaction; with write=False only count what would be done. Refused (nothing
    written: the caller's transaction must end) on any problem of any row. A new card named like
    another (ON_SIMILAR) is a warning in the result, a refusal, or allowed."""
    from kehu.book.funnel import entry_values
    from kehu.domain.names import name_key
    from kehu.io.csv_in import RowError
    from kehu.store import customers as store
    from kehu.store.followups import computed_due, refresh_due
    from kehu.store.team import not_yours

    if on_conflict not in ON_CONFLICT:
        raise UsageError(f"on_conflict: {on_conflict!r}")
    if on_similar not in ON_SIMILAR:
        raise UsageError(f"on_similar: {on_similar!r}")
    survey = _survey(source)
    book = _look_up(connection, survey, on_conflict, write)
    like = {} if on_similar == "allow" else _similar_names(connection, survey, book)
    entry = entry_values(connection, today)
    columns = _new_card_columns()
    present: set[str] | None = None
    problems: list[_Problem] = []
    written = CardsWritten()
    updates: list[tuple[int, dict[str, Any]]] = []
    referrals: list[tuple[str, str]] = []  # (card's name key, referrer's name key or "")

    def refuse(line: int, key: str, reason: str, **details: Any) -> None:
        problems.append(_Problem(line, key, reason, **details))

    def new_cards() -> Iterator[tuple[Any, ...]]:
        nonlocal present
        for row in source.rows(progress=progress):
            values = row.values
            if present is None:
                present = set(values)
            name = values.get("name")
            if name is None:
                continue  # the source has said why
            key, line = name_key(name), row.line
            if survey.first_line[key] != line:
                refuse(line, "name", _("same customer as line {line}").format(line=survey.first_line[key]))
                continue
            referrer = survey.referrers.get(line)
            if referrer == key:
                refuse(line, "referrer", _("a customer cannot refer itself"))
            elif (
                referrer is not None and referrer not in survey.first_line and referrer not in book.referrers
            ):
                refuse(
                    line, "referrer", _("referrer {name!r} is not a customer").format(name=values["referrer"])
                )
            if key in book.hidden:  # team mode: a colleague's customer, invisible to this role
                refuse(line, "name", not_yours(name, book.hidden[key]), error=NotPermitted)
                continue
            if key in book.existing:
                existing_id = book.existing[key]
                if on_conflict == "error":
                    refuse(line, "name", _("customer {name!r} already exists (id {id})").format(
                        name=name, id=existing_id), error=Conflict, existing_id=existing_id)  # fmt: skip
                elif on_conflict == "skip":
                    written.skipped += 1
                elif not _plan_update(
                    book.cards[existing_id], values, referrer, present, now, updates, referrals
                ):
                    written.unchanged += 1
                continue
            if key in like:
                reason = _like(name, like[key])
                if on_similar == "refuse":
                    refuse(line, "name", reason, error=Conflict)
                    continue
                written.similar.append(_("line {line}: {reason}").format(line=line, reason=reason))
            card = new_card(values, book.kept_ids.get(line) or next(book.numbers))
            written.new_ids.append(card["id"])
            if referrer:
                referrals.append((key, referrer))
            if write and not problems and not source.errors:
                yield tuple(card[column] for column in columns)

    def new_card(values: dict[str, Any], card_id: int) -> dict[str, Any]:
        # The one rule for a new card's columns (kehu add and import alike).
        card = dict.fromkeys(columns)
        card.update(store.storable({k: v for k, v in values.items() if k != "id"}))
        card["id"] = card_id
        for column, default in _DEFAULTS.items():
            card[column] = card[column] or default
        card["owner"] = card["owner"] or owner
        card["created_at"] = card["created_at"] or now
        card["updated_at"] = card["updated_at"] or card["created_at"]
        card.update(entry)
        card["next_due"] = due_of(card["grade"], card["created_at"])
        return card

    @functools.cache
    def due_of(grade: str | None, created_at: datetime) -> date | None:
        # Never touched, no next step, no snooze yet: due from its grade and the day it came
        # (asked once per grade and moment: a sheet's new cards mostly share both).
        never = {"last_touch_on": None, "next_step_on": None, "snoozed_until": None}
        return computed_due({"grade": grade, "created_at": created_at, **never}, shift)

    if write:
        store.insert_cards(connection, columns, new_cards())
    else:
        for _row in new_cards():
            pass
    if problems or source.errors:
        errors = [RowError(p.line, source.column(p.field), p.reason) for p in problems]
        raise Refused([*source.errors, *errors], problems)
    written.updated_ids = [customer_id for customer_id, _changes in updates]
    if write:
        _apply_updates(connection, updates, book.cards, today, now)
        _link_referrers(connection, referrals)
        refresh_due(connection, written.updated_ids, shift)
    return written


def _similar_names(connection: Connection, survey: _Survey, book: _Book) -> dict[str, tuple[int | None, str]]:
    """The batch's new names that look like another card's, each with that card's (id, name), or
    with (None, "line N") for a name like an earlier new row's of the same batch."""
    from kehu.domain.names import similarity_key
    from kehu.store.lookup import similar_names

    new = [key for key in survey.first_line if key not in book.existing and key not in book.hidden]
    similar_keys = {key: similarity_key(key) for key in new}
    in_book = similar_names(connection, similar_keys.values())
    like: dict[str, tuple[int | None, str]] = {}
    first_of: dict[str, str] = {}  # similarity key → the first new name key of the batch with it
    for key in new:  # in line order
        similar = similar_keys[key]
        if similar in in_book:
            like[key] = in_book[similar]
        elif similar in first_of:
            like[key] = (None, _("line {line}").format(line=survey.first_line[first_of[similar]]))
        else:
            first_of.setdefault(similar, key)
    return like


def _like(name: str, other: tuple[int | None, str]) -> str:
    """The warning of a name like another: like customer 3 杭州海纳科技有限公司, or an earlier line's."""
    other_id, other_name = other
    if other_id is None:
        return _("{name!r} looks like the name on {line}").format(name=name, line=other_name)
    return _("{name!r} looks like customer {id} {other!r}").format(name=name, id=other_id, other=other_name)


def _plan_update(
    card: Row,
    values: dict[str, Any],
    referrer: str | None,
    present: set[str] | None,
    now: datetime,
    updates: list[tuple[int, dict[str, Any]]],
    referrals: list[tuple[str, str]],
) -> bool:
    """Plan what a row changes in the card of the same name (False: nothing): its differences (an
    empty cell clears a field, but not one that cannot be empty), and its referrer when the
    sheet has a referrer column."""
    from kehu.domain.names import name_key
    from kehu.store.customers import storable

    changes = {
        key: value for key, value in values.items()
        if key in card and key not in ("id", "created_at", "referrer") and card[key] != value
        and not (value is None and key in _KEEP_WHEN_EMPTY)
    }  # fmt: skip
    referrer_changed = (
        present is not None and "referrer" in present and name_key(card["referrer"] or "") != (referrer or "")
    )
    if referrer_changed:
        referrals.append((name_key(card["name"]), referrer or ""))
    if not changes and not referrer_changed:
        return False
    if "updated_at" not in changes:
        # A changed row whose updated_at cell still holds the stored moment (a list piped
        # through a filter, an export edited in Excel) was changed now.
        changes["updated_at"] = now
    updates.append((card["id"], storable(changes) if "name" in changes else changes))
    return True


def _apply_updates(
    connection: Connection,
    updates: list[tuple[int, dict[str, Any]]],
    cards: Mapping[int, Row],
    today: date,
    now: datetime,
) -> None:
    """Write the changed cards; a changed grade is kept in the history, as `kehu grade` keeps it."""
    from kehu.store.customers import update_card
    from kehu.store.followups import record_grade_changes

    grade_changes = []
    for customer_id, changes in updates:
        update_card(connection, customer_id, changes)
        old = cards[customer_id]["grade"]
        if "grade" in changes and changes["grade"] != old:
            grade_changes.append({
                "customer_id": customer_id, "changed_on": today, "old_grade": old,
                "new_grade": changes["grade"], "reason": _("import"), "created_at": now,
            })  # fmt: skip
    record_grade_changes(connection, grade_changes)


def _link_referrers(connection: Connection, referrals: list[tuple[str, str]]) -> None:
    """Point cards at their referrers, once every card of the batch is in the book."""
    from kehu.store.customers import ids_by_name_key, set_referrers

    if not referrals:
        return
    ids = ids_by_name_key(connection, {k for pair in referrals for k in pair if k})
    set_referrers(connection, ((ids[card], ids.get(referrer)) for card, referrer in referrals))
