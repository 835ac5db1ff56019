"""`kehu backup` and `kehu check` (issue 6).

A backup is one consistent moment of the book, taken with SQLite's online backup API while
other processes keep writing; it appears whole or not at all. `kehu check` exits 0 only when
the file's integrity, its foreign keys and every stored due date hold, and lists what does not.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kehu.store import backup as store_backup
from kehu.store.location import resolve_location
from tests.conftest import TODAY
from tests.helpers import customer_count, ok

WRITERS = 2
# Enough that the writers are still adding when a backup ends (an add takes ~5 ms in-process).
ADDS_EACH = 3000

# argv: db, writer number, count. Adds 备份客户{w}-{i} for i in 0..count-1, in order.
# Today: $KEHU_TODAY.
WRITER = """
import sys
import typer.testing
from typer.testing import CliRunner
from kehu.cli.app import app
command = typer.testing._get_command(app)  # built once, as a real kehu process does
typer.testing._get_command = lambda _app: command
runner = CliRunner()
db, writer, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
for i in range(count):
    r = runner.invoke(app, ["--db", db, "add", f"备份客户{writer}-{i}"])
    if r.exit_code != 0:
        print(r.exit_code, r.stderr, file=sys.stderr)
        sys.exit(1)
"""


def _assert_one_moment(backup: Path, customers: int | None = None) -> int:
    """The copy passes integrity and foreign key checks, and holds each writer's first k names
    and no later one: a moment of the book, not a mix of moments."""
    connection = sqlite3.connect(backup)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        names = [row[0] for row in connection.execute("SELECT name FROM customer WHERE name LIKE '备份%'")]
        count = connection.execute("SELECT count(*) FROM customer").fetchone()[0]
    finally:
        connection.close()
    for writer in range(WRITERS):
        numbers = sorted(int(n.split("-")[1]) for n in names if n.startswith(f"备份客户{writer}-"))
        assert numbers == list(range(len(numbers)))
    if customers is not None:
        assert count == customers
    return count


@pytest.fixture
def writers(tmp_path: Path, db_path: Path, kehu):
    """Two processes adding customers to the book; yields once they have added a few."""
    ok(kehu("add", "甲公司", "--grade", "A"))
    env = {**os.environ, "KEHU_CONFIG": str(tmp_path / "no-config.toml"), "KEHU_TODAY": TODAY}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db_path), str(w), str(ADDS_EACH)],
            stderr=subprocess.PIPE,
            env=env,
        )
        for w in range(WRITERS)
    ]
    deadline = time.monotonic() + 60
    while customer_count(db_path) < 1 + 10 and time.monotonic() < deadline:
        time.sleep(0.05)
    yield processes
    for process in processes:
        process.send_signal(signal.SIGTERM) if process.poll() is None else None
        process.communicate(timeout=60)


def test_a_backup_while_two_processes_write_is_one_moment(writers, db_path, tmp_path, monkeypatch):
    """In small steps, pausing between them: the writers commit between the steps, and the copy is
    still exactly the snapshot counted when it began."""
    monkeypatch.setattr(store_backup, "STEP_PAGES", 2)
    seen = []

    def progress(done: int, total: int) -> None:
        seen.append(customer_count(db_path))
        time.sleep(0.01)

    start = customer_count(db_path)
    result = store_backup.backup(resolve_location(str(db_path)), tmp_path / "copy.db", progress=progress)
    end = customer_count(db_path)
    assert len(seen) > 3 and max(seen) > result.customers  # the book grew while it was copied
    assert start <= result.customers <= end
    _assert_one_moment(tmp_path / "copy.db", result.customers)
    assert all(p.poll() is None for p in writers)  # still writing, none blocked out


def test_kehu_backup_while_two_processes_write(writers, kehu_process, db_path, tmp_path):
    target = tmp_path / "备份" / "kehu.db"
    target.parent.mkdir()
    start = customer_count(db_path)
    result = kehu_process("backup", str(target))
    end = customer_count(db_path)
    assert result.returncode == 0, result.stderr
    copied = _assert_one_moment(target)
    assert start <= copied <= end
    message = f"backed up {db_path} to {target}: {copied} customers, "
    assert result.stderr.decode().startswith(message) and result.stderr.decode().count("\n") == 1
    assert result.stdout == b""  # no progress bar outside a terminal
    assert sorted(p.name for p in target.parent.iterdir()) == ["kehu.db"]  # no temporary file left
    info = kehu_process("--db", str(target), "info", "--format", "json", db=False)
    assert json.loads(info.stdout)[0]["customers"] == copied
    assert kehu_process("--db", str(target), "check", db=False).returncode == 0
    for process in writers:
        assert process.wait(timeout=120) == 0, process.stderr.read().decode()
    assert customer_count(db_path) == 1 + WRITERS * ADDS_EACH


def test_an_existing_file_is_kept_unless_force(kehu, db_path, tmp_path):
    target = tmp_path / "copy.db"
    ok(kehu("add", "甲公司"))
    ok(kehu("backup", str(target)))  # an older backup
    older = target.read_bytes()
    ok(kehu("archive", "甲公司"))
    result = kehu("backup", str(target))
    assert result.exit_code == 73
    assert result.stderr == f"kehu: {target} exists; use --force to replace it\n"
    assert target.read_bytes() == older
    stale = Path(f"{target}-wal")
    stale.write_bytes(b"a -wal left by the file being replaced")
    ok(kehu("backup", str(target), "--force"))
    assert not stale.exists()  # it would otherwise be replayed into the new copy
    assert _assert_one_moment(target) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.db", "copy.db"]


@pytest.mark.parametrize(
    ("target", "code", "message"),
    [
        ("book.db", 73, "kehu: cannot back up {db} onto itself\n"),
        (".", 73, "kehu: {tmp} is a directory; give the backup a file name\n"),
        ("no/copy.db", 73, "kehu: cannot create {tmp}/no/copy.db: directory {tmp}/no does not exist\n"),
    ],
)  # fmt: skip
def test_a_target_that_cannot_be_written(kehu, db_path, tmp_path, target, code, message):
    ok(kehu("add", "甲公司"))
    before = sorted(tmp_path.iterdir())
    result = kehu("backup", str(tmp_path / target))
    assert result.exit_code == code
    assert result.stderr == message.format(db=db_path, tmp=tmp_path)
    assert sorted(tmp_path.iterdir()) == before
    assert customer_count(db_path) == 1


def test_a_database_that_is_not_there_or_not_sqlite(kehu, kehu_process, db_path, tmp_path):
    result = kehu("backup", str(tmp_path / "copy.db"))
    assert result.exit_code == 66
    assert result.stderr == f"kehu: no database at {db_path}: nothing to back up\n"
    assert not db_path.exists()  # backing up created no empty book
    result = kehu_process("--db", "postgresql://kehu:secret@db.example.com/kehu", "backup", "x.db", db=False)
    assert result.returncode == 1
    assert result.stderr == b"kehu: backup works on SQLite files; for PostgreSQL use pg_dump\n"
    other = tmp_path / "other.db"
    connection = sqlite3.connect(other)
    connection.execute("CREATE TABLE notes (body TEXT)")
    connection.close()
    result = kehu("--db", str(other), "backup", str(tmp_path / "copy.db"))
    assert result.exit_code == 78
    assert result.stderr == f"kehu: {other} is not a kehu database\n"
    assert not (tmp_path / "copy.db").exists()


def test_a_full_disk_during_a_backup_leaves_no_file(kehu, db_path, tmp_path):
    import resource

    ok(kehu("import", "customers", "-", input="客户名称\n" + "".join(f"客户{i}\n" for i in range(500))))
    target = tmp_path / "backups" / "copy.db"
    target.parent.mkdir()
    limit = db_path.stat().st_size // 2

    def preexec() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = subprocess.run(
        [sys.executable, "-m", "kehu", "--db", str(db_path), "backup", str(target)],
        capture_output=True, preexec_fn=preexec, timeout=120,
    )  # fmt: skip
    assert result.returncode == 73, result.stderr
    assert result.stderr.decode().startswith(f"kehu: cannot write backup {target}: ")
    assert list(target.parent.iterdir()) == []


# --- kehu check ---------------------------------------------------------------------------


def _sql(db: Path, *statements: str) -> None:
    connection = sqlite3.connect(db, isolation_level=None)
    try:
        connection.execute("PRAGMA foreign_keys = OFF")
        for statement in statements:
            connection.execute(statement)
    finally:
        connection.close()


def test_check_passes_on_a_sound_book(kehu):
    ok(kehu("add", "甲公司", "--grade", "A"))
    ok(kehu("contact", "add", "甲公司", "张三"))
    ok(kehu("log", "甲公司", "电话", "--next", "周五 报价"))
    result = ok(kehu("check"))
    assert result.stderr == "ok: integrity, foreign keys and due dates all hold\n"


def test_check_finds_a_wrong_stored_due_date_and_fix_rewrites_it(kehu, db_path):
    ok(kehu("add", "甲公司", "--grade", "A"))
    _sql(db_path, "UPDATE customer SET next_due = '2030-01-01' WHERE id = 1")
    result = kehu("check")
    assert result.exit_code == 1
    assert result.stderr == (
        "kehu: check failed: 1 problem\n"
        f"customer 1: stored next due 2030-01-01, should be {TODAY}\n"
    )  # fmt: skip
    assert ok(kehu("check", "--fix")).stderr.startswith("fixed 1 due date\n")
    ok(kehu("check"))


def test_check_counts_every_problem_and_lists_the_first_20(kehu, db_path):
    ok(kehu("import", "customers", "-", input="客户名称\n" + "".join(f"客户{i}\n" for i in range(30))))
    _sql(db_path, "UPDATE customer SET next_due = '2030-01-01'")
    lines = kehu("check").stderr.splitlines()
    assert lines[0] == "kehu: check failed: 30 problems"
    assert len(lines) == 1 + 20 + 1 and lines[-1] == "… and 10 more"


def test_check_finds_an_orphan_row(kehu, db_path):
    ok(kehu("add", "甲公司"))
    ok(kehu("contact", "add", "甲公司", "张三"))
    _sql(db_path, "UPDATE contact SET customer_id = 99")
    result = kehu("check")
    assert result.exit_code == 1
    assert result.stderr == (
        "kehu: check failed: 1 problem\nforeign key: contact row 1 refers to a missing customer\n"
    )


def _corrupt_index(db: Path, index: str, start: int) -> None:
    """Overwrite the root page of `index` from byte `start` on with junk, as a bad sector or a
    stray write would: from 0 the page header is gone, from 100 its cells."""
    connection = sqlite3.connect(db)
    try:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        [root] = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (index,)).fetchone()
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    junk = (bytes(range(7, 251)) * (page_size // 244 + 1))[: page_size - start]
    with db.open("r+b") as handle:
        handle.seek((root - 1) * page_size + start)
        handle.write(junk)


@pytest.mark.parametrize("start", [0, 100])
def test_check_finds_a_damaged_page_and_backup_refuses_to_copy_it(kehu, db_path, tmp_path, start):
    rows = "".join(f"客户{i},王{i}\n" for i in range(300))
    ok(kehu("import", "customers", "-", input="客户名称,销售员\n" + rows))
    _corrupt_index(db_path, "ix_customer_owner", start)
    result = kehu("check")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("kehu: check failed: ")
    assert lines[1].startswith("integrity: ")
    assert lines[-1] == "foreign keys and due dates not checked: the file is damaged"
    assert len(lines) <= 1 + 21 + 1
    result = kehu("backup", str(tmp_path / "copy.db"))
    assert result.exit_code == 1
    assert result.stderr.startswith("kehu: the copy failed its integrity check (")
    assert result.stderr.endswith(f"): {db_path} may be damaged; run kehu check\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.db"]
