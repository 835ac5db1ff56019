"""Monthly targets (销售目标, seed 000): set one (in place of any set before), list, remove, import.

A target is the whole book's (owner '') or one seller's. On PostgreSQL a seller sees their own
targets and the book's, and only a manager sets or removes them: revision 0010's wall refuses a
seller's insert and update, and `_require_manager` says so plainly before anything is written
(the wall alone would let a seller delete their own target and the book's). `kehu target set`
is a batch of one of what `kehu import targets` does: both go through `_new_target`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kehu.errors import NotFound, NotPermitted, UsageError
from kehu.i18n import _, labelled

if TYPE_CHECKING:
    from kehu.book.plans import ImportPlan
    from kehu.io.csv_in import Sheet
    from kehu.store.db import Store
    from kehu.store.sql import Connection

FIGURES = ("amount", "collect_amount", "new_customers", "touches_per_day")


@dataclass(frozen=True)
class TargetWritten:
    month: str
    owner: str
    replaced: bool


def read_month(label: str, text: str, today: date) -> str:
    """A month as typed: 2027-01, 2027年1月, or any day kehu reads (下个月1号, 2027-01-15)."""
    from kehu.book.clock import read_date
    from kehu.domain.targets import month_of, parse_month

    try:
        return parse_month(text)
    except ValueError:
        pass
    try:
        return month_of(read_date(label, text, today))
    except UsageError:
        raise UsageError(labelled(label, _("not a month: {text} (e.g. 2027-01)").format(text=text))) from None


def _figures(given: Mapping[str, Any]) -> dict[str, Any]:
    """The figures typed (or given by Python code), checked: amounts, a count, touches a day."""
    from kehu.book.money import read_money
    from kehu.domain.values import parse_count

    options = {"amount": "--amount", "collect_amount": "--collect", "new_customers": "--new-customers",
               "touches_per_day": "--touches-per-day"}  # fmt: skip
    figures: dict[str, Any] = dict.fromkeys(FIGURES)
    for key, value in given.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        option = options[key]
        if key == "new_customers":
            try:
                figures[key] = parse_count(str(value))
            except ValueError as error:
                raise UsageError(labelled(option, error)) from None
        else:
            figures[key] = read_money(option, value if isinstance(value, (str, Decimal)) else Decimal(value))
        if figures[key] < 0:
            raise UsageError(_("{option}: cannot be negative").format(option=option))
    return figures


def _new_target(month: str, owner: str, figures: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """The target row to write; ValueError when it sets nothing."""
    if all(figures.get(key) is None for key in FIGURES):
        raise ValueError(_("give at least one target (see --help)"))
    return {"month": month, "owner": owner, **{key: figures.get(key) for key in FIGURES},
            "created_at": now, "updated_at": now}  # fmt: skip


def _owner(owner: str | None) -> str:
    from kehu.domain.values import parse_name

    if owner is None or not owner.strip():
        return ""
    try:
        return parse_name(owner)
    except ValueError as error:
        raise UsageError(labelled("--owner", error)) from None


def _require_manager(connection: Connection) -> None:
    """In team mode only a manager (or the tables' owner) sets and removes targets: they are the
    team's plan for each seller, not the seller's own. On SQLite there is no team."""
    from kehu.store.team import current_seat, is_team_backend

    if is_team_backend(connection) and not current_seat(connection).sees_all:
        raise NotPermitted(_("only a manager can set or remove targets"))


def set_target(
    store: Store,
    month: str,
    figures: Mapping[str, Any],
    *,
    today: date,
    now: datetime,
    owner: str | None = None,
) -> TargetWritten:
    """Set a month's targets (`figures` by FIGURES key) for the book or one seller, in place of
    any set before for the same month and owner: what is not given is no longer a target."""
    from kehu.store import targets as target_store

    month = read_month("MONTH", month, today)
    owner = _owner(owner)
    try:
        row = _new_target(month, owner, _figures(figures), now)
    except ValueError as error:
        raise UsageError(str(error)) from None
    with store.write() as connection:
        _require_manager(connection)
        before = target_store.get_target(connection, month, owner)
        target_store.replace_target(connection, row)
    return TargetWritten(month, owner, before is not None)


def targets(store: Store, owner: str | None = None) -> list[dict[str, Any]]:
    """Every target (one seller's and the book's when `owner`), by month, the book's first."""
    from kehu.store import targets as target_store

    with store.read() as connection:
        return [dict(row) for row in target_store.list_targets(connection, owner)]


def remove_target(store: Store, month: str, *, today: date, owner: str | None = None) -> TargetWritten:
    """Remove a month's targets for the book or one seller."""
    from kehu.store import targets as target_store

    month = read_month("MONTH", month, today)
    owner = _owner(owner)
    with store.write() as connection:
        _require_manager(connection)
        if not target_store.delete_target(connection, month, owner):
            whose = owner or _("the book")
            raise NotFound(_("no target for {month} ({whose})").format(month=month, whose=whose))
    return TargetWritten(month, owner, True)


# --- kehu import targets -------------------------------------------------------------------------


def write_targets(
    connection: Connection,
    sheet: Sheet,
    *,
    today: date,
    now: datetime,
    on_conflict: str = "update",
    write: bool = True,
    progress: Callable[[int], None] | None = None,
    **_unused: Any,
) -> ImportPlan:
    """Check a sheet of targets and set them, each as `kehu target set` would; a month and owner
    already set is replaced, skipped or refused (on_conflict); refused on any bad row."""
    from kehu.book.cards import Refused
    from kehu.book.needs import row_error
    from kehu.book.plans import ImportPlan
    from kehu.domain.targets import parse_month
    from kehu.store import targets as target_store

    _require_manager(connection)
    parsed = sheet.read_all(progress)
    plan = ImportPlan(errors=list(parsed.errors))
    seen: set[tuple[str, str]] = set()
    for row in parsed.rows:
        values = row.values
        if not values.get("month"):
            continue
        try:
            month = parse_month(values["month"])
        except ValueError as error:
            row_error(plan, row.line, parsed.column("month"), str(error))
            continue
        owner = (values.get("owner") or "").strip()
        try:
            target = _new_target(month, owner, values, now)
        except ValueError as error:
            row_error(plan, row.line, parsed.column("month"), str(error))
            continue
        if (month, owner) in seen:
            twice = _("{month} ({whose}) is set twice in the file")
            row_error(
                plan,
                row.line,
                parsed.column("month"),
                twice.format(month=month, whose=owner or _("the book")),
            )
            continue
        seen.add((month, owner))
        if target_store.get_target(connection, month, owner) is not None:
            if on_conflict == "skip":
                plan.skipped += 1
                continue
            if on_conflict == "error":
                taken = _("{month} ({whose}) already has a target").format(
                    month=month, whose=owner or _("the book")
                )
                row_error(plan, row.line, parsed.column("month"), taken)
                continue
            plan.updates.append((0, target))
            continue
        plan.inserts.append(target)
    if plan.errors:
        raise Refused(plan.errors)
    if write:
        for target in [*plan.inserts, *(update for _id, update in plan.updates)]:
            target_store.replace_target(connection, target)
    return plan
