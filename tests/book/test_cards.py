"""The card rules, called directly (no CLI) on a real book: kehu.book.cards.

`kehu add` is a batch of one of what `kehu import customers` does: the same checks, the same
new card (owner, the pipeline's first stage, the due date), the same refusals.
"""

from __future__ import annotations

from typing import Any

import pytest

from kehu.book import cards
from kehu.domain.fields import CUSTOMER_FIELDS
from kehu.errors import Conflict, UsageError
from kehu.io.csv_in import Sheet
from kehu.store import customers as customer_store
from kehu.store.db import Store
from kehu.store.followups import grade_history, refresh_due
from tests.book.conftest import NOW, TODAY, add_customer

# Everything a card holds but its id, name and the name's derived keys.
CARD = ("kind", "owner", "grade", "currency", "created_at", "updated_at", "next_due", "pipeline", "stage",
        "stage_since", "status", "referrer_id")  # fmt: skip


def add(store: Store, name: str, owner: str | None = None, **values: Any) -> int:
    with store.write() as connection:
        return cards.add_card(connection, name, values, today=TODAY, now=NOW, owner=owner, shift=None)


def sheet(text: str) -> Sheet:
    return Sheet(text, CUSTOMER_FIELDS, required=("name",), delimiter=",")


def write(store: Store, text: str, on_conflict: str = "update", *, owner: str | None = None,
          write: bool = True) -> cards.CardsWritten:  # fmt: skip
    with store.write() as connection:
        return cards.write_cards(connection, sheet(text), on_conflict=on_conflict, today=TODAY, now=NOW,
                                 owner=owner, shift=None, write=write)  # fmt: skip


def card(store: Store, customer_id: int) -> dict[str, Any]:
    with store.read() as connection:
        found = connection.execute(f"SELECT * FROM customer WHERE id = {int(customer_id)}").one()  # noqa: S608
    return dict(found)


def names(store: Store) -> list[str]:
    with store.read() as connection:
        return connection.execute("SELECT name FROM customer ORDER BY id").scalars()


def test_a_card_added_is_the_card_a_one_row_import_makes(store: Store):
    added = add(store, "杭州海纳科技", owner="王磊", grade="A")
    written = write(store, "name,grade\n宁波港联物流,A\n", owner="王磊")
    one, other = card(store, added), card(store, written.new_ids[0])
    assert {k: one[k] for k in CARD} == {k: other[k] for k in CARD}
    assert one["owner"] == "王磊" and one["kind"] == "company" and one["currency"] == "CNY"
    assert one["stage_since"] == TODAY and one["stage"] and one["status"] == "open"
    assert one["pinyin_initials"] == "hzhnkj"
    with store.write() as connection:  # its due date was set as it was written
        assert refresh_due(connection, [added, written.new_ids[0]], None) == 0


def test_a_card_given_an_owner_keeps_it(store: Store):
    written = write(store, "name,owner\n杭州海纳科技,李娜\n宁波港联物流,\n", owner="王磊")
    assert [card(store, i)["owner"] for i in written.new_ids] == ["李娜", "王磊"]


def test_a_name_the_book_holds_is_refused_and_nothing_is_written(store: Store):
    first = add(store, "杭州海纳科技")
    with pytest.raises(Conflict, match=f"already exists \\(id {first}\\); see: kehu show {first}"):
        add(store, " 杭州海纳科技 ")  # the same name, however spaced
    with pytest.raises(cards.Refused) as refused:
        write(store, "name\n宁波港联物流\n杭州海纳科技\n", on_conflict="error")
    assert [(e.line, e.column) for e in refused.value.errors] == [(3, "name")]
    assert names(store) == ["杭州海纳科技"]


def test_every_problem_of_a_batch_is_said_by_line(store: Store):
    text = "name,referrer\n宁波港联物流,\n宁波港联物流,\n杭州海纳科技,杭州海纳科技\n温州鞋业,无名公司\n"
    with pytest.raises(cards.Refused) as refused:
        write(store, text)
    reasons = [(e.line, e.reason) for e in refused.value.errors]
    assert reasons == [
        (3, "same customer as line 2"),
        (4, "a customer cannot refer itself"),
        (5, "referrer '无名公司' is not a customer"),
    ]
    assert names(store) == []


def test_a_referrer_may_come_later_in_the_same_sheet(store: Store):
    written = write(store, "name,referrer\n宁波港联物流,杭州海纳科技\n杭州海纳科技,\n")
    referred, referrer = written.new_ids
    assert card(store, referred)["referrer_id"] == referrer


def test_a_referrer_of_kehu_add_is_any_reference_to_a_customer(store: Store):
    referrer = add(store, "杭州海纳科技")
    assert card(store, add(store, "宁波港联物流", referrer="hzhnkj"))["referrer_id"] == referrer


def test_ids_the_sheet_gives_are_kept_and_the_others_follow_the_largest(store: Store):
    taken = add(store, "杭州海纳科技")
    written = write(store, f"id,name\n40,宁波港联物流\n,温州鞋业\n{taken},台州模具\n40,嘉兴纺织\n")
    assert written.new_ids == [40, 41, 42, 43]
    assert names(store) == ["杭州海纳科技", "宁波港联物流", "温州鞋业", "台州模具", "嘉兴纺织"]
    assert add(store, "湖州茶业") == 44  # the next card follows them, on PostgreSQL too (its sequence)


def test_a_sheet_updates_the_cards_it_names_and_keeps_a_grade_change(store: Store):
    customer_id = add_customer(store, "杭州海纳科技", "B")
    add_customer(store, "宁波港联物流", "C")
    written = write(store, "name,grade,phone\n杭州海纳科技,A,0571-1\n宁波港联物流,C,\n温州鞋业,B,\n")
    assert (written.added, written.updated, written.unchanged) == (1, 1, 1)
    assert card(store, customer_id)["grade"] == "A" and card(store, customer_id)["phone"] == "0571-1"
    with store.read() as connection:
        history = grade_history(connection, customer_id)
    assert [(h["old_grade"], h["new_grade"], h["reason"], h["changed_on"]) for h in history] == [
        ("B", "A", "import", TODAY)
    ]


def test_skip_leaves_the_cards_the_book_holds(store: Store):
    customer_id = add_customer(store, "杭州海纳科技", "B")
    written = write(store, "name,grade\n杭州海纳科技,A\n温州鞋业,B\n", on_conflict="skip")
    assert (written.added, written.skipped) == (1, 1)
    assert card(store, customer_id)["grade"] == "B"


def test_counting_writes_nothing(store: Store):
    add_customer(store, "杭州海纳科技", "B")
    written = write(store, "name,grade\n杭州海纳科技,A\n温州鞋业,B\n", write=False)
    assert (written.added, written.updated) == (1, 1)
    assert names(store) == ["杭州海纳科技"] and card(store, 1)["grade"] == "B"


def test_a_cell_kehu_cannot_read_refuses_the_batch(store: Store):
    with pytest.raises(cards.Refused) as refused:
        write(store, "name,grade\n杭州海纳科技,A\n温州鞋业,Q\n")
    assert [e.line for e in refused.value.errors] == [3]
    assert names(store) == []


def test_edit_changes_fields_and_a_grade_the_way_kehu_grade_does(store: Store):
    customer_id = add_customer(store, "杭州海纳科技", "B")
    with store.write() as connection:
        changes = {"grade": "A", "name": "杭州海纳"}
        edited = cards.edit_card(connection, "hzhnkj", changes, now=NOW, shift=None)
    assert edited == cards.Edited(customer_id, "杭州海纳")
    after = card(store, customer_id)
    assert (after["grade"], after["name"], after["pinyin_initials"]) == ("A", "杭州海纳", "hzhn")
    with store.read() as connection:
        assert [h["reason"] for h in grade_history(connection, customer_id)] == ["edited"]
        assert customer_store.ids_by_name_key(connection, ["杭州海纳"]) == {"杭州海纳": customer_id}


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"name": "宁波港联物流"}, Conflict, "already exists"),
        ({"referrer": "杭州海纳科技"}, UsageError, "cannot refer itself"),
        ({"kind": None}, UsageError, "cannot be empty"),
    ],
)
def test_edit_refuses_what_a_card_cannot_be(store: Store, changes, error, message):
    customer_id = add_customer(store, "杭州海纳科技")
    add_customer(store, "宁波港联物流")
    before = card(store, customer_id)
    with pytest.raises(error, match=message), store.write() as connection:
        cards.edit_card(connection, "杭州海纳科技", changes, now=NOW, shift=None)
    assert card(store, customer_id) == before
