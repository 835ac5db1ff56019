"""Team mode's statements as SQL text through psycopg: what reaches the server, and names that
would read as parameters."""

from __future__ import annotations

import uuid
from urllib.parse import quote

import psycopg
import pytest

from tests.conftest import PG_URL, drop_database, pg_admin, pg_database_url
from tests.helpers import ok
from tests.store.teams import Team, as_login, run, sql

pytestmark = pytest.mark.skipif(not PG_URL, reason="KEHU_TEST_PG_URL is not set")


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every statement kehu's psycopg cursors send from now on (recorded, then run as they were)."""
    statements: list[str] = []
    execute = psycopg.Cursor.execute

    def recording(cursor, query, params=None, **options):
        statements.append(query if isinstance(query, str) else repr(query))
        return execute(cursor, query, params, **options)

    monkeypatch.setattr(psycopg.Cursor, "execute", recording)
    return statements


def test_a_password_is_sent_as_a_verifier_and_never_repeated(team: Team, sent: list[str]):
    login = f"pw_{team.logins['王磊']}"
    try:
        ok(run(team.admin, "team", "add-seller", "密码测试", "--login", login, "--password-stdin",
               input="very-secret-words\n"))  # fmt: skip
        assert not [s for s in sent if "very-secret-words" in s]
        assert [s for s in sent if "PASSWORD 'SCRAM-SHA-256$" in s]
        # The verifier is a password the server accepts.
        assert sql(as_login(team.admin, login, "very-secret-words"), "SELECT current_user") == [(login,)]
    finally:
        ok(run(team.admin, "team", "remove", "密码测试"))
        with pg_admin() as admin:
            admin.execute(f'DROP ROLE IF EXISTS "{login}"')
    nul = run(team.admin, "team", "add-seller", "坏密码", "--login", f"nul_{login}", "--password-stdin",
              input="abc\x00secret-after-nul\n")  # fmt: skip
    assert nul.exit_code == 2 and "secret-after-nul" not in nul.stderr and "control character" in nul.stderr
    assert not [s for s in sent if "secret-after-nul" in s]


def test_a_database_whose_name_reads_as_a_parameter_gets_a_team(pg_template: str):
    """GRANT and REVOKE name the database: `:x` or `%` in its name is no parameter."""
    name = f"kehu:team_{uuid.uuid4().hex[:6]}%"
    login = f"colon_{uuid.uuid4().hex[:6]}"
    with pg_admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"')
    url = pg_database_url("x").rsplit("/", 1)[0] + "/" + quote(name, safe="")
    try:
        ok(run(url, "team", "add-seller", "冒号", "--login", login))
        assert sql(url, "SELECT has_table_privilege(%s, 'customer', 'SELECT')", login) == [(True,)]
        ok(run(url, "team", "remove", "冒号"))
        assert sql(url, "SELECT has_table_privilege(%s, 'customer', 'SELECT')", login) == [(False,)]
    finally:
        drop_database(name)
        with pg_admin() as admin:
            admin.execute(f'DROP ROLE IF EXISTS "{login}"')


def test_a_member_cannot_load_a_dump(team: Team, tmp_path):
    """A load writes every owner's customers and moves the id sequences on: the tables' owner's."""
    source = tmp_path / "source.db"
    ok(run(str(source), "add", "甲公司"))
    text = ok(run(str(source), "dump")).stdout
    before = ok(run(team.admin, "dump")).stdout
    result = run(team.urls["陈晨"], "load", "-", input=text)
    assert result.exit_code == 77, result.stderr
    assert "only the owner of the book's tables can load a dump" in result.stderr
    assert ok(run(team.admin, "dump")).stdout == before
