"""The funnel in the store: each customer's pipeline and stage, every move, qualification."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from kehu.domain.pipelines import DEFAULT_PIPELINE
from kehu.domain.vocabulary import PRIORITY

if TYPE_CHECKING:
    from kehu.store.sql import Connection, Row

QUALIFICATION_KEYS = ("need", "timetable", "budget", "can_win", "worth_it", "our_strength")

DEFAULT_PIPELINE_KEY = "SELECT value FROM setting WHERE key = 'pipeline'"
# Both SQLite (3.24+) and PostgreSQL upsert with ON CONFLICT on the primary key.
SET_DEFAULT_PIPELINE = (
    "INSERT INTO setting (key, value) VALUES ('pipeline', :value) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
)
FUNNEL_STATE = (
    "SELECT id, name, pipeline, stage, stage_since, status, expected_value FROM customer "
    "WHERE id = :customer_id"
)
INSERT_STAGE_CHANGE = (
    "INSERT INTO stage_change (customer_id, pipeline, from_stage, to_stage, event, changed_on, evidence, "
    "created_at) VALUES (:customer_id, :pipeline, :from_stage, :to_stage, :event, :changed_on, :evidence, "
    ":created_at)"
)
STAGE_HISTORY = (
    "SELECT id, customer_id, pipeline, from_stage, to_stage, event, changed_on, evidence, created_at "
    "FROM stage_change WHERE customer_id = :customer_id ORDER BY changed_on DESC, id DESC"
)
QUALIFICATION = f"SELECT {', '.join(QUALIFICATION_KEYS)} FROM qualification WHERE customer_id = :customer_id"
SAVE_QUALIFICATION = (
    f"INSERT INTO qualification (customer_id, {', '.join(QUALIFICATION_KEYS)}, updated_at) "
    f"VALUES (:customer_id, {', '.join(':' + key for key in QUALIFICATION_KEYS)}, :updated_at) "
    "ON CONFLICT (customer_id) DO UPDATE SET "
    + ", ".join(f"{key} = excluded.{key}" for key in (*QUALIFICATION_KEYS, "updated_at"))
)

# What may stand as the evidence of leaving a needs or a value stage (book.funnel.advance): the
# customer's open need of the highest priority (the latest of those), and its latest proposal
# not rejected, a sent or accepted one before a draft.
OFFERED_NEED = (
    "SELECT id, description FROM need WHERE customer_id = :customer_id AND status = 'open' "
    "ORDER BY CASE priority "
    + " ".join(f"WHEN '{code}' THEN {rank}" for rank, code in enumerate(PRIORITY.codes()))
    + f" ELSE {len(PRIORITY.codes())} END, "
    "noted_on DESC, id DESC LIMIT 1"
)
OFFERED_PROPOSAL = (
    "SELECT id, title, version, status FROM proposal WHERE customer_id = :customer_id "
    "AND status <> 'rejected' ORDER BY CASE WHEN status IN ('sent', 'accepted') THEN 0 ELSE 1 END, "
    "version DESC, id DESC LIMIT 1"
)

# The people whose relationship stage ends 建立信任 (DOMAIN §2): each active contact's purchase
# role and relationship stage.
KEY_PEOPLE = (
    "SELECT name, role, relationship FROM contact WHERE customer_id = :customer_id "
    "AND archived_at IS NULL ORDER BY id"
)


# The customer columns a funnel event may change besides its stage (see `move`).
_MOVABLE = frozenset({
    "pipeline", "status", "won_on", "won_value", "lost_on", "lost_reason", "lost_detail", "updated_at",
    "stage", "stage_since",
})  # fmt: skip


def default_pipeline_key(connection: Connection) -> str:
    """The pipeline new customers start in: the book's choice (`kehu pipeline use`), else the six-step one."""
    return connection.execute(DEFAULT_PIPELINE_KEY).scalar() or DEFAULT_PIPELINE


def set_default_pipeline(connection: Connection, key: str) -> None:
    connection.execute(SET_DEFAULT_PIPELINE, {"value": key})


def funnel_state(connection: Connection, customer_id: int) -> Row:
    """Where a customer stands: id, name, pipeline, stage, stage_since, status, expected_value."""
    return connection.execute(FUNNEL_STATE, {"customer_id": customer_id}).one()


def move(
    connection: Connection,
    customer_id: int,
    *,
    pipeline: str | None,
    from_stage: str | None,
    to_stage: str | None,
    event: str,
    on: date,
    evidence: str | None,
    now: datetime,
    changes: dict[str, Any] | None = None,
) -> None:
    """Record one funnel event and apply it to the customer, in the caller's transaction."""
    connection.execute(INSERT_STAGE_CHANGE, {
        "customer_id": customer_id, "pipeline": pipeline, "from_stage": from_stage, "to_stage": to_stage,
        "event": event, "changed_on": on, "evidence": evidence, "created_at": now,
    })  # fmt: skip
    values: dict[str, Any] = {"updated_at": now, **(changes or {})}
    if to_stage is not None and to_stage != from_stage:
        values.update(stage=to_stage, stage_since=on)
    unknown = set(values) - _MOVABLE
    if unknown:  # only the funnel's own columns (Connection.update splices their names)
        raise ValueError(f"not a funnel column: {sorted(unknown)}")
    connection.update("customer", customer_id, values)


def stage_history(connection: Connection, customer_id: int) -> list[Row]:
    """A customer's funnel events, newest first."""
    return connection.execute(STAGE_HISTORY, {"customer_id": customer_id}).all()


def qualification(connection: Connection, customer_id: int) -> dict[str, str]:
    """The six qualification answers ("unknown" for those never given)."""
    row = connection.execute(QUALIFICATION, {"customer_id": customer_id}).first()
    return {key: (row[key] if row else "unknown") for key in QUALIFICATION_KEYS}


def save_qualification(
    connection: Connection, customer_id: int, answers: dict[str, str], now: datetime
) -> None:
    """Store all six answers of a customer (`answers` holds every key of QUALIFICATION_KEYS)."""
    connection.execute(SAVE_QUALIFICATION, {"customer_id": customer_id, **answers, "updated_at": now})


def offered_need(connection: Connection, customer_id: int) -> Row | None:
    """The customer's open need of the highest priority (id, description), or None."""
    return connection.execute(OFFERED_NEED, {"customer_id": customer_id}).first()


def offered_proposal(connection: Connection, customer_id: int) -> Row | None:
    """The customer's latest proposal not rejected, sent or accepted first (id, title, version,
    status), or None."""
    return connection.execute(OFFERED_PROPOSAL, {"customer_id": customer_id}).first()


def key_people(connection: Connection, customer_id: int) -> list[Row]:
    """The customer's active contacts: name, role, relationship (for 建立信任's end marker)."""
    return connection.execute(KEY_PEOPLE, {"customer_id": customer_id}).all()
