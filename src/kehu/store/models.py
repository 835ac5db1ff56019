"""The tables of the customer book, as SQLModel classes: the one definition of the schema, and
the record type the Python API hands out (`kehu.open_book(...).customer(...)` is a Customer).

The everyday commands never import this module: they run SQL text through the driver
(store/sql.py), because SQLModel, pydantic and SQLAlchemy together cost about 0.3 s of start-up
on every command. Alembic's revisions are the schema's history; these classes are its present
and are tested to match what the revisions build, on SQLite and PostgreSQL
(tests/store/test_models.py), as are store/schema.py's plain lists of columns and their kinds.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from kehu.store.types import Birthday, Money, UTCDateTime

metadata = SQLModel.metadata


def _moment(*, nullable: bool = True) -> datetime | None:
    return Field(default=None, sa_type=UTCDateTime, nullable=nullable)


def _money(*, nullable: bool = True) -> Decimal | None:
    return Field(default=None, sa_type=Money, nullable=nullable)


def _customer_ref(*, primary_key: bool = False) -> int:
    return Field(foreign_key="customer.id", ondelete="CASCADE", nullable=False, primary_key=primary_key)


class Customer(SQLModel, table=True):
    """A customer card (客户卡) with its follow-up state and its place in the funnel."""

    __tablename__ = "customer"
    __table_args__ = (
        Index("ix_customer_owner", "owner"),
        Index("ix_customer_grade", "grade"),
        Index("ix_customer_pinyin_initials", "pinyin_initials"),
        # The morning list is a range scan on this index (store/morning.py).
        Index("ix_customer_next_due", "next_due"),
        # Everything the ranking of the morning list reads, for active customers (revision 0005,
        # which makes it partial on PostgreSQL too).
        Index(
            "ix_customer_due_rank",
            "next_due", "grade", "owner", "expected_value", "pipeline", "stage", "status", "id",
            sqlite_where=text("archived_at IS NULL"),
        ),
        # The won, active customers by stage: the morning list's after-sale section reads those
        # in 维护 (revision 0011, partial on PostgreSQL too).
        Index("ix_customer_won", "stage", sqlite_where=text("status = 'won' AND archived_at IS NULL")),
    )  # fmt: skip

    id: int | None = Field(default=None, primary_key=True)
    name: str
    # Unique normalised name (NFKC, collapsed spaces, case folded): one customer per name.
    name_key: str = Field(unique=True)
    pinyin_full: str = ""
    pinyin_initials: str = ""
    kind: str = "company"
    industry: str | None = None
    region: str | None = None
    address: str | None = None
    owner: str | None = None
    nature: str | None = None
    employees: int | None = None
    revenue: Decimal | None = _money()
    website: str | None = None
    phone: str | None = None
    email: str | None = None
    wechat: str | None = None
    source: str | None = None
    referrer_id: int | None = Field(default=None, foreign_key="customer.id", ondelete="SET NULL")
    ka_type: str | None = None
    grade: str | None = None
    expected_value: Decimal | None = _money()
    expected_close: date | None = None
    currency: str = "CNY"
    notes: str | None = None
    created_at: datetime = _moment(nullable=False)
    updated_at: datetime = _moment(nullable=False)
    archived_at: datetime | None = _moment()
    # Follow-up state, kept right by every write that changes it (log, grade, snooze, import):
    last_touch_on: date | None = None
    last_channel: str | None = None
    last_contact_id: int | None = None  # remembered for the next `kehu log`
    next_step_on: date | None = None  # the explicit next step of the last touch
    next_step: str | None = None
    snoozed_until: date | None = None
    next_due: date | None = None  # derived: domain.cadence.next_due of the fields above
    # The funnel (DOMAIN §4): a customer keeps the pipeline it started in.
    pipeline: str | None = None
    stage: str | None = None
    stage_since: date | None = None
    # open | won | lost; a lost customer keeps its stage
    status: str = Field(default="open", sa_column_kwargs={"server_default": "open"})
    won_on: date | None = None
    won_value: Decimal | None = _money()
    lost_on: date | None = None
    lost_reason: str | None = None
    lost_detail: str | None = None


class Contact(SQLModel, table=True):
    """A person at the customer (关键联系人), with their role in the decision chain."""

    __tablename__ = "contact"
    # The unique (customer_id, name_key) index also serves "contacts of a customer".
    __table_args__ = (UniqueConstraint("customer_id", "name_key", name="uq_contact_customer_name"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = _customer_ref()
    name: str
    name_key: str
    title: str | None = None
    phone: str | None = None
    email: str | None = None
    wechat: str | None = None
    # A date, or a domain.monthday.MonthDay when given without the year.
    birthday: date | None = Field(default=None, sa_type=Birthday)
    birthday_lunar: bool = False
    hometown: str | None = None
    hobbies: str | None = None
    family: str | None = None
    role: str | None = None
    style: str | None = None
    insider: str | None = None
    is_key: bool = False
    notes: str | None = None
    created_at: datetime = _moment(nullable=False)
    updated_at: datetime = _moment(nullable=False)
    archived_at: datetime | None = _moment()
    # The organisation (组织结构, revision 0009): where they sit, whom they report to (a contact
    # of the same customer; cycles are refused), how long they have been there, what they may
    # approve and up to which amount (权限).
    department: str | None = None
    reports_to_id: int | None = Field(default=None, foreign_key="contact.id", ondelete="SET NULL")
    years_at_company: int | None = None
    authority: str | None = None
    authority_limit: Decimal | None = _money()
    # The relationship stage (建立信任): acquainted | meeting | trusted | ally; its history is
    # relationship_change.
    relationship: str | None = None


class GradeChange(SQLModel, table=True):
    """Every grade change, with its day and reason (客户等级 history)."""

    __tablename__ = "grade_change"
    __table_args__ = (Index("ix_grade_change_customer", "customer_id", "changed_on"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = _customer_ref()
    changed_on: date
    old_grade: str | None = None
    new_grade: str | None = None
    reason: str | None = None
    created_at: datetime = _moment(nullable=False)


class Touch(SQLModel, table=True):
    """One follow-up (跟进): date, channel, contact, what was said, outcome and next step."""

    __tablename__ = "touch"
    __table_args__ = (Index("ix_touch_customer", "customer_id", "happened_on"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = _customer_ref()
    contact_id: int | None = Field(default=None, foreign_key="contact.id", ondelete="SET NULL")
    happened_on: date
    channel: str | None = None
    summary: str
    outcome: str | None = None
    next_step_on: date | None = None
    next_step: str | None = None
    created_at: datetime = _moment(nullable=False)


class VisitPlan(SQLModel, table=True):
    """A planned visit (走访计划表): shown on its day, done by logging a touch."""

    __tablename__ = "visit_plan"
    __table_args__ = (Index("ix_visit_plan_day", "planned_on", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = _customer_ref()
    contact_id: int | None = Field(default=None, foreign_key="contact.id", ondelete="SET NULL")
    planned_on: date
    purpose: str
    people: str | None = None
    preparation: str | None = None
    content: str | None = None
    expected_result: str | None = None
    next_follow_up: str | None = None
    status: str = "planned"  # planned | done | cancelled
    touch_id: int | None = Field(default=None, foreign_key="touch.id", ondelete="SET NULL")
    created_at: datetime = _moment(nullable=False)
    updated_at: datetime = _moment(nullable=False)
    cancel_reason: str | None = None  # why a cancelled visit did not happen (revision 0008)


class StageChange(SQLModel, table=True):
    """Every move through the funnel, with its day and the evidence (or the reason to go back)."""

    __tablename__ = "stage_change"
    __table_args__ = (Index("ix_stage_change_customer", "customer_id", "changed_on"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = _customer_ref()
    pipeline: str
    from_stage: str | None = None
    to_stage: str | None = None
    event: str = "advance"  # advance | back | won | lost | reopen
    changed_on: date
    evidence: str | None = None
    created_at: datetime = _moment(nullable=False)


class Qualification(SQLModel, table=True):
    """The six questions of DOMAIN §5, each yes / no / unknown."""

    __tablename__ = "qualification"

    customer_id: int = _customer_ref(primary_key=True)
    need: str = "unknown"
    timetable: str = "unknown"
    budget: str = "unknown"
    can_win: str = "unknown"
    worth_it: str = "unknown"
    our_strength: str = "unknown"
    updated_at: datetime = _moment(nullable=False)


class Setting(SQLModel, table=True):
    """Settings that belong to the book rather than to one user's config (the default pipeline)."""

    __tablename__ = "setting"

    key: str = Field(primary_key=True)
    value: str


class Contract(SQLModel, table=True):
    """A signed contract (交易资料): its amount and when the money is due."""

    __tablename__ = "contract"
    __table_args__ = (Index("ix_contract_customer", "customer_id"), Index("ix_contract_due", "due_on"))

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = _customer_ref()
    number: str | None = None
    amount: Decimal = _money(nullable=False)
    currency: str = "CNY"
    signed_on: date
    due_on: date
    terms_days: int | None = None
    notes: str | None = None
    created_at: datetime = _moment(nullable=False)
    # 生产/交货/验收 (revision 0010): the days instalments tied to them count from.
    delivered_on: date | None = None
    delivery_note: str | None = None
    accepted_on: date | None = None


class Instalment(SQLModel, table=True):
    """One part of a contract's money (定金, 到货款, 验收款, 质保金): an amount due on a day, or a
    number of days after an event (signing, delivery, acceptance), undated until it happened."""

    __tablename__ = "instalment"
    __table_args__ = (
        UniqueConstraint("contract_id", "seq", name="uq_instalment_contract_seq"),
        Index("ix_instalment_due", "due_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = _customer_ref()
    contract_id: int = Field(foreign_key="contract.id", ondelete="CASCADE", nullable=False)
    seq: int  # 1, 2, … in the contract's order
    amount: Decimal = _money(nullable=False)
    label: str | None = None  # as the schedule said it: "验收后30天"
    event: str | None = None  # signing | delivery | acceptance; None: a fixed day
    days: int | None = None  # after the event
    due_on: date | None = None
    created_at: datetime = _moment(nullable=False)


class Payment(SQLModel, table=True):
    """Money received against one contract (回款); a payment over several contracts is split."""

    __tablename__ = "payment"
    # A customer's payments since a day keep or break its promises to pay (revision 0011).
    __table_args__ = (
        Index("ix_payment_contract", "contract_id"),
        Index("ix_payment_customer", "customer_id", "paid_on"),
        # What an instalment has been paid (report ar, followups), and replacing a schedule
        # (kehu import instalments) without reading every payment (revision 0012).
        Index("ix_payment_instalment", "instalment_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = _customer_ref()
    contract_id: int = Field(foreign_key="contract.id", ondelete="CASCADE", nullable=False)
    amount: Decimal = _money(nullable=False)
    paid_on: date
    notes: str | None = None
    created_at: datetime = _moment(nullable=False)
    # The instalment it settles (revision 0010); a payment over several is one row each.
    instalment_id: int | None = Field(default=None, foreign_key="instalment.id", ondelete="CASCADE")


class TeamMember(SQLModel, table=True):
    """Team mode (revision 0006): a member's database login, the name their customers are owned
    by (customer.owner), and whether they manage the team. Row-level security on PostgreSQL
    reads it; on SQLite it only travels with a dump."""

    __tablename__ = "team_member"

    login: str = Field(primary_key=True)
    name: str = Field(unique=True)
    manager: bool = False
    created_at: datetime = _moment(nullable=False)


class Rival(SQLModel, table=True):
    """A competitor at one customer (竞争信息): who they work through there, since when, their
    share and price, strengths and weaknesses. `won_on` is set when the customer was lost to
    them (`kehu lost --to`)."""

    __tablename__ = "rival"
    __table_args__ = (
        UniqueConstraint("customer_id", "name_key", name="uq_rival_customer_name"),
        # The same rival across customers (report rivals, list --rival).
        Index("ix_rival_name_key", "name_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = _customer_ref()
    name: str
    name_key: str
    their_contact: str | None = None
    since: date | None = None
    share: int | None = None  # their share of the customer's business, in percent
    strengths: str | None = None
    weaknesses: str | None = None
    price: Decimal | None = _money()
    notes: str | None = None
    won_on: date | None = None
    created_at: datetime = _moment(nullable=False)
    updated_at: datetime = _moment(nullable=False)


class RelationshipChange(SQLModel, table=True):
    """Every change of a key person's relationship stage (认识 → 约会 → 信赖 → 同盟)."""

    __tablename__ = "relationship_change"
    __table_args__ = (Index("ix_relationship_change_contact", "contact_id", "changed_on"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = _customer_ref()
    contact_id: int = Field(foreign_key="contact.id", ondelete="CASCADE", nullable=False)
    changed_on: date
    old_relationship: str | None = None
    new_relationship: str
    reason: str | None = None
    created_at: datetime = _moment(nullable=False)


class Need(SQLModel, table=True):
    """A need the customer has (挖掘需求): business, technical, commercial or personal, whose."""

    __tablename__ = "need"
    __table_args__ = (Index("ix_need_customer", "customer_id"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = _customer_ref()
    contact_id: int | None = Field(default=None, foreign_key="contact.id", ondelete="SET NULL")
    description: str
    kind: str | None = None  # business | technical | commercial | personal
    priority: str | None = None  # high | medium | low
    status: str = "open"  # open | met | dropped
    noted_on: date
    notes: str | None = None
    created_at: datetime = _moment(nullable=False)
    updated_at: datetime = _moment(nullable=False)


class Proposal(SQLModel, table=True):
    """A proposal (建议书, 呈现价值) in its versions: each new one of the same title is the next."""

    __tablename__ = "proposal"
    __table_args__ = (Index("ix_proposal_customer", "customer_id"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = _customer_ref()
    title: str
    version: int = 1
    amount: Decimal | None = _money()
    sent_on: date | None = None
    file: str | None = None
    status: str = "draft"  # draft | sent | accepted | rejected
    notes: str | None = None
    created_at: datetime = _moment(nullable=False)
    updated_at: datetime = _moment(nullable=False)


class Quote(SQLModel, table=True):
    """A price quote (报价) in its versions; the latest one's amount is the deal's expected value."""

    __tablename__ = "quote"
    __table_args__ = (Index("ix_quote_customer", "customer_id"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = _customer_ref()
    version: int = 1
    amount: Decimal = _money(nullable=False)
    discount: Decimal | None = _money()  # percent off the list price
    valid_until: date | None = None
    sent_on: date | None = None
    status: str = "draft"  # draft | sent | accepted | rejected
    notes: str | None = None
    created_at: datetime = _moment(nullable=False)
    updated_at: datetime = _moment(nullable=False)


class StageAnswer(SQLModel, table=True):
    """The answer to one of a stage's questions (推进问题), by the question's number in its stage."""

    __tablename__ = "stage_answer"
    __table_args__ = (
        UniqueConstraint("customer_id", "pipeline", "stage", "question", name="uq_stage_answer_question"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = _customer_ref()
    pipeline: str
    stage: str
    question: int  # 1-based, in the order the pipeline lists the stage's questions
    answer: str
    answered_on: date
    created_at: datetime = _moment(nullable=False)
    updated_at: datetime = _moment(nullable=False)


class CollectionAction(SQLModel, table=True):
    """A collection step taken (催款): by phone, through finance (逾期通知书), a visit, the legal
    route (催款函), what came of it, and the promise it got, followed up on its day."""

    __tablename__ = "collection_action"
    __table_args__ = (
        Index("ix_collection_action_customer", "customer_id", "happened_on"),
        Index("ix_collection_action_promise", "promised_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = _customer_ref()
    contract_id: int | None = Field(default=None, foreign_key="contract.id", ondelete="SET NULL")
    happened_on: date
    method: str  # phone | finance | visit | legal
    document: str | None = None
    result: str | None = None
    promised_on: date | None = None
    promised_amount: Decimal | None = _money()
    promise_status: str | None = None  # open | kept | broken
    created_at: datetime = _moment(nullable=False)
    updated_at: datetime = _moment(nullable=False)


class CreditCheck(SQLModel, table=True):
    """A credit check before the sale (信用审查) and the customer's financial ratios (seed 000)."""

    __tablename__ = "credit_check"
    __table_args__ = (Index("ix_credit_check_customer", "customer_id", "checked_on"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = _customer_ref()
    checked_on: date
    registered_capital: Decimal | None = _money()
    years_in_business: int | None = None
    payment_history: str | None = None
    collection_days: int | None = None  # 回款周期
    credit_limit: Decimal | None = _money()
    current_asset_ratio: Decimal | None = _money()  # percent
    net_margin: Decimal | None = _money()  # percent
    return_on_assets: Decimal | None = _money()  # percent
    inventory_days: int | None = None  # 存货周期
    receivable_days: int | None = None
    notes: str | None = None
    created_at: datetime = _moment(nullable=False)


class Complaint(SQLModel, table=True):
    """An after-sale complaint (维护), due until resolved."""

    __tablename__ = "complaint"
    __table_args__ = (Index("ix_complaint_customer", "customer_id", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = _customer_ref()
    contact_id: int | None = Field(default=None, foreign_key="contact.id", ondelete="SET NULL")
    raised_on: date
    description: str
    severity: str | None = None
    status: str = "open"  # open | resolved
    resolved_on: date | None = None
    resolution: str | None = None
    created_at: datetime = _moment(nullable=False)
    updated_at: datetime = _moment(nullable=False)


class Target(SQLModel, table=True):
    """A month's targets (销售目标), for the whole book (owner '') or one seller."""

    __tablename__ = "target"
    __table_args__ = (UniqueConstraint("month", "owner", name="uq_target_month_owner"),)

    id: int | None = Field(default=None, primary_key=True)
    month: str  # YYYY-MM
    owner: str = ""
    amount: Decimal | None = _money()
    collect_amount: Decimal | None = _money()
    new_customers: int | None = None
    touches_per_day: Decimal | None = _money()
    created_at: datetime = _moment(nullable=False)
    updated_at: datetime = _moment(nullable=False)


MODELS: tuple[type[SQLModel], ...] = (
    Customer, Contact, GradeChange, Touch, VisitPlan, StageChange, Qualification, Setting, Contract,
    Payment, TeamMember, Rival, RelationshipChange, Need, Proposal, Quote, StageAnswer, Instalment,
    CollectionAction, CreditCheck, Complaint, Target,
)  # fmt: skip

# The tables by their SQLAlchemy names, for migrations' env.py and the schema tests.
customer_table = Customer.__table__
contact_table = Contact.__table__
grade_change_table = GradeChange.__table__
touch_table = Touch.__table__
visit_plan_table = VisitPlan.__table__
stage_change_table = StageChange.__table__
qualification_table = Qualification.__table__
setting_table = Setting.__table__
contract_table = Contract.__table__
payment_table = Payment.__table__
team_member_table = TeamMember.__table__
rival_table = Rival.__table__
relationship_change_table = RelationshipChange.__table__
need_table = Need.__table__
proposal_table = Proposal.__table__
quote_table = Quote.__table__
stage_answer_table = StageAnswer.__table__
