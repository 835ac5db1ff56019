"""A SQLite file someone sends is only data (issue 12, items 5, 6, 13, 14, 16).

kehu opens the file it checked, however it is named; refuses one holding triggers or views it
did not make, a column dropped or added by hand, a revision set back by hand, and anything but a
regular file; `kehu check` lists all of that; Ctrl-C stops a statement that runs away; a bad
KEHU_BUSY_TIMEOUT or database URL is one line; `backup --force` replaces only an older backup.
Every refusal leaves the file byte for byte as it was.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kehu.store.schema import HEAD_REVISION, KNOWN_REVISIONS, SQLITE_ADDED_BY, SQLITE_TRIGGERS_AND_VIEWS
from tests.conftest import TODAY

pytestmark = pytest.mark.sqlite_only


def kehu_run(db: str, *args: str, env: dict | None = None, timeout: float = 60):
    """`python -m kehu --db DB ARGS` as a process (text out)."""
    return subprocess.run(
        [sys.executable, "-m", "kehu", "--db", db, "--today", TODAY, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
    )


def refused(result: subprocess.CompletedProcess, code: int, *words: str) -> None:
    """Exit `code`, one line on stderr holding `words`, nothing on stdout, no traceback."""
    assert result.returncode == code, result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith("kehu: ") and result.stderr.count("\n") == 1, result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr


def book(path: Path, *sql: str) -> bytes:
    """A kehu book at `path` with two customers, then `sql` run on it with the standard library
    (as someone else's program would); its bytes, no -wal beside it."""
    for name in ("甲公司", "乙公司"):
        assert kehu_run(str(path), "add", name).returncode == 0
    connection = sqlite3.connect(path)
    try:
        for statement in sql:
            connection.execute(statement)
        connection.commit()
    finally:
        connection.close()
    assert not Path(f"{path}-wal").exists()
    return path.read_bytes()


def owners(path: Path) -> list:
    connection = sqlite3.connect(path)
    try:
        return [row[0] for row in connection.execute("SELECT owner FROM customer ORDER BY id")]
    finally:
        connection.close()


# --- item 5: the file checked is the file opened --------------------------------------------


def other_program_file(path: Path) -> bytes:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT)")
    connection.execute("INSERT INTO note (text) VALUES ('not kehu''s')")
    connection.commit()
    connection.close()
    return path.read_bytes()


@pytest.mark.parametrize(
    "form",
    ["{path}", "sqlite:///{path}", "sqlite+pysqlite:///{path}", "sqlite:///{path}?x=1", "sqlite:///{path}?x"],
)
def test_another_programs_file_is_refused_however_it_is_named(tmp_path, form):
    path = tmp_path / "other.db"
    before = other_program_file(path)
    result = kehu_run(form.format(path=path), "add", "X")
    assert result.returncode == 78, result.stderr
    assert "internal error" not in result.stderr and result.stderr.count("\n") == 1
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_a_question_mark_in_a_plain_path_is_part_of_the_name(tmp_path):
    path = tmp_path / "other.db"
    before = other_program_file(path)
    odd = tmp_path / "other.db?x=1"
    ok_result = kehu_run(str(odd), "add", "X")
    assert ok_result.returncode == 0, ok_result.stderr
    assert path.read_bytes() == before
    assert odd.exists()


def test_a_url_names_its_file_with_percent_escapes(tmp_path):
    result = kehu_run(f"sqlite:///{tmp_path}/a%20b.db", "add", "X")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "a b.db").exists()


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("sqlite://", ("names no file",)),
        ("sqlite:///:memory:", ("names no file",)),
        ("sqlite+aiosqlite:///{tmp}/a.db", ("sqlite:///PATH",)),
        ("sqlite:///{tmp}/a.db?mode=ro&uri=true", ("sqlite:///PATH",)),
        ("postgresql+psycopg://u:secret@localhost:abc/db", ("port must be a number",)),
        ("nosuchdb://u@localhost/db", ("knows no database nosuchdb",)),
        ("postgresql+asyncpg://u:secret@localhost/db", ("knows no database postgresql+asyncpg",)),
        # A bare @ in the password: what follows it once came out as the "host" (issue 12, item 8).
        ("postgresql+psycopg://u:se@cret-rest@localhost/db", ("%40",)),
    ],
)
def test_a_database_url_kehu_cannot_use_is_one_line_78(tmp_path, url, words):
    result = kehu_run(url.format(tmp=tmp_path), "info")
    refused(result, 78, *words)
    assert "secret" not in result.stderr and "cret-rest" not in result.stderr
    assert list(tmp_path.iterdir()) == []


# --- item 6: triggers and views kehu did not make ------------------------------------------

ATTACK = "CREATE TRIGGER steal AFTER INSERT ON touch BEGIN UPDATE customer SET owner = 'ATTACKER'; END"


def test_a_book_with_a_foreign_trigger_is_refused_and_the_trigger_never_runs(tmp_path):
    path = tmp_path / "book.db"
    before = book(path, ATTACK)
    refused(kehu_run(str(path), "log", "甲公司", "电话沟通"), 78, "trigger steal was not made by kehu")
    refused(kehu_run(str(path), "list"), 78, "trigger steal")
    assert path.read_bytes() == before
    assert owners(path) == [None, None]


def test_a_recursive_trigger_is_refused_at_once_not_run_forever(tmp_path):
    path = tmp_path / "book.db"
    before = book(
        path,
        "PRAGMA recursive_triggers = ON",
        "CREATE TRIGGER loop AFTER UPDATE ON customer"
        " BEGIN UPDATE customer SET notes = 'x' WHERE id = NEW.id; END",
    )
    started = time.monotonic()
    refused(kehu_run(str(path), "edit", "甲公司", "--notes", "y", timeout=30), 78, "trigger loop")
    assert time.monotonic() - started < 20
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("sql", "words"),
    [
        ("CREATE VIEW customer_view AS SELECT * FROM customer", "view customer_view was not made by kehu"),
        ("CREATE VIRTUAL TABLE notes USING rtree(id, x0, x1)", "virtual table notes was not made by kehu"),
        ("CREATE TEMP TABLE t (x)", None),  # a temporary table is not in the file: nothing to refuse
    ],
)
def test_views_and_virtual_tables_are_refused(tmp_path, sql, words):
    path = tmp_path / "book.db"
    before = book(path, sql)
    result = kehu_run(str(path), "list", "--format", "csv")
    if words is None:
        assert result.returncode == 0, result.stderr
        return
    refused(result, 78, words)
    assert path.read_bytes() == before


def test_check_lists_every_problem_and_fixes_nothing(tmp_path):
    path = tmp_path / "book.db"
    before = book(
        path,
        ATTACK,
        "CREATE VIEW v AS SELECT 1",
        "ALTER TABLE customer DROP COLUMN phone",
        "ALTER TABLE contact ADD COLUMN secret TEXT",
        "PRAGMA foreign_keys = OFF",
        "INSERT INTO contact (customer_id, name, name_key, birthday_lunar, is_key, created_at, updated_at)"
        " VALUES (99, '孤儿', '孤儿', 0, 0, '2026-11-23 00:00:00', '2026-11-23 00:00:00')",
    )
    for args in (["check"], ["check", "--fix"]):
        result = kehu_run(str(path), *args)
        assert result.returncode == 1, result.stderr
        lines = result.stderr.splitlines()
        assert lines[0] == "kehu: check failed: 5 problems"
        assert lines[1:] == [
            "schema: trigger steal was not made by kehu",
            "schema: view v was not made by kehu",
            "schema: table customer has no column phone",
            "schema: table contact has a column kehu does not know: secret",
            "foreign key: contact row 1 refers to a missing customer",
            "due dates not checked: the file is not as kehu left it",
        ]
        assert path.read_bytes() == before


def test_kehus_own_book_holds_no_trigger_or_view(tmp_path):
    """SQLITE_TRIGGERS_AND_VIEWS lists what kehu's migrations make: a migration that adds one
    must add it there, or every book would be refused."""
    path = tmp_path / "book.db"
    book(path)
    connection = sqlite3.connect(path)
    rows = connection.execute("SELECT name FROM sqlite_master WHERE type IN ('trigger', 'view')")
    made = {name for (name,) in rows}
    connection.close()
    assert made == set(SQLITE_TRIGGERS_AND_VIEWS)
    assert kehu_run(str(path), "check").returncode == 0


# --- Ctrl-C during a statement that runs away -----------------------------------------------

# Runs kehu with its read (or write) transactions starting with a statement that never ends, as
# a trigger kehu did not make once did; says "running" on stderr just before it. SIGINT is set to
# Python's default handler, as for a kehu started from a terminal.
ENDLESS = """
import signal, sys
from contextlib import contextmanager
from kehu.store import db

signal.signal(signal.SIGINT, signal.default_int_handler)
ENDLESS = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
kind, args = sys.argv[1], sys.argv[2:]
real = getattr(db.Store, kind)

@contextmanager
def endless(self):
    with real(self) as connection:
        if kind == "write":
            connection.execute("UPDATE customer SET notes = 'half-way'")
        print("running", file=sys.stderr, flush=True)
        connection.execute(ENDLESS)
        yield connection

setattr(db.Store, kind, endless)
sys.argv = ["kehu", *args]
from kehu.cli.app import main
main()
"""


@pytest.mark.parametrize(
    ("kind", "command"), [("read", ["list"]), ("write", ["edit", "甲公司", "--notes", "x"])]
)
def test_ctrl_c_stops_a_statement_that_runs_away(tmp_path, kind, command):
    path = tmp_path / "book.db"
    book(path)
    process = subprocess.Popen(
        [sys.executable, "-c", ENDLESS, kind, "--db", str(path), "--today", TODAY, *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr.readline() == "running\n"
        time.sleep(0.3)  # well inside the statement
        process.send_signal(signal.SIGINT)
        started = time.monotonic()
        stdout, stderr = process.communicate(timeout=10)
    finally:
        process.kill()
        process.wait()
    assert time.monotonic() - started < 3
    assert (process.returncode, stdout, stderr) == (130, "", "kehu: interrupted; nothing was written\n")
    connection = sqlite3.connect(path)
    assert connection.execute("SELECT count(*) FROM customer WHERE notes IS NOT NULL").fetchone() == (0,)
    connection.close()


# --- item 13: a schema changed by hand ------------------------------------------------------


def test_a_revision_set_back_by_hand_is_refused_and_nothing_changes(tmp_path):
    path = tmp_path / "book.db"
    before = book(path, "UPDATE alembic_version SET version_num = '0003'")
    refused(kehu_run(str(path), "list"), 78, "alembic_version says schema 0003", "payment")
    refused(kehu_run(str(path), "check"), 78, "alembic_version says schema 0003")
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("sql", "words"),
    [
        ("ALTER TABLE customer DROP COLUMN phone", "table customer has no column phone"),
        ("ALTER TABLE customer ADD COLUMN mood TEXT DEFAULT ''", "a column kehu does not know: mood"),
        ("DROP TABLE payment", "table payment is missing"),
    ],
)
def test_a_column_or_table_changed_by_hand_is_refused_before_any_output(tmp_path, sql, words):
    path = tmp_path / "book.db"
    before = book(path, sql)
    refused(kehu_run(str(path), "list", "--format", "csv"), 78, words)
    assert path.read_bytes() == before


def test_sqlite_added_by_matches_what_the_revisions_build(tmp_path):
    from sqlalchemy import create_engine

    from kehu.store.migrate import run_alembic_upgrade

    before: set[str] = set()
    for revision in KNOWN_REVISIONS:
        engine = create_engine(f"sqlite:///{tmp_path / 'steps.db'}")
        with engine.begin() as connection:
            run_alembic_upgrade(connection, revision)
            names = {
                name
                for (name,) in connection.exec_driver_sql("SELECT name FROM sqlite_master")
                if not name.startswith("sqlite_")
            }
        engine.dispose()
        assert names >= before
        if revision != KNOWN_REVISIONS[0]:
            assert names - before == SQLITE_ADDED_BY.get(revision, frozenset()), revision
        before = names
    assert set(SQLITE_ADDED_BY) <= set(KNOWN_REVISIONS[1:])
    assert KNOWN_REVISIONS[-1] == HEAD_REVISION


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e30", "-5", "five"])
def test_a_bad_busy_timeout_is_a_configuration_error(tmp_path, value):
    result = kehu_run(str(tmp_path / "book.db"), "info", env={"KEHU_BUSY_TIMEOUT": value})
    refused(result, 78, f"KEHU_BUSY_TIMEOUT={value}", "seconds")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("value", ["0", "0.5", "", "2147483"])
def test_a_busy_timeout_in_range_is_taken(tmp_path, value):
    result = kehu_run(str(tmp_path / "book.db"), "add", "X", env={"KEHU_BUSY_TIMEOUT": value})
    assert result.returncode == 0, result.stderr


# --- item 14: only a regular file is a database ---------------------------------------------


def test_a_device_is_not_a_database(tmp_path):
    journal = Path("/dev/null-journal")
    existed = journal.exists()
    refused(kehu_run("/dev/null", "info"), 73, "/dev/null is not a regular file")
    refused(kehu_run("/dev/null", "backup", str(tmp_path / "copy.db")), 73, "not a regular file")
    assert journal.exists() == existed
    assert list(tmp_path.iterdir()) == []


def test_a_pipe_is_not_a_database_and_nothing_waits_on_it(tmp_path):
    pipe = tmp_path / "pipe.db"
    os.mkfifo(pipe)
    refused(kehu_run(str(pipe), "info", timeout=20), 73, "not a regular file")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe.db"]


# --- item 16: backup --force replaces only an older backup -----------------------------------


@pytest.mark.parametrize("kind", ["text", "other program's database", "empty"])
def test_backup_force_replaces_only_a_kehu_database(tmp_path, kind):
    path = tmp_path / "book.db"
    book(path)
    target = tmp_path / "target"
    if kind == "text":
        target.write_text("root:x:0:0:root:/root:/bin/bash\n")
    elif kind == "empty":
        target.write_bytes(b"")
    else:
        other_program_file(target)
    before = target.read_bytes()
    result = kehu_run(str(path), "backup", str(target), "--force")
    refused(result, 73, "not a kehu database", "--force replaces only")
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.db", "target"]


def test_backup_force_replaces_an_older_backup(tmp_path):
    path = tmp_path / "book.db"
    book(path)
    target = tmp_path / "copy.db"
    assert kehu_run(str(path), "backup", str(target)).returncode == 0
    assert kehu_run(str(path), "add", "丙公司").returncode == 0
    result = kehu_run(str(path), "backup", str(target), "--force")
    assert result.returncode == 0, result.stderr
    assert "3 customers" in result.stderr


@pytest.mark.skipif(importlib.util.find_spec("psycopg2") is not None, reason="psycopg2 is installed here")
def test_a_postgresql_driver_that_is_not_installed_says_how_to_install(tmp_path):
    # A psycopg that cannot be imported, first on the path: as on a machine without the extra.
    (tmp_path / "psycopg").mkdir()
    (tmp_path / "psycopg" / "__init__.py").write_text("raise ImportError('no psycopg here')\n")
    for url in ("postgresql+psycopg://u:secret@localhost/db", "postgresql://u:secret@localhost/db"):
        result = kehu_run(url, "info", env={"PYTHONPATH": str(tmp_path)})
        refused(result, 78, "pip install 'kehu[postgresql]'")
        assert "secret" not in result.stderr


def test_another_postgresql_driver_is_refused(tmp_path):
    refused(kehu_run("postgresql+psycopg2://u:secret@localhost/db", "info"), 78, "knows no database")


def test_a_plain_postgresql_url_means_kehus_own_driver(tmp_path):
    # Port 1 of this machine: nobody listens, so the driver itself answers, and it is psycopg.
    result = kehu_run("postgresql://u:secret@127.0.0.1:1/db", "info")
    assert result.returncode != 0 and "ModuleNotFoundError" not in result.stderr
    assert "internal error" not in result.stderr and result.stderr.count("\n") == 1
