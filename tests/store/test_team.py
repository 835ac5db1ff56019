"""Team mode on PostgreSQL (issue 7): two sellers and a manager on one book.

Each sees exactly their own customers through kehu, and the database refuses the rest even
when kehu's own filters are bypassed: plain SQL as the seller's role. Runs when
KEHU_TEST_PG_URL names a role that may create databases and roles (CREATEDB, CREATEROLE).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import PG_URL
from tests.helpers import ok
from tests.store.teams import Team, owners, run, sql

pytestmark = pytest.mark.skipif(not PG_URL, reason="KEHU_TEST_PG_URL is not set")


def test_the_team_is_listed_with_what_each_owns(team: Team):
    rows = json.loads(ok(run(team.admin, "team", "list", "--format", "json")).stdout)
    assert [(r["name"], r["login"], r["manager"], r["customers"]) for r in rows] == [
        ("陈晨", team.logins["陈晨"], True, 16),
        ("李娜", team.logins["李娜"], False, 16),
        ("王磊", team.logins["王磊"], False, 16),
    ]


def test_each_seller_sees_exactly_their_own(team: Team):
    assert owners(team.urls["王磊"]) == {"王磊": 16}
    assert owners(team.urls["李娜"]) == {"李娜": 16}
    # --all-owners widens only as far as the database allows: a seller still sees their own.
    assert owners(team.urls["王磊"], "--all-owners") == {"王磊": 16}
    # The manager's own book by default, everyone's when asked, or one seller's.
    assert owners(team.urls["陈晨"]) == {"陈晨": 16}
    assert owners(team.urls["陈晨"], "--all-owners") == {"王磊": 16, "李娜": 16, "陈晨": 16}
    assert owners(team.urls["陈晨"], "--owner", "李娜") == {"李娜": 16}
    # The tables' owner, not on the team, sees the whole book as on SQLite.
    assert owners(team.admin) == {"王磊": 16, "李娜": 16, "陈晨": 16}


def test_two_sellers_mornings_from_one_database(team: Team):
    own = {m: {r["id"] for r in json.loads(ok(run(team.admin, "list", "--owner", m, "-f", "json")).stdout)}
           for m in ("王磊", "李娜")}  # fmt: skip
    mornings = {}
    for member in ("王磊", "李娜"):
        result = ok(run(team.urls[member], "followups", "today", "--format", "json"))
        mornings[member] = {row["customer_id"] for row in json.loads(result.stdout)}
        assert mornings[member] and mornings[member] <= own[member]
    everyone = json.loads(ok(run(team.admin, "followups", "today", "--format", "json")).stdout)
    # Together the two mornings are exactly the whole book's items of their customers.
    assert mornings["王磊"] | mornings["李娜"] == {
        row["customer_id"] for row in everyone if row["customer_id"] in own["王磊"] | own["李娜"]
    }


def test_a_seller_asking_for_another_book_is_refused(team: Team):
    for command in (
        ["list", "--owner", "李娜"],
        ["followups", "--owner", "李娜"],
        ["report", "--owner", "李娜"],
    ):
        result = run(team.urls["王磊"], *command)
        assert result.exit_code == 77, command
        assert result.stderr == "kehu: not yours: only a manager sees 李娜's customers\n"


def test_another_sellers_customer_is_not_yours_and_nothing_changes(team: Team):
    theirs = json.loads(ok(run(team.admin, "list", "--owner", "李娜", "-f", "json")).stdout)[0]
    before = ok(run(team.admin, "dump")).stdout
    name = theirs["name"]
    for command in (
        ["show", name], ["log", name, "抢客户"], ["edit", name, "--notes", "改了"], ["grade", name, "E"],
        ["contact", "add", name, "张三"], ["archive", name],
    ):  # fmt: skip
        result = run(team.urls["王磊"], *command)
        assert result.exit_code == 77, (command, result.stderr)
        assert result.stderr.startswith("kehu: not yours: customer"), result.stderr
        assert "李娜" in result.stderr
    # By id it is simply not there: saying whose it is would list every customer's owner in turn.
    number = str(theirs["id"])
    for command in (["show", number], ["log", number, "抢客户"], ["archive", number]):
        result = run(team.urls["王磊"], *command)
        assert (result.exit_code, result.stderr) == (1, f"kehu: no customer matches '{theirs['id']}'\n")
    # Giving one's own customer away, or adding one for a colleague, is the manager's call.
    mine = json.loads(ok(run(team.urls["王磊"], "list", "-f", "json")).stdout)[0]
    assert run(team.urls["王磊"], "edit", str(mine["id"]), "--owner", "李娜").exit_code == 77
    assert run(team.urls["王磊"], "add", "新客户", "--owner", "李娜").exit_code == 77
    assert run(team.urls["王磊"], "team", "reassign", str(mine["id"]), "--to", "李娜").exit_code == 77
    # A name a colleague already has: not a second card, and not "no such customer" either.
    clash = run(team.urls["王磊"], "add", theirs["name"])
    assert clash.exit_code == 77 and "李娜" in clash.stderr
    assert ok(run(team.admin, "dump")).stdout == before


def test_the_database_refuses_even_without_kehu(team: Team):
    seller = team.urls["王磊"]
    assert sql(seller, "SELECT DISTINCT owner FROM customer") == [("王磊",)]
    visible = {row[0] for row in sql(seller, "SELECT id FROM customer")}
    for table in ("contact", "touch", "grade_change", "stage_change", "contract", "payment", "visit_plan"):
        ids = {row[0] for row in sql(seller, f"SELECT customer_id FROM {table}")}  # noqa: S608
        assert ids <= visible, table
    assert sql(seller, "SELECT count(*) FROM contact")[0][0] > 0
    others = sql(team.admin, "SELECT id FROM customer WHERE owner = '李娜' ORDER BY id")[0][0]
    # Invisible rows are not there to change or delete …
    assert sql(seller, "UPDATE customer SET notes = 'x' WHERE owner = '李娜'") == 0
    assert sql(seller, "DELETE FROM touch WHERE customer_id = %s", others) == 0
    # … and rows pointing at them, or handing one's own away, are refused outright.
    import psycopg

    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        sql(seller, "INSERT INTO touch (customer_id, happened_on, summary, created_at) "
                    "VALUES (%s, '2026-11-23', 'x', now())", others)  # fmt: skip
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        sql(seller, "UPDATE customer SET owner = '李娜' WHERE owner = '王磊'")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        sql(seller, "INSERT INTO team_member VALUES ('x', 'x', true, now())")
    assert sql(team.admin, "SELECT count(*) FROM customer WHERE owner = '王磊'")[0][0] == 16


def test_the_manager_reassigns_a_book(team: Team):
    result = ok(run(team.urls["陈晨"], "team", "reassign", "--from", "王磊", "--to", "李娜"))
    assert result.stderr == "16 customers now belong to 李娜\n"
    assert owners(team.urls["王磊"]) == {}
    assert owners(team.urls["李娜"]) == {"李娜": 32}
    # Contacts and touches follow their customer.
    assert sql(team.urls["王磊"], "SELECT count(*) FROM touch")[0][0] == 0
    unknown = run(team.urls["陈晨"], "team", "reassign", "--from", "李娜", "--to", "无名氏")
    assert unknown.exit_code == 1 and "not on the team" in unknown.stderr


def test_a_member_taken_off_the_team_sees_nothing(team: Team):
    ok(run(team.admin, "team", "remove", "王磊"))
    result = run(team.urls["王磊"], "list")
    assert result.exit_code == 77 and "permission denied" in result.stderr
    # Only the tables' owner changes the team.
    refused = run(team.urls["陈晨"], "team", "add-seller", "新人", "--login", "xinren_never")
    assert refused.exit_code == 77 and "owner of the book's tables" in refused.stderr


def test_kehu_user_names_whose_book_the_lists_show(team: Team):
    assert owners(team.admin, env={"KEHU_USER": "李娜"}) == {"李娜": 16}
    info = ok(run(team.urls["王磊"], "info")).stdout
    assert f"王磊 (seller, login {team.logins['王磊']})" in info
    assert ":***@" in info and "pw-" not in info


def test_the_password_never_shows_in_errors(team: Team):
    from sqlalchemy.engine import make_url

    wrong = make_url(team.urls["王磊"]).set(password="wrong-secret").render_as_string(hide_password=False)
    result = run(wrong, "list")
    assert result.exit_code == 77 and "wrong-secret" not in result.stderr + result.stdout
    assert result.stderr.count("\n") == 1


def test_a_seller_imports_new_customers_as_their_own_and_not_a_colleagues(team: Team, tmp_path: Path):
    theirs = json.loads(ok(run(team.admin, "list", "--owner", "李娜", "-f", "json")).stdout)[0]["name"]
    before = ok(run(team.admin, "dump")).stdout
    mixed = tmp_path / "mixed.csv"
    mixed.write_text(f"name,grade\n王磊的新客户,B\n{theirs},A\n", encoding="utf-8")
    refused = run(team.urls["王磊"], "import", "customers", str(mixed))
    assert refused.exit_code == 65
    assert "line 3" in refused.stderr and f"not yours: customer {theirs!r} belongs to 李娜" in refused.stderr
    assert ok(run(team.admin, "dump")).stdout == before
    mine = tmp_path / "mine.csv"
    mine.write_text("name,grade\n王磊的新客户,B\n王磊的另一个客户,C\n", encoding="utf-8")
    ok(run(team.urls["王磊"], "import", "customers", str(mine)))
    assert owners(team.urls["王磊"]) == {"王磊": 18}


def test_a_colleagues_touches_and_visit_plans_cannot_be_corrected(team: Team):
    theirs = json.loads(ok(run(team.admin, "list", "--owner", "李娜", "-f", "json")).stdout)[0]
    ok(run(team.admin, "plan", str(theirs["id"]), "周五", "--purpose", "拜访"))
    plan_id = json.loads(ok(run(team.admin, "plan", "list", str(theirs["id"]), "-f", "json")).stdout)[0]["id"]
    touch_id = json.loads(ok(run(team.admin, "history", str(theirs["id"]), "-f", "json")).stdout)[0]["id"]
    before = ok(run(team.admin, "dump")).stdout
    for command in (["touch", "edit", str(touch_id), "--summary", "改了"], ["touch", "remove", str(touch_id)],
                    ["plan", "move", str(plan_id), "下周一"], ["plan", "cancel", str(plan_id)]):  # fmt: skip
        result = run(team.urls["王磊"], *command)
        assert result.exit_code == 1 and "no " in result.stderr, (command, result.stderr)
    visible = json.loads(ok(run(team.urls["王磊"], "plan", "list", "--all", "-f", "json")).stdout)
    assert plan_id not in [p["id"] for p in visible]
    assert ok(run(team.admin, "dump")).stdout == before
    ok(run(team.urls["李娜"], "plan", "move", str(plan_id), "下周一"))  # the owner may


def test_a_seller_on_a_book_older_than_kehu_is_told_to_ask_the_administrator(team: Team):
    # The book as an older kehu left it: 0012's index and policy not yet made (they need the
    # tables' owner).
    sql(team.admin, "DROP POLICY kehu_manager_writes ON target")
    sql(team.admin, "DROP INDEX ix_payment_instalment")
    sql(team.admin, "UPDATE alembic_version SET version_num = '0011'")
    refused = run(team.urls["王磊"], "list", env={"KEHU_LANG": "en"})
    assert refused.exit_code == 77
    assert "is at schema 0011" in refused.stderr and "ask them to run kehu on it once" in refused.stderr
    assert len(refused.stderr.splitlines()) == 1
    ok(run(team.admin, "info"))  # the administrator upgrades it; then the seller works again
    assert owners(team.urls["王磊"]) == {"王磊": 16}
