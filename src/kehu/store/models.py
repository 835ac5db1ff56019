"""The tables of the customer book (SQLModel).

Hot paths use these tables through SQLAlchemy Core (`Customer.__table__`) and bulk statements;
the classes are the single definition of the schema that Alembic's first revision was made from.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, ForeignKey, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from kehu.store.types import Money, UTCDateTime


def _money() -> Decimal | None:
    return Field(default=None, sa_column=Column(Money()))


def _moment(nullable: bool = True):
    return Field(default=None, sa_column=Column(UTCDateTime(), nullable=nullable))


class Customer(SQLModel, table=True):
    __tablename__ = "customer"
    __table_args__ = (
        Index("ix_customer_owner", "owner"),
        Index("ix_customer_grade", "grade"),
        Index("ix_customer_pinyin_initials", "pinyin_initials"),
    )

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
    referrer_id: int | None = Field(
        default=None, sa_column=Column(ForeignKey("customer.id", ondelete="SET NULL"))
    )
    ka_type: str | None = None
    grade: str | None = None
    expected_value: Decimal | None = _money()
    expected_close: date | None = None
    currency: str = "CNY"
    notes: str | None = None
    created_at: datetime = _moment(nullable=False)
    updated_at: datetime = _moment(nullable=False)
    archived_at: datetime | None = _moment()


class Contact(SQLModel, table=True):
    __tablename__ = "contact"
    # The unique (customer_id, name_key) index also serves "contacts of a customer".
    __table_args__ = (UniqueConstraint("customer_id", "name_key", name="uq_contact_customer_name"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(
        sa_column=Column(ForeignKey("customer.id", ondelete="CASCADE"), nullable=False)
    )
    name: str
    name_key: str
    title: str | None = None
    phone: str | None = None
    email: str | None = None
    wechat: str | None = None
    birthday: date | None = None
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


customer_table = Customer.__table__
contact_table = Contact.__table__
metadata = SQLModel.metadata
