"""The team's rules on book/team.py directly (no CLI): names, logins, who may move customers, and
where a team can live. Team mode itself (roles, row-level security) is tests/store/test_team*.py."""

from __future__ import annotations

import pytest

from kehu.book import team
from kehu.errors import KehuError, NotFound, NotPermitted, UsageError
from kehu.store.location import resolve_location
from tests.book.conftest import NOW, add_customer


def test_a_login_is_made_from_the_name_or_refused():
    assert team.login_for("王磊", None) == "wanglei"
    assert team.login_for("Anna", None) == "anna"
    assert team.login_for("王磊", "wl_2") == "wl_2"
    for bad in ("Wang", "1wang", "wang-lei", "王磊", "a" * 64):
        with pytest.raises(UsageError, match="a login is lower-case letters"):
            team.login_for("王磊", bad)


def test_a_members_name_follows_the_rule_of_every_name():
    assert team.member_name(" 王磊 ") == "王磊"
    with pytest.raises(UsageError, match="the member's name"):
        team.member_name("王\u200b磊")


@pytest.mark.sqlite_only
def test_a_sqlite_book_has_no_team(tmp_path):
    with pytest.raises(KehuError, match="a team needs a PostgreSQL book"):
        team.require_team_book(resolve_location(str(tmp_path / "book.db")))
    assert not (tmp_path / "book.db").exists()  # asked of the location: nothing was created


@pytest.mark.sqlite_only  # on PostgreSQL only to a member: the next test, and tests/store/test_team.py
def test_customers_move_to_their_new_owner(store):
    first, second = add_customer(store, "甲公司"), add_customer(store, "乙公司")
    with pytest.raises(UsageError, match="name the customers, or give --from"):
        team.reassign(store, "李娜", by_manager=True, now=NOW)
    with pytest.raises(UsageError, match="who gets the customers"):
        team.reassign(store, " ", customers=["甲公司"], by_manager=True, now=NOW)
    with pytest.raises(NotPermitted, match="only a manager"):
        team.reassign(store, "李娜", customers=["甲公司"], by_manager=False, now=NOW)
    done = team.reassign(store, "李娜", customers=["甲公司", str(first), "乙公司"], by_manager=True, now=NOW)
    assert done == team.Reassigned(2, "李娜")
    assert team.reassign(store, "王磊", from_owner="李娜", by_manager=True, now=NOW).customers == 2
    with store.read() as connection:
        owners = connection.execute("SELECT id, owner FROM customer ORDER BY id").tuples()
        assert list(owners) == [(first, "王磊"), (second, "王磊")]


def test_on_postgresql_customers_go_only_to_a_member(store, backend):
    if backend != "postgresql":
        pytest.skip("a team lives in a PostgreSQL book")
    add_customer(store, "甲公司")
    with pytest.raises(NotFound, match="无名氏 is not on the team"):
        team.reassign(store, "无名氏", customers=["甲公司"], by_manager=True, now=NOW)
    assert team.members(store) == []
