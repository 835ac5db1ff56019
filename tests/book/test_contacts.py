"""The contact rules, called directly (no CLI) on a real book: kehu.book.contacts.

`kehu contact add` is a batch of one of what `kehu import contacts` does: one name per
customer, one key contact per customer.
"""

from __future__ import annotations

from typing import Any

import pytest

from kehu.book import cards, contacts
from kehu.domain.fields import CONTACT_FIELDS
from kehu.errors import Conflict
from kehu.io.csv_in import Sheet
from kehu.store.db import Store
from tests.book.conftest import NOW, TODAY, add_customer

# Everything a contact holds but its id and name.
CONTACT = ("customer_id", "title", "is_key", "birthday_lunar", "created_at", "updated_at", "archived_at")


def add(store: Store, customer: str, name: str, **values: Any) -> contacts.Written:
    with store.write() as connection:
        return contacts.add_contact(connection, customer, name, values, now=NOW)


def write(store: Store, text: str, on_conflict: str = "update") -> Any:
    sheet = Sheet(text, CONTACT_FIELDS, required=("customer", "name"), delimiter=",")
    with store.write() as connection:
        return contacts.write_contacts(connection, sheet, on_conflict=on_conflict, today=TODAY, now=NOW,
                                       owner=None, shift=None)  # fmt: skip


def rows(store: Store) -> list[dict[str, Any]]:
    with store.read() as connection:
        return [dict(r) for r in connection.execute("SELECT * FROM contact ORDER BY id")]


def key_contacts(store: Store) -> list[str]:
    return [row["name"] for row in rows(store) if row["is_key"]]


def test_a_contact_added_is_the_contact_a_one_row_import_makes(store: Store):
    add_customer(store, "杭州海纳科技")
    added = add(store, "hzhnkj", "张伟", title="采购经理")
    write(store, "customer,name,title\n杭州海纳科技,李娜,采购经理\n")
    one, other = rows(store)
    assert added == contacts.Written(one["id"], "张伟", "杭州海纳科技")
    assert {k: one[k] for k in CONTACT} == {k: other[k] for k in CONTACT}
    assert (one["is_key"], one["birthday_lunar"], one["created_at"]) == (False, False, NOW)


def test_one_name_per_customer(store: Store):
    add_customer(store, "杭州海纳科技")
    add_customer(store, "宁波港联物流")
    add(store, "杭州海纳科技", "张伟")
    with pytest.raises(Conflict, match="杭州海纳科技 already has a contact named"):
        add(store, "杭州海纳科技", " 张伟")
    add(store, "宁波港联物流", "张伟")  # another customer's 张伟 is someone else
    with pytest.raises(cards.Refused) as refused:
        write(store, "customer,name\n杭州海纳科技,张伟\n", on_conflict="error")
    assert [e.line for e in refused.value.errors] == [2]
    assert len(rows(store)) == 2


def test_a_new_key_contact_unmarks_the_others(store: Store):
    add_customer(store, "杭州海纳科技")
    add(store, "杭州海纳科技", "张伟", is_key=True)
    add(store, "杭州海纳科技", "李娜", is_key=True)
    assert key_contacts(store) == ["李娜"]
    with store.write() as connection:
        contacts.edit_contact(connection, "杭州海纳科技", "张伟", {"is_key": "是"}, now=NOW)
    assert key_contacts(store) == ["张伟"]
    write(store, "customer,name,is_key\n杭州海纳科技,王芳,是\n")
    assert key_contacts(store) == ["王芳"]


def test_a_contact_renamed_keeps_one_name_per_customer(store: Store):
    add_customer(store, "杭州海纳科技")
    add(store, "杭州海纳科技", "张伟")
    add(store, "杭州海纳科技", "李娜")
    with pytest.raises(Conflict), store.write() as connection:
        contacts.edit_contact(connection, "杭州海纳科技", "李娜", {"name": "张伟"}, now=NOW)
    with store.write() as connection:
        renamed = contacts.edit_contact(connection, "杭州海纳科技", "李娜", {"name": "李娜娜"}, now=NOW)
    assert renamed.name == "李娜娜"
    assert [row["name_key"] for row in rows(store)] == ["张伟", "李娜娜"]


def test_archiving_a_contact_keeps_it(store: Store):
    add_customer(store, "杭州海纳科技")
    add(store, "杭州海纳科技", "张伟")
    with store.write() as connection:
        contacts.set_archived(connection, "杭州海纳科技", "张伟", archive=True, now=NOW)
    assert rows(store)[0]["archived_at"] == NOW
    with store.write() as connection:
        contacts.set_archived(connection, "杭州海纳科技", "张伟", archive=False, now=NOW)
    assert rows(store)[0]["archived_at"] is None
