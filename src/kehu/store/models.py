"""The tables of the customer book, as SQLAlchemy Core tables.

Every query goes through SQLAlchemy Core (select/insert/update on these tables) — no ORM objects —
so a command imports SQLAlchemy's core and nothing more: the ORM, SQLModel and pydantic cost about
0.25 s of start-up on every command and bought nothing here (issue 6 measured it). Alembic's
revisions are the schema's history; these definitions are its present and are tested to match
what the revisions build (tests/store/test_db.py).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    text,
)

from kehu.store.types import Money, UTCDateTime

metadata = MetaData()


def _id() -> Column:
    return Column("id", Integer, primary_key=True)


def _text(name: str, nullable: bool = True, **kwargs) -> Column:
    return Column(name, String, nullable=nullable, **kwargs)


def _day(name: str, nullable: bool = True) -> Column:
    return Column(name, Date, nullable=nullable)


def _moment(name: str, nullable: bool = True) -> Column:
    return Column(name, UTCDateTime(), nullable=nullable)


def _money(name: str, nullable: bool = True) -> Column:
    return Column(name, Money(), nullable=nullable)


def _owned_by_customer() -> Column:
    return Column("customer_id", ForeignKey("customer.id", ondelete="CASCADE"), nullable=False)


def _stamps() -> list[Column]:
    return [_moment("created_at", nullable=False), _moment("updated_at", nullable=False)]


customer_table = Table(
    "customer",
    metadata,
    _id(),
    _text("name", nullable=False),
    # Unique normalised name (NFKC, collapsed spaces, case folded): one customer per name.
    _text("name_key", nullable=False, unique=True),
    _text("pinyin_full", nullable=False, default=""),
    _text("pinyin_initials", nullable=False, default=""),
    _text("kind", nullable=False, default="company"),
    _text("industry"),
    _text("region"),
    _text("address"),
    _text("owner"),
    _text("nature"),
    Column("employees", Integer),
    _money("revenue"),
    _text("website"),
    _text("phone"),
    _text("email"),
    _text("wechat"),
    _text("source"),
    Column("referrer_id", ForeignKey("customer.id", ondelete="SET NULL")),
    _text("ka_type"),
    _text("grade"),
    _money("expected_value"),
    _day("expected_close"),
    _text("currency", nullable=False, default="CNY"),
    _text("notes"),
    *_stamps(),
    _moment("archived_at"),
    # Follow-up state, kept right by every write that changes it (log, grade, snooze, import):
    _day("last_touch_on"),
    _text("last_channel"),
    Column("last_contact_id", Integer),  # remembered for the next `kehu log`
    _day("next_step_on"),  # the explicit next step of the last touch
    _text("next_step"),
    _day("snoozed_until"),
    _day("next_due"),  # derived: domain.cadence.next_due of the fields above
    # The funnel (DOMAIN §4): a customer keeps the pipeline it started in.
    _text("pipeline"),
    _text("stage"),
    _day("stage_since"),
    # open | won | lost; a lost customer keeps its stage
    _text("status", nullable=False, default="open", server_default="open"),
    _day("won_on"),
    _money("won_value"),
    _day("lost_on"),
    _text("lost_reason"),
    _text("lost_detail"),
    Index("ix_customer_owner", "owner"),
    Index("ix_customer_grade", "grade"),
    Index("ix_customer_pinyin_initials", "pinyin_initials"),
    # The morning list is a range scan on this index (see store/followups.py).
    Index("ix_customer_next_due", "next_due"),
    # Everything the ranking of the morning list reads, for active customers (revision 0005,
    # which makes it partial on PostgreSQL too; naming postgresql_where here would import the
    # PostgreSQL dialect, 0.14 s, into every command).
    Index(
        "ix_customer_due_rank",
        "next_due",
        "grade",
        "owner",
        "expected_value",
        "pipeline",
        "stage",
        "status",
        "id",
        sqlite_where=text("archived_at IS NULL"),
    ),  # fmt: skip
)

contact_table = Table(
    "contact",
    metadata,
    _id(),
    _owned_by_customer(),
    _text("name", nullable=False),
    _text("name_key", nullable=False),
    _text("title"),
    _text("phone"),
    _text("email"),
    _text("wechat"),
    _day("birthday"),
    Column("birthday_lunar", Boolean, nullable=False, default=False),
    _text("hometown"),
    _text("hobbies"),
    _text("family"),
    _text("role"),
    _text("style"),
    _text("insider"),
    Column("is_key", Boolean, nullable=False, default=False),
    _text("notes"),
    *_stamps(),
    _moment("archived_at"),
    # The unique (customer_id, name_key) index also serves "contacts of a customer".
    UniqueConstraint("customer_id", "name_key", name="uq_contact_customer_name"),
)

# Every grade change, with its day and reason (客户等级 history).
grade_change_table = Table(
    "grade_change",
    metadata,
    _id(),
    _owned_by_customer(),
    _day("changed_on", nullable=False),
    _text("old_grade"),
    _text("new_grade"),
    _text("reason"),
    _moment("created_at", nullable=False),
    Index("ix_grade_change_customer", "customer_id", "changed_on"),
)

# One follow-up (跟进): date, channel, contact, what was said, outcome and next step.
touch_table = Table(
    "touch",
    metadata,
    _id(),
    _owned_by_customer(),
    Column("contact_id", ForeignKey("contact.id", ondelete="SET NULL")),
    _day("happened_on", nullable=False),
    _text("channel"),
    _text("summary", nullable=False),
    _text("outcome"),
    _day("next_step_on"),
    _text("next_step"),
    _moment("created_at", nullable=False),
    Index("ix_touch_customer", "customer_id", "happened_on"),
)

# A planned visit (走访计划表): shown on its day, done by logging a touch.
visit_plan_table = Table(
    "visit_plan",
    metadata,
    _id(),
    _owned_by_customer(),
    Column("contact_id", ForeignKey("contact.id", ondelete="SET NULL")),
    _day("planned_on", nullable=False),
    _text("purpose", nullable=False),
    _text("people"),
    _text("preparation"),
    _text("content"),
    _text("expected_result"),
    _text("next_follow_up"),
    _text("status", nullable=False, default="planned"),  # planned | done | cancelled
    Column("touch_id", ForeignKey("touch.id", ondelete="SET NULL")),
    *_stamps(),
    Index("ix_visit_plan_day", "planned_on", "status"),
)

# Every move through the funnel, with its day and the evidence (or the reason to go back).
stage_change_table = Table(
    "stage_change",
    metadata,
    _id(),
    _owned_by_customer(),
    _text("pipeline", nullable=False),
    _text("from_stage"),
    _text("to_stage"),
    _text("event", nullable=False, default="advance"),  # advance | back | won | lost | reopen
    _day("changed_on", nullable=False),
    _text("evidence"),
    _moment("created_at", nullable=False),
    Index("ix_stage_change_customer", "customer_id", "changed_on"),
)

# The six questions of DOMAIN §5, each yes / no / unknown.
qualification_table = Table(
    "qualification",
    metadata,
    Column("customer_id", ForeignKey("customer.id", ondelete="CASCADE"), primary_key=True),
    *(
        _text(question, nullable=False, default="unknown")
        for question in ("need", "timetable", "budget", "can_win", "worth_it", "our_strength")
    ),
    _moment("updated_at", nullable=False),
)

# Settings that belong to the book rather than to one user's config (the default pipeline).
setting_table = Table(
    "setting",
    metadata,
    Column("key", String, primary_key=True),
    _text("value", nullable=False),
)

# A signed contract (交易资料): its amount and when the money is due.
contract_table = Table(
    "contract",
    metadata,
    _id(),
    _owned_by_customer(),
    _text("number"),
    _money("amount", nullable=False),
    _text("currency", nullable=False, default="CNY"),
    _day("signed_on", nullable=False),
    _day("due_on", nullable=False),
    Column("terms_days", Integer),
    _text("notes"),
    _moment("created_at", nullable=False),
    Index("ix_contract_customer", "customer_id"),
    Index("ix_contract_due", "due_on"),
)

# Money received against one contract (回款); a payment over several contracts is split.
payment_table = Table(
    "payment",
    metadata,
    _id(),
    _owned_by_customer(),
    Column("contract_id", ForeignKey("contract.id", ondelete="CASCADE"), nullable=False),
    _money("amount", nullable=False),
    _day("paid_on", nullable=False),
    _text("notes"),
    _moment("created_at", nullable=False),
    Index("ix_payment_contract", "contract_id"),
)

# Team mode (revision 0006): the database login of each member, the name their customers are
# owned by (customer.owner), and whether they manage the team. Row-level security on
# PostgreSQL reads it; on SQLite it only travels with a dump.
team_member_table = Table(
    "team_member",
    metadata,
    Column("login", String, primary_key=True),
    _text("name", nullable=False, unique=True),
    Column("manager", Boolean, nullable=False, default=False),
    _moment("created_at", nullable=False),
)
