"""store/sql.py: the same SQL text and the same Python values on both backends."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from kehu.store.db import open_store
from kehu.store.location import resolve_location
from kehu.store.schema import MONEY
from kehu.store.sql import _pyformat


@pytest.fixture
def store(target_db):
    store = open_store(resolve_location(target_db))
    yield store
    store.close()


NOW = datetime(2026, 11, 23, 9, 30, 15, 123456, tzinfo=UTC)
COLUMNS = (
    "name",
    "name_key",
    "pinyin_full",
    "pinyin_initials",
    "kind",
    "currency",
    "created_at",
    "updated_at",
)


def card(name: str) -> tuple:
    """A customer row of COLUMNS: the columns without a default."""
    return (name, name, "", "", "company", "CNY", NOW, NOW)


def test_values_go_in_and_come_back_as_they_were(store):
    beijing = timezone(timedelta(hours=8))
    with store.write() as connection:
        new = connection.insert("customer", {
            "name": "甲公司", "name_key": "甲公司", "pinyin_full": "jiagongsi", "pinyin_initials": "jgs",
            "kind": "company", "currency": "CNY", "status": "open",
            "expected_value": Decimal("1234567.89"), "next_due": date(2026, 12, 1),
            "created_at": NOW.astimezone(beijing), "updated_at": NOW,
        })  # fmt: skip
        row = connection.execute("SELECT * FROM customer WHERE id = :id", {"id": new}).one()
    assert row.expected_value == Decimal("1234567.89") and row["next_due"] == date(2026, 12, 1)
    assert row.created_at == NOW and row.created_at.tzinfo is not None  # any zone in, UTC out
    assert row.revenue is None and row.archived_at is None


def test_lists_bind_as_one_parameter_of_any_length(store):
    names = [f"客户{i}" for i in range(40_000)]  # more than SQLite's bound-variable limit
    with store.write() as connection:
        connection.insert_rows("customer", COLUMNS, (card(name) for name in names))
        among = connection.backend.among(":keys")
        found = connection.execute(f"SELECT count(*) FROM customer WHERE name_key {among}",
                                   {"keys": names[::2] + ["没有这个"]}).scalar()  # fmt: skip
    assert found == 20_000


def test_aliases_are_converted_when_named(store):
    with store.write() as connection:
        connection.insert_rows("customer", (*COLUMNS, "expected_value"),
                               [(*card("甲"), Decimal("0.10")), (*card("乙"), Decimal("0.25"))])  # fmt: skip
        total = connection.execute(
            "SELECT SUM(expected_value) AS total FROM customer", kinds={"total": MONEY}
        )
        assert total.scalar() == Decimal("0.35")
        # a literal % and a PostgreSQL-style cast are left alone
        like = connection.execute(
            "SELECT count(*) FROM customer WHERE name LIKE '%' || :part || '%'", {"part": "甲"}
        )
        assert like.scalar() == 1


def test_named_parameters_become_psycopg_placeholders():
    assert _pyformat("SELECT :a, x::date, '%' FROM t WHERE y = :b_2") == (
        "SELECT %(a)s, x::date, '%%' FROM t WHERE y = %(b_2)s"
    )


def test_a_failed_transaction_writes_nothing_and_the_next_one_works(store):
    with pytest.raises(RuntimeError), store.write() as connection:
        connection.insert_rows("customer", COLUMNS, [card("甲")])
        raise RuntimeError("stop")
    with store.read() as connection:
        assert connection.execute("SELECT count(*) FROM customer").scalar() == 0
