"""A team of two sellers and a manager on the demo book, for the team-mode tests: the `team`
fixture (tests/store/conftest.py) and ways to act as each member, through kehu or plain SQL."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kehu.cli.app import app
from tests.conftest import TODAY, pg_admin, pg_database
from tests.helpers import ok

EXAMPLES = Path(__file__).parents[2] / "examples"


@dataclass
class Team:
    admin: str  # the URL of the tables' owner
    urls: dict[str, str]  # member name → URL logging in as that member
    logins: dict[str, str]


def run(db: str, *args: str, input: str | None = None, env: dict | None = None):
    result = CliRunner().invoke(app, ["--db", db, "--today", TODAY, *args], input=input, env=env)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def as_login(url: str, login: str, password: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(username=login, password=password).render_as_string(hide_password=False)


def make_team(pg_template: str) -> Iterator[Team]:
    """The demo book (48 customers: 16 each of 王磊, 李娜, 陈晨) with 王磊 and 李娜 as sellers
    and 陈晨 as manager, each with a login of their own."""
    with pg_admin() as admin:
        can = admin.execute(
            "SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
    if not can[0]:
        pytest.skip("KEHU_TEST_PG_URL's role may not create roles (CREATEROLE)")
    tag = uuid.uuid4().hex[:8]
    logins = {"王磊": f"wl_{tag}", "李娜": f"ln_{tag}", "陈晨": f"cc_{tag}"}
    try:
        with pg_database(pg_template) as url:
            for kind in ("customers", "contacts", "touches"):
                ok(run(url, "import", kind, str(EXAMPLES / f"{kind}.csv")))
            for member, login in logins.items():
                command = "add-manager" if member == "陈晨" else "add-seller"
                ok(
                    run(
                        url,
                        "team",
                        command,
                        member,
                        "--login",
                        login,
                        "--password-stdin",
                        input=f"pw-{login}\n",
                    )
                )
            urls = {member: as_login(url, login, f"pw-{login}") for member, login in logins.items()}
            yield Team(url, urls, logins)
    finally:  # roles belong to the server, not the database: dropped once it is gone
        with pg_admin() as admin:
            for login in logins.values():
                admin.execute(f'DROP ROLE IF EXISTS "{login}"')


def owners(db: str, *args: str, env: dict | None = None) -> dict[str, int]:
    """How many customers of each owner `kehu list` shows."""
    rows = json.loads(ok(run(db, "list", "--format", "json", *args, env=env)).stdout)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["owner"]] = counts.get(row["owner"], 0) + 1
    return counts


def sql(url: str, statement: str, *params):
    """Run one statement as that URL's role with psycopg, bypassing kehu entirely."""
    import psycopg
    from sqlalchemy.engine import make_url

    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain, autocommit=True) as connection:
        cursor = connection.execute(statement, params or None)
        return cursor.fetchall() if cursor.description else cursor.rowcount


@contextmanager
def session(url: str):
    """One psycopg connection as that URL's role (autocommit), for attacks of several statements."""
    import psycopg
    from sqlalchemy.engine import make_url

    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain, autocommit=True) as connection:
        yield connection
