"""A real book for the use-case tests: a SQLite file in the test's temp dir, or (with
KEHU_TEST_PG_URL) a fresh PostgreSQL database, opened with kehu's own store; no CLI."""

from __future__ import annotations

from datetime import UTC, date, datetime

from kehu.store.db import Store

TODAY = date(2026, 11, 23)  # a Monday
NOW = datetime(2026, 11, 23, 2, 30, tzinfo=UTC)  # 10:30 in China


def add_customer(store: Store, name: str, grade: str | None = "B", *, contacts: tuple[str, ...] = ()) -> int:
    """A card added at NOW (as `kehu add` writes one), with contacts; its id."""
    from kehu.store import contacts as contact_store
    from kehu.store import customers as customer_store
    from kehu.store.followups import refresh_due

    with store.write() as connection:
        row = customer_store.storable({"name": name, "grade": grade, "created_at": NOW, "updated_at": NOW})
        customer_id = customer_store.insert_card(connection, {**row, "kind": "company", "currency": "CNY"})
        for contact in contacts:
            contact_store.insert_contact(connection, contact_store.storable({
                "customer_id": customer_id, "name": contact, "is_key": False, "birthday_lunar": False,
                "created_at": NOW, "updated_at": NOW,
            }))  # fmt: skip
        refresh_due(connection, [customer_id], None)
    return customer_id
