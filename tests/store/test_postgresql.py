"""The same book on PostgreSQL (team mode, issue 7): runs when KEHU_TEST_PG_URL names a server.

KEHU_TEST_PG_URL is a SQLAlchemy URL of a role that may create databases, e.g.
postgresql+psycopg://kehu:kehu@localhost/postgres; each test gets a database of its own.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kehu.cli.app import app
from tests.conftest import TODAY, pg_database
from tests.helpers import ok

ADMIN_URL = os.environ.get("KEHU_TEST_PG_URL")
EXAMPLES = Path(__file__).parents[2] / "examples"

pytestmark = pytest.mark.skipif(not ADMIN_URL, reason="KEHU_TEST_PG_URL is not set")


@pytest.fixture
def pg_url() -> Iterator[str]:
    with pg_database() as url:
        yield url


def run(db: str | Path, *args: str, input: str | None = None):
    return CliRunner().invoke(app, ["--db", str(db), "--today", TODAY, *args], input=input)


def demo(db: str | Path) -> None:
    for kind in ("customers", "contacts", "touches"):
        ok(run(db, "import", kind, str(EXAMPLES / f"{kind}.csv")))


def test_every_view_is_the_same_on_both_backends(pg_url: str, tmp_path: Path):
    sqlite = tmp_path / "book.db"
    demo(sqlite)
    ok(run(pg_url, "load", "-", input=ok(run(sqlite, "dump")).stdout))
    for command in (
        ["followups", "week", "-f", "csv"], ["list", "-f", "csv"], ["show", "杭州海纳科技"],
        ["report", "-f", "csv"], ["report", "funnel", "-f", "csv"], ["export", "contacts"],
        ["list", "--search", "hzkj", "-f", "csv"], ["grade", "review", "-f", "csv"],
    ):  # fmt: skip
        assert run(pg_url, *command).stdout == run(sqlite, *command).stdout, command


def test_sqlite_dump_postgresql_dump_gives_the_same_records(pg_url: str, tmp_path: Path):
    sqlite = tmp_path / "book.db"
    demo(sqlite)
    dump = ok(run(sqlite, "dump")).stdout
    ok(run(pg_url, "load", "-", input=dump))
    assert ok(run(pg_url, "dump")).stdout == dump
    # Ids written by the load do not collide with the next ones PostgreSQL hands out.
    assert ok(run(pg_url, "add", "新客户")).stderr == "added customer 49: 新客户\n"


def test_the_password_never_shows(pg_url: str):
    from sqlalchemy.engine import make_url

    url = make_url(pg_url)
    info = ok(run(pg_url, "info")).stdout
    assert url.password and f":{url.password}@" not in info and ":***@" in info
    wrong = url.set(password="s3cret-wrong").render_as_string(hide_password=False)
    result = run(wrong, "info")
    assert result.exit_code != 0 and "s3cret-wrong" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1, result.stderr
