"""Shared fixtures: a fresh database per test, a fixed today, and ways to run kehu.

`kehu(*args)` runs the real command in-process through Typer's CliRunner (fast; stdout and
stderr kept apart); `kehu_process(*args)` runs `python -m kehu` as a subprocess for exit codes,
pipes, encodings and concurrency.

Both backends (issue 7): the book a test runs kehu on is a SQLite file, and, when
KEHU_TEST_PG_URL names a PostgreSQL role that may create databases, the same test runs again on
a PostgreSQL database of its own (ids `[sqlite]` / `[postgresql]`). A test that looks at the
SQLite file itself (it asks for `db_path`) or is marked `sqlite_only` runs on SQLite alone.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kehu.cli.app import app

TODAY = "2026-11-23"  # a Monday
PG_URL = os.environ.get("KEHU_TEST_PG_URL")
BACKENDS = ("sqlite", "postgresql") if PG_URL else ("sqlite",)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: runs on SQLite alone (what it checks is SQLite's)")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" not in metafunc.fixturenames:
        return
    sqlite_only = "db_path" in metafunc.fixturenames or metafunc.definition.get_closest_marker("sqlite_only")
    metafunc.parametrize("backend", ("sqlite",) if sqlite_only else BACKENDS, indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A PostgreSQL database at kehu's current schema, copied for each test (CREATE DATABASE …
    TEMPLATE takes ~30 ms; running the migrations each time would take ten times that)."""
    from kehu.store.db import open_store
    from kehu.store.location import Location

    name = f"kehu_template_{uuid.uuid4().hex[:8]}"
    with pg_admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = pg_database_url(name)
    open_store(Location(url, None, "option")).close()
    try:
        yield name
    finally:
        drop_database(name)


@contextmanager
def pg_admin():
    """An autocommit psycopg connection as KEHU_TEST_PG_URL's role, for CREATE/DROP DATABASE."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(PG_URL).set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as connection:
        yield connection


@contextmanager
def pg_database(template: str | None = None) -> Iterator[str]:
    """A fresh PostgreSQL database (a copy of `template`, else empty): its URL; dropped after."""
    name = f"kehu_test_{uuid.uuid4().hex[:12]}"
    with pg_admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    try:
        yield pg_database_url(name)
    finally:
        drop_database(name)


def drop_database(name: str) -> None:
    """DROP DATABASE, waiting a little for a session still closing. Not WITH (FORCE): that needs
    the right to signal every backend in it, and an autovacuum worker (which a plain DROP stops
    by itself) belongs to no role a test's role is a member of: it failed CI once."""
    import time

    import psycopg

    for _attempt in range(100):
        try:
            with pg_admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            return
        except psycopg.errors.ObjectInUse:
            time.sleep(0.05)
    with pg_admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pg_database_url(name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


@pytest.fixture
def target_db(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """What `--db` names for this test: a SQLite file in its temp dir, or a fresh PostgreSQL
    database at the current schema (dropped afterwards)."""
    if backend == "sqlite":
        yield str(tmp_path / "book.db")
        return
    with pg_database(request.getfixturevalue("pg_template")) as url:
        yield url


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's own config, database or language."""
    isolate(monkeypatch, tmp_path)


# One cache directory for the whole run (the pinyin tables: 1 s to build, 15 ms to read back),
# not the developer's, and not one per test, which would build them again in every process.
CACHE_HOME = Path(tempfile.mkdtemp(prefix="kehu-test-cache-"))


def isolate(patch: pytest.MonkeyPatch, folder: Path) -> None:
    """kehu's environment with nothing of the developer's: config and data below `folder`, the
    cache in the run's own CACHE_HOME."""
    for variable in ("KEHU_DB", "KEHU_TODAY", "KEHU_LANG", "LC_ALL", "LANGUAGE", "KEHU_DEBUG"):
        patch.delenv(variable, raising=False)
    patch.setenv("LANG", "C.UTF-8")
    patch.setenv("KEHU_CONFIG", str(folder / "config" / "config.toml"))
    patch.setenv("XDG_DATA_HOME", str(folder / "data"))
    patch.setenv("XDG_CONFIG_HOME", str(folder / "config"))
    patch.setenv("XDG_CACHE_HOME", str(CACHE_HOME))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "book.db"


@pytest.fixture
def kehu(target_db: str) -> Callable[..., Result]:
    """Run kehu in-process on the test's database, as if today were TODAY."""
    runner = CliRunner()

    def run(*args: str, input: str | bytes | None = None, env: dict | None = None) -> Result:
        result = runner.invoke(app, ["--db", target_db, "--today", TODAY, *args], input=input, env=env)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Result(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def kehu_process(target_db: str) -> Callable[..., subprocess.CompletedProcess]:
    """Run `python -m kehu` in a subprocess (bytes in, bytes out)."""

    def run(
        *args: str, input: bytes | None = None, env: dict | None = None, db: bool = True
    ) -> subprocess.CompletedProcess:
        full_env = {**os.environ, **(env or {})}
        prefix = ["--db", target_db, "--today", TODAY] if db else []
        return subprocess.run(
            [sys.executable, "-m", "kehu", *prefix, *args],
            input=input,
            capture_output=True,
            env=full_env,
            timeout=120,
        )

    return run


@pytest.fixture
def on(target_db: str) -> Callable[..., object]:
    """Run kehu on the test's database as if today were `day` (`on("2028-02-25", "add", …)`).

    `--today` also dates what a command writes (a card added "on" a day counts as added then),
    so no clock needs patching: results do not depend on when or where the tests run.
    """
    runner = CliRunner()

    def run(day: str, *args: str, env: dict | None = None):
        result = runner.invoke(app, ["--db", target_db, "--today", day, *args], env=env)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result

    return run


@pytest.fixture
def store(target_db: str):
    """The test's book opened with kehu's own store, for tests of the layers under the CLI."""
    from kehu.store.db import open_store
    from kehu.store.location import resolve_location

    opened = open_store(resolve_location(target_db))
    try:
        yield opened
    finally:
        opened.close()
