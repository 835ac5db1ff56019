"""Ids for rows written with their ids (store/sequences.py), on both backends: a bulk insert
takes them before it starts, and what the database numbers afterwards follows them."""

from __future__ import annotations

from kehu.store.sequences import continue_numbering, reserve_ids
from tests.book.conftest import NOW, add_customer


def test_reserved_ids_follow_the_largest_and_the_batchs_own(store):
    add_customer(store, "杭州海纳科技")
    with store.write() as connection:
        assert reserve_ids(connection, "customer", 2) == [2, 3]
    with store.write() as connection:
        # A batch bringing id 10 gets the numbers after it, whatever the table holds.
        ids = reserve_ids(connection, "customer", 2, after=10)
        assert ids == [11, 12]
        for customer_id, name in zip([10, *ids], ["甲", "乙", "丙"], strict=True):
            connection.execute(
                "INSERT INTO customer (id, name, name_key, pinyin_full, pinyin_initials, kind, currency,"
                " created_at, updated_at) VALUES (:id, :name, :name, '', '', 'company', 'CNY', :now, :now)",
                {"id": customer_id, "name": name, "now": NOW},
            )
    assert add_customer(store, "宁波港联物流") == 13  # the database's own numbering follows


def test_continue_numbering_takes_table_names(store):
    add_customer(store, "杭州海纳科技")
    with store.write() as connection:
        connection.execute(
            "INSERT INTO customer (id, name, name_key, pinyin_full, pinyin_initials, kind, currency,"
            " created_at, updated_at) VALUES (50, '甲', '甲', '', '', 'company', 'CNY', :now, :now)",
            {"now": NOW},
        )
        continue_numbering(connection, ["customer", "setting"])  # setting has no id: passed over
    assert add_customer(store, "宁波港联物流") == 51
