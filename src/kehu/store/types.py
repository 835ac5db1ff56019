"""Column types that keep money exact and moments in UTC on every backend.

SQLite has no exact decimal type (SQLAlchemy's Numeric falls back to floats there), so money is
stored as a whole number of cents and read back as a Decimal. Moments are stored in UTC and come
back timezone-aware even where the backend forgets the zone (SQLite).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Date, DateTime
from sqlalchemy.types import TypeDecorator

from kehu.domain.monthday import MonthDay, from_stored


class Money(TypeDecorator[Decimal]):
    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect) -> int | None:
        if value is None:
            return None
        return int((Decimal(value) * 100).to_integral_value())

    def process_result_value(self, value: int | None, dialect) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(value) / 100).quantize(Decimal("0.01"))


class Birthday(TypeDecorator[date]):
    """A DATE holding a birthday, or a month-day without its year on the marker year
    (domain.monthday): a MonthDay in Python."""

    impl = Date
    cache_ok = True

    def process_bind_param(self, value: date | MonthDay | None, dialect) -> date | None:
        return value.stored() if isinstance(value, MonthDay) else value

    def process_result_value(self, value: date | None, dialect) -> date | MonthDay | None:
        return None if value is None else from_stored(value)


class UTCDateTime(TypeDecorator[datetime]):
    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        # SQLite stores the text without a zone: keep it naive UTC there, aware elsewhere.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
