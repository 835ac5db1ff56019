"""Files kehu cannot write: clear errors, exit 73 or 77, and nothing half-written (issue 6).

Permission (a read-only database file, a read-only directory, a directory kehu may not create)
is exit 77; any other reason the database cannot be created or written (a parent that is a
file, a path that is a directory, a full disk) is exit 73. Reads of a read-only database work.

The tests run as root on CI, and root ignores file modes; so kehu runs there without the
capabilities that let root do so (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), as any user would.
A full disk is a file size limit (RLIMIT_FSIZE): the write fails as on a real disk, and SQLite
rolls the transaction back; `PRAGMA max_page_count` gives SQLite's own "database or disk is full".
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kehu.cli.app import app
from tests.conftest import TODAY, Result
from tests.helpers import ok

resource = pytest.importorskip("resource", reason="file size limits need a POSIX system")

PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2


def _without_root_powers() -> None:
    """preexec_fn: drop from the bounding set the capabilities that let root ignore file modes;
    exec then leaves them out of the process's own. A no-op for any other user."""
    if os.geteuid() != 0:
        return
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


@pytest.fixture(scope="module")
def modes_apply(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Skip unless a kehu process here is refused a write to a read-only file."""
    probe = tmp_path_factory.mktemp("modes") / "read-only"
    probe.write_text("x")
    probe.chmod(0o444)
    try:
        result = subprocess.run(
            [sys.executable, "-c", f"open({str(probe)!r}, 'a')"],
            preexec_fn=_without_root_powers, capture_output=True,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError) as error:
        pytest.skip(f"cannot run a process without root's file powers: {error}")
    if result.returncode == 0:
        pytest.skip("file modes are not enforced here (root with capabilities that cannot be dropped)")


# Runs kehu commands in one process (argv[1]: a JSON list of argument lists), printing a JSON
# list of [exit code, stdout, stderr]: one start-up for all the commands of a test.
WORKER = """
import json, sys
import typer.testing
from typer.testing import CliRunner
from kehu.cli.app import app
command = typer.testing._get_command(app)  # built once, as a real kehu process does
typer.testing._get_command = lambda _app: command
runner = CliRunner()
results = []
for args in json.loads(sys.argv[1]):
    r = runner.invoke(app, args)
    stderr = r.stderr
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        stderr += "Traceback: " + repr(r.exception)
    results.append([r.exit_code, r.stdout, stderr])
print(json.dumps(results))
"""


def as_user(db: Path, *commands: list[str]) -> list[Result]:
    """Run the commands on `db` in a process that file modes apply to, even under root."""
    arguments = [["--db", str(db), "--today", TODAY, *command] for command in commands]
    process = subprocess.run(
        [sys.executable, "-c", WORKER, json.dumps(arguments)],
        capture_output=True, preexec_fn=_without_root_powers, timeout=120,
    )  # fmt: skip
    assert process.returncode == 0, process.stderr.decode()
    return [Result(*result) for result in json.loads(process.stdout)]


def run(db: Path, *args: str) -> Result:
    """Run a command in this process (as root, when the tests run as root)."""
    result = CliRunner().invoke(app, ["--db", str(db), "--today", TODAY, *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Result(result.exit_code, result.stdout, result.stderr)


def _one_line_error(result: Result, code: int, words: str) -> None:
    assert result.exit_code == code, result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("kehu: "), result.stderr
    assert words in result.stderr and "Traceback" not in result.stderr, result.stderr


def _state(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def _names(result: Result) -> list[str]:
    assert result.exit_code == 0, result.stderr
    return result.stdout.split()[1:]


LIST_NAMES = ["list", "--format", "csv", "--columns", "name"]


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    path = tmp_path / "new.csv"
    path.write_text("客户名称,客户等级\n乙公司,A\n丙公司,B\n", encoding="utf-8")
    return path


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """A database with one customer, closed cleanly (no -wal beside it), in its own directory."""
    db = tmp_path / "shelf" / "book.db"
    ok(run(db, "add", "甲公司", "--grade", "B"))
    assert sorted(p.name for p in db.parent.iterdir()) == ["book.db"]
    return db


def test_a_read_only_database_file_refuses_writes_and_still_reads(modes_apply, book, csv_file):
    book.chmod(0o444)
    before = book.read_bytes()
    copy = book.parent.parent / "copy.db"
    *writes, names, check, followups, backup = as_user(
        book, ["add", "乙公司"], ["import", "customers", str(csv_file)], ["check", "--fix"],
        LIST_NAMES, ["check"], ["followups", "--format", "json"], ["backup", str(copy)],
    )  # fmt: skip
    for result in writes:
        _one_line_error(result, 77, f"database {book} is read-only")
    assert book.read_bytes() == before
    assert _names(names) == ["甲公司"]
    ok(check)
    ok(followups)
    ok(backup)
    assert _names(run(copy, *LIST_NAMES)) == ["甲公司"]


def test_a_read_only_directory_refuses_writes_and_still_reads(modes_apply, book, csv_file):
    """SQLite cannot create its -wal and -shm there: kehu reads the file as immutable instead."""
    book.parent.chmod(0o555)
    before = _state(book.parent)
    try:
        copy = book.parent.parent / "copy.db"
        *writes, names, info, check, backup = as_user(
            book, ["add", "乙公司"], ["import", "customers", str(csv_file)], ["log", "甲公司", "电话"],
            LIST_NAMES, ["info"], ["check"], ["backup", str(copy)],
        )  # fmt: skip
        for result in writes:
            _one_line_error(result, 77, f"cannot write database {book}: its directory is read-only")
        assert _names(names) == ["甲公司"]
        ok(info)
        ok(check)
        ok(backup)
        assert _state(book.parent) == before  # not even a -shm appeared
        assert _names(run(copy, *LIST_NAMES)) == ["甲公司"]
    finally:
        book.parent.chmod(0o755)


def test_no_database_in_a_read_only_directory_is_77_and_creates_nothing(modes_apply, tmp_path):
    shelf = tmp_path / "shelf"
    shelf.mkdir(mode=0o555)
    try:
        [in_shelf] = as_user(shelf / "k.db", ["add", "甲公司"])
        [below_shelf] = as_user(shelf / "sub" / "k.db", ["add", "甲公司"])
        _one_line_error(in_shelf, 77, f"cannot create database {shelf / 'k.db'}: directory is read-only")
        _one_line_error(below_shelf, 77, f"cannot create directory {shelf / 'sub'}: Permission denied")
        assert list(shelf.iterdir()) == []
    finally:
        shelf.chmod(0o755)


def test_an_unreadable_database_is_77(modes_apply, book):
    book.chmod(0o200)
    [result] = as_user(book, LIST_NAMES)
    _one_line_error(result, 77, f"cannot read database {book}: permission denied")


def test_missing_parent_directories_are_created(tmp_path):
    """As for the default ~/.local/share/kehu/kehu.db: the database's directory is kehu's to make."""
    db = tmp_path / "a" / "b" / "k.db"
    ok(run(db, "add", "甲公司"))
    assert _names(run(db, *LIST_NAMES)) == ["甲公司"]


def test_a_parent_that_is_a_file_is_73(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    _one_line_error(run(blocker / "sub" / "k.db", "info"), 73, f"cannot create directory {blocker / 'sub'}")
    assert blocker.read_text() == "x"


def test_a_directory_as_the_database_is_73_and_left_alone(tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    _one_line_error(run(folder, "add", "甲公司"), 73, f"{folder} is a directory, not a database file")
    assert list(folder.iterdir()) == []


def _file_size_limit(limit: int):
    def preexec() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # write() then fails with EFBIG, not a signal
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return preexec


def _integrity_and_count(db: Path) -> tuple[str, int]:
    connection = sqlite3.connect(db)
    try:
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
        return integrity, connection.execute("SELECT count(*) FROM customer").fetchone()[0]
    finally:
        connection.close()


def _limited(db: Path, limit: int, *args: str) -> Result:
    """Run kehu in a process that may write no file beyond `limit` bytes."""
    result = subprocess.run(
        [sys.executable, "-m", "kehu", "--db", str(db), "--today", TODAY, *args],
        capture_output=True, preexec_fn=_file_size_limit(limit), timeout=120,
    )  # fmt: skip
    return Result(result.returncode, result.stdout.decode(), result.stderr.decode())


def test_a_full_disk_during_an_import_is_73_and_writes_nothing(book, tmp_path):
    big = tmp_path / "big.csv"
    big.write_text("客户名称,客户等级\n" + "".join(f"满盘客户{i},C\n" for i in range(1500)), encoding="utf-8")
    limit = book.stat().st_size + 100_000  # room for a few pages, not for 1500 customers
    result = _limited(book, limit, "import", "customers", str(big))
    _one_line_error(result, 73, f"database {book}: disk I/O error (is the disk full")
    assert _integrity_and_count(book) == ("ok", 1)
    ok(run(book, "check"))
    # With room again the same import goes through whole.
    ok(run(book, "import", "customers", str(big)))
    assert _integrity_and_count(book) == ("ok", 1501)


def test_a_full_disk_when_creating_the_database_leaves_no_half_schema(tmp_path):
    for limit in (0, 20_000):
        db = tmp_path / f"new-{limit}.db"
        _one_line_error(_limited(db, limit, "add", "甲公司"), 73, "disk I/O error")
        # What is left is an empty database, which the next command initialises.
        ok(run(db, "add", "甲公司"))
        ok(run(db, "check"))
        assert _integrity_and_count(db) == ("ok", 1)


def test_the_database_size_limit_is_a_full_disk_73(monkeypatch, kehu, db_path, tmp_path):
    """SQLite's own SQLITE_FULL ("database or disk is full"), here from PRAGMA max_page_count."""
    from kehu.store import driver

    ok(kehu("add", "甲公司"))
    pages = sqlite3.connect(db_path).execute("PRAGMA page_count").fetchone()[0]
    connect_sqlite = driver.connect_sqlite

    def limited(path, **options):
        connection = connect_sqlite(path, **options)
        connection.execute(f"PRAGMA max_page_count = {pages + 3}")
        return connection

    monkeypatch.setattr(driver, "connect_sqlite", limited)
    big = tmp_path / "big.csv"
    big.write_text("客户名称\n" + "".join(f"满盘客户{i}\n" for i in range(2000)), encoding="utf-8")
    result = kehu("import", "customers", str(big))
    monkeypatch.undo()
    assert result.exit_code == 73
    assert result.stderr == f"kehu: database {db_path}: the disk is full\n"
    assert _integrity_and_count(db_path) == ("ok", 1)
    ok(kehu("check"))
