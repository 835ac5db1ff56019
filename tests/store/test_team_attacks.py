"""Team mode against a hostile seller (issue 12): each attack the review made with plain SQL as
a seller's or manager's role, and kehu's own team commands used against the team.

Every attack connects with psycopg as the member's own role, bypassing kehu, as a seller with
psql would; the book must come out of each exactly as it went in.
"""

from __future__ import annotations

import json
import os
import pty
import select
import sys
import time

import psycopg
import pytest

from tests.conftest import PG_URL, TODAY, pg_admin
from tests.helpers import ok
from tests.store.teams import Team, as_login, owners, run, session, sql

pytestmark = pytest.mark.skipif(not PG_URL, reason="KEHU_TEST_PG_URL is not set")

REFUSED = (psycopg.errors.InsufficientPrivilege,)


def first_of(team: Team, owner: str, table: str = "customer") -> int:
    column = "id" if table == "customer" else f"{table}.id"
    join = "" if table == "customer" else f"JOIN customer ON customer.id = {table}.customer_id"
    return sql(team.admin, f"SELECT min({column}) FROM {table} {join} WHERE owner = %s", owner)[0][0]  # noqa: S608


def test_a_temporary_team_table_does_not_make_a_seller_manager(team: Team):
    # Nobody but the database's owner makes temporary tables in a team's database …
    with session(team.urls["王磊"]) as seller, pytest.raises(REFUSED):
        seller.execute("CREATE TEMP TABLE team_member (login text, name text, manager boolean)")
    # … and were TEMP given back to a seller, the policies still read the book's team_member.
    with pg_admin() as admin:
        database = sql(team.admin, "SELECT current_database()")[0][0]
        admin.execute(f'GRANT TEMPORARY ON DATABASE "{database}" TO "{team.logins["王磊"]}"')
    with session(team.urls["王磊"]) as seller:
        seller.execute("CREATE TEMP TABLE team_member (login text, name text, manager boolean)")
        seller.execute("INSERT INTO team_member VALUES (current_user, '李娜', true)")
        seller.execute("SET search_path = pg_temp, public")
        assert seller.execute("SELECT DISTINCT owner FROM public.customer").fetchall() == [("王磊",)]
        assert seller.execute("SELECT kehu_me(), kehu_is_manager()").fetchone() == ("王磊", False)
        assert seller.execute("UPDATE public.customer SET owner = '王磊' WHERE owner = '李娜'").rowcount == 0
    assert owners(team.admin) == {"王磊": 16, "李娜": 16, "陈晨": 16}


def test_a_payment_cannot_point_at_a_colleagues_contract(team: Team):
    mine, theirs = first_of(team, "王磊"), first_of(team, "李娜")
    for customer in (mine, theirs):
        signed = ("--signed", TODAY, "--terms", "30")
        ok(run(team.admin, "contract", "add", str(customer), "--amount", "10万", *signed))
    their_contract = first_of(team, "李娜", "contract")
    with pytest.raises(REFUSED):
        sql(team.urls["王磊"], "INSERT INTO payment (customer_id, contract_id, amount, paid_on, created_at) "
                              "VALUES (%s, %s, 100000, %s, now())", mine, their_contract, TODAY)  # fmt: skip
    # Their contract is still owed in full, and stays in the receivables.
    contracts = json.loads(ok(run(team.admin, "contract", "list", str(theirs), "-f", "json")).stdout)
    assert [c["outstanding"] for c in contracts] == ["100000.00"]
    # Paying one's own contract still works.
    my_contract = first_of(team, "王磊", "contract")
    sql(team.urls["王磊"], "INSERT INTO payment (customer_id, contract_id, amount, paid_on, created_at) "
                          "VALUES (%s, %s, 1, %s, now())", mine, my_contract, TODAY)  # fmt: skip


def test_touches_and_plans_cannot_point_at_a_colleagues_contact_or_touch(team: Team):
    mine = first_of(team, "王磊")
    their_contact, their_touch = first_of(team, "李娜", "contact"), first_of(team, "李娜", "touch")
    seller = team.urls["王磊"]
    for statement, params in (
        ("INSERT INTO touch (customer_id, contact_id, happened_on, summary, created_at) "
         "VALUES (%s, %s, %s, 'x', now())", (mine, their_contact, TODAY)),
        ("INSERT INTO visit_plan (customer_id, contact_id, planned_on, purpose, status, created_at) "
         "VALUES (%s, %s, %s, 'x', 'planned', now())", (mine, their_contact, TODAY)),
        ("INSERT INTO visit_plan (customer_id, touch_id, planned_on, purpose, status, created_at) "
         "VALUES (%s, %s, %s, 'x', 'planned', now())", (mine, their_touch, TODAY)),
        ("UPDATE touch SET contact_id = %s WHERE customer_id = %s", (their_contact, mine)),
    ):  # fmt: skip
        with pytest.raises(REFUSED):
            sql(seller, statement, *params)
    my_contact = first_of(team, "王磊", "contact")
    sql(seller, "INSERT INTO touch (customer_id, contact_id, happened_on, summary, created_at) "
                "VALUES (%s, %s, %s, 'own', now())", mine, my_contact, TODAY)  # fmt: skip


def test_a_referrer_is_the_sellers_own_and_a_colleagues_referrer_is_not_theirs_to_delete(team: Team):
    mine, other_mine, theirs = first_of(team, "王磊"), first_of(team, "王磊") + 3, first_of(team, "李娜")
    assert sql(team.admin, "SELECT owner FROM customer WHERE id = %s", other_mine) == [("王磊",)]
    seller = team.urls["王磊"]
    with pytest.raises(REFUSED):
        sql(seller, "UPDATE customer SET referrer_id = %s WHERE id = %s", theirs, mine)
    with pytest.raises(REFUSED):
        sql(seller, "INSERT INTO customer (name, name_key, owner, grade, status, pipeline, stage, "
                    "referrer_id, created_at, updated_at) SELECT 'x', 'x', '王磊', grade, status, pipeline, "
                    "stage, %s, now(), now() FROM customer WHERE id = %s", theirs, mine)  # fmt: skip
    sql(seller, "UPDATE customer SET referrer_id = %s WHERE id = %s", other_mine, mine)  # one's own: fine
    # A colleague's customer referred by one of mine (the manager's doing): mine cannot go, or
    # its deletion would blank their row; editing mine, and theirs keeping the link, still work.
    ok(run(team.urls["陈晨"], "edit", str(theirs), "--referrer", str(other_mine)))
    with pytest.raises(REFUSED):
        sql(seller, "DELETE FROM customer WHERE id = %s", other_mine)
    ok(run(seller, "edit", str(other_mine), "--notes", "还是我的"))
    assert sql(team.admin, "SELECT referrer_id FROM customer WHERE id = %s", theirs) == [(other_mine,)]
    # A seller's customer already linked to a colleague's (by the manager) stays editable.
    ok(run(team.urls["陈晨"], "edit", str(mine), "--referrer", str(theirs)))
    ok(run(seller, "edit", str(mine), "--notes", "照常编辑"))


def test_only_the_tables_owner_changes_the_team(team: Team):
    manager, seller = team.urls["陈晨"], team.logins["王磊"]
    with pytest.raises(REFUSED):
        sql(manager, "UPDATE team_member SET manager = true WHERE login = %s", seller)
    with pytest.raises(REFUSED):
        sql(manager, "INSERT INTO team_member VALUES ('intruder', '入侵者', true, now())")
    with pytest.raises(REFUSED):
        sql(manager, "DELETE FROM team_member")
    assert owners(team.urls["王磊"], "--all-owners") == {"王磊": 16}


def test_whose_customer_is_answered_for_exact_names_only(team: Team):
    seller = team.urls["王磊"]
    theirs = sql(team.admin, "SELECT name_key FROM customer WHERE owner = '李娜' ORDER BY id LIMIT 1")[0][0]
    assert sql(seller, "SELECT kehu_owner_of(%s)", theirs) == [("李娜",)]
    assert sql(seller, "SELECT kehu_owner_of(NULL)") == [(None,)]
    with pytest.raises(psycopg.errors.UndefinedFunction):
        sql(seller, "SELECT kehu_owner_of(1, NULL)")


def test_a_colleagues_lock_makes_kehu_busy_not_stuck(team: Team):
    with session(team.urls["李娜"]) as other:
        other.execute("BEGIN")
        other.execute("LOCK TABLE customer IN ACCESS EXCLUSIVE MODE")
        started = time.monotonic()
        result = run(team.urls["王磊"], "followups", env={"KEHU_BUSY_TIMEOUT": "1"})
        waited = time.monotonic() - started
        other.execute("ROLLBACK")
    assert result.exit_code == 75, result.stderr
    assert "busy" in result.stderr and result.stderr.count("\n") == 1
    assert waited < 10


def test_adding_a_member_takes_no_existing_login_by_surprise(team: Team):
    wanglei = team.logins["王磊"]
    renamed = run(team.admin, "team", "add-seller", "王 磊", "--login", wanglei)
    assert renamed.exit_code == 1 and f"login {wanglei} is 王磊's already" in renamed.stderr
    owner = sql(team.admin, "SELECT current_user")[0][0]
    for login in (owner, "postgres"):
        refused = run(team.admin, "team", "add-seller", "超级", "--login", login)
        assert refused.exit_code == 77 and "sees every row" in refused.stderr, refused.stderr
    stranger = f"stranger_{wanglei}"
    with pg_admin() as admin:
        admin.execute(f'CREATE ROLE "{stranger}" LOGIN')
    try:
        unasked = run(team.admin, "team", "add-seller", "新人", "--login", stranger)
        assert unasked.exit_code == 1 and "--adopt" in unasked.stderr
        ok(run(team.admin, "team", "add-seller", "新人", "--login", stranger, "--adopt"))
        ok(run(team.admin, "team", "remove", "新人"))
        # What add granted, remove takes back: no privilege of the role is left on the database.
        left = sql(team.admin, """
            SELECT count(*) FROM pg_database d, aclexplode(d.datacl) a
            WHERE d.datname = current_database() AND a.grantee = (SELECT oid FROM pg_roles WHERE rolname = %s)
        """, stranger)  # fmt: skip
        assert left == [(0,)]
        schema_left = sql(team.admin, """
            SELECT count(*) FROM pg_namespace n, aclexplode(n.nspacl) a
            WHERE n.nspname = current_schema() AND a.grantee = (SELECT oid FROM pg_roles WHERE rolname = %s)
        """, stranger)  # fmt: skip
        assert schema_left == [(0,)]
        assert sql(team.admin, "SELECT count(*) FROM information_schema.role_table_grants "
                               "WHERE grantee = %s", stranger) == [(0,)]  # fmt: skip
    finally:
        with pg_admin() as admin:
            admin.execute(f'DROP ROLE IF EXISTS "{stranger}"')
    assert [m["name"] for m in json.loads(ok(run(team.admin, "team", "list", "-f", "json")).stdout)] == [
        "陈晨", "李娜", "王磊"
    ]  # fmt: skip


def test_a_password_typed_at_a_terminal_is_not_echoed(team: Team):
    login = f"tty_{team.logins['王磊']}"
    pid, terminal = pty.fork()
    if pid == 0:  # the child: kehu with the pseudo-terminal as its controlling terminal
        os.execvpe(sys.executable, [sys.executable, "-m", "kehu", "--db", team.admin, "team", "add-seller",
                                    "终端", "--login", login, "--password-stdin"], os.environ)  # fmt: skip
    seen = b""
    try:
        for answer in (b"typed-secret\n", b"typed-secret\n"):
            seen += _read_until(terminal, b": ")
            os.write(terminal, answer)
        seen += _read_until(terminal, None)
        _pid, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0, seen.decode(errors="replace")
        assert b"typed-secret" not in seen
        assert "is on the team as seller" in seen.decode()
        assert sql(as_login(team.admin, login, "typed-secret"), "SELECT current_user") == [(login,)]
    finally:
        os.close(terminal)
        ok(run(team.admin, "team", "remove", "终端"))
        with pg_admin() as admin:
            admin.execute(f'DROP ROLE IF EXISTS "{login}"')


def _read_until(fd: int, marker: bytes | None, timeout: float = 30) -> bytes:
    """What the terminal shows until `marker` (None: until the program ends)."""
    seen = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and (marker is None or marker not in seen):
        ready, _w, _x = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 1024)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
    return seen


def test_revision_0007_closes_the_holes_of_a_team_book_made_before_it(team: Team):
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from kehu.store import db

    engine = create_engine(team.admin)
    with engine.begin() as connection:  # back to revision 0006, with the grants 0006's kehu made
        config = Config()
        config.set_main_option("script_location", str(db.Path(db.__file__).parent / "migrations"))
        config.attributes["connection"] = connection
        command.downgrade(config, "0006")
        connection.exec_driver_sql(f'GRANT INSERT, UPDATE, DELETE ON team_member TO "{team.logins["陈晨"]}"')
    engine.dispose()
    assert sql(team.urls["王磊"], "SELECT kehu_owner_of(1, NULL)") != [(None,)]  # the old hole
    from kehu.store.schema import HEAD_REVISION

    ok(run(team.admin, "info"))  # kehu opens the book and brings it through 0007 to the head
    assert sql(team.admin, "SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]
    with pytest.raises(REFUSED):
        sql(team.urls["陈晨"], "UPDATE team_member SET manager = true")
    theirs = sql(team.admin, "SELECT name FROM customer WHERE owner = '李娜' ORDER BY id LIMIT 1")[0][0]
    refused = run(team.urls["王磊"], "show", theirs)
    assert refused.exit_code == 77 and "李娜" in refused.stderr


def test_a_member_name_with_an_invisible_character_is_refused(team: Team):
    result = run(team.admin, "team", "add-seller", "王\u200b磊", "--login", f"zw_{team.logins['王磊']}")
    assert result.exit_code == 2 and "invisible characters" in result.stderr
    assert "\u200b" not in result.stderr  # shown escaped, as every text from a user
