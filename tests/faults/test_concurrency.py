"""Several kehu processes on one book at once (issue 6; PostgreSQL: issue 7).

SQLite: writers begin with BEGIN IMMEDIATE and wait up to the busy timeout for each other, so
none fails and nothing is lost; readers in WAL mode never wait for a writer. A database kept busy
past the timeout ends the command with exit 75 and one line, having written nothing.
PostgreSQL: writers run at REPEATABLE READ; one that collides with another on the same rows is
failed by the server and kehu runs the command again, so again nothing is lost.

Each worker process loops in-process through Typer's CliRunner (one engine per command, as a
real `kehu` has) so that hundreds of commands cost milliseconds each, not a start-up each.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import TODAY
from tests.helpers import ok

WRITERS = 4
ADDS_EACH = 200
LOGS_EACH = 200
LOGGED_CUSTOMERS = 6

# argv: db, tag, then the commands, one per argument, as tab-separated words. Today: $KEHU_TODAY.
WORKER = """
import sys
import typer.testing
from typer.testing import CliRunner
from kehu.cli.app import app
# Build Typer's click command once, as a real kehu process does, not once per command.
command = typer.testing._get_command(app)
typer.testing._get_command = lambda _app: command
runner = CliRunner()
# Warm the pinyin dictionaries first: a cold `kehu add` loads them while it holds the write lock
# (test_a_cold_add_loads_nothing_while_holding_the_write_lock); here the writers race on rows.
import pypinyin
pypinyin.lazy_pinyin("预热")
db, tag, commands = sys.argv[1], sys.argv[2], sys.argv[3:]
failures = 0
for line in commands:
    r = runner.invoke(app, ["--db", db, *line.split("\\t")])
    if r.exit_code != 0 or "locked" in r.stderr or "Traceback" in r.stderr:
        failures += 1
        print(tag, r.exit_code, line, r.stderr.strip(), file=sys.stderr)
sys.exit(1 if failures else 0)
"""

# argv: db, stop file. Reads `followups today --format json` until the stop file appears.
READER = """
import json, os, sys, time
import typer.testing
from typer.testing import CliRunner
from kehu.cli.app import app
command = typer.testing._get_command(app)
typer.testing._get_command = lambda _app: command
runner = CliRunner()
db, stop = sys.argv[1], sys.argv[2]
reads = 0
while True:
    last = os.path.exists(stop)
    r = runner.invoke(app, ["--db", db, "followups", "today", "--format", "json"])
    if r.exit_code != 0 or "locked" in r.stderr or "Traceback" in r.stderr:
        print("read", reads, r.exit_code, r.stderr.strip(), file=sys.stderr)
        sys.exit(1)
    json.loads(r.stdout)
    reads += 1
    if last:
        break
    time.sleep(0.05)  # a person refreshing a screen, not a busy loop taking a core from the writers
print(reads)
"""


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "KEHU_CONFIG": str(tmp_path / "no-config.toml"), "KEHU_TODAY": TODAY}


def _start(script: str, *args: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", script, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )


def _finish(processes: list[subprocess.Popen]) -> list[tuple[int, str, str]]:
    results = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        results.append((process.returncode, out.decode(), err.decode()))
    return results


def _scalar(db: Path, sql: str):
    connection = sqlite3.connect(db)
    try:
        return connection.execute(sql).fetchone()[0]
    finally:
        connection.close()


def test_four_processes_adding_200_each_lose_nothing(tmp_path: Path, db_path: Path, kehu):
    assert not db_path.exists()  # the writers race to create it too
    names = {w: [f"并发客户{w}-{i}" for i in range(ADDS_EACH)] for w in range(WRITERS)}
    workers = [
        _start(WORKER, str(db_path), f"writer{w}", *(f"add\t{n}" for n in names[w]), env=_env(tmp_path))
        for w in range(WRITERS)
    ]
    results = _finish(workers)
    assert [code for code, _out, _err in results] == [0] * WRITERS, [err for _c, _o, err in results]
    connection = sqlite3.connect(db_path)
    try:
        stored = [row[0] for row in connection.execute("SELECT name FROM customer")]
    finally:
        connection.close()
    assert len(stored) == WRITERS * ADDS_EACH
    assert set(stored) == {n for w in names for n in names[w]}
    ok(kehu("check"))


def _logs(writer: int) -> list[str]:
    """`kehu log` commands on every customer in turn, by id (several writers per customer)."""
    return [
        f"log\t{i % LOGGED_CUSTOMERS + 1}\t第{writer}-{i}次电话\t--channel\t电话" for i in range(LOGS_EACH)
    ]


def test_logs_from_four_writers_while_followups_reads(tmp_path: Path, target_db: str, kehu):
    """Every touch lands (several writers on the same customers), every read succeeds, and the
    stored due dates agree with the last touch of each customer."""
    for c in range(LOGGED_CUSTOMERS):
        ok(kehu("add", f"跟进客户{c}", "--grade", "ABCDE"[c % 5]))
    stop = tmp_path / "stop"
    reader = _start(READER, target_db, str(stop), env=_env(tmp_path))
    writers = [_start(WORKER, target_db, f"writer{w}", *_logs(w), env=_env(tmp_path)) for w in range(WRITERS)]
    written = _finish(writers)
    stop.touch()
    [(read_code, reads, read_err)] = _finish([reader])
    assert [code for code, _out, _err in written] == [0] * WRITERS, [err for _c, _o, err in written]
    assert read_code == 0, read_err
    assert int(reads) >= 2  # it read while the writers wrote, and once after
    # Every touch, on the customer it was logged for: WRITERS × LOGS_EACH in all.
    for c in range(1, LOGGED_CUSTOMERS + 1):
        history = json.loads(ok(kehu("history", str(c), "--format", "json")).stdout)
        assert len(history) == len(range(c - 1, LOGS_EACH, LOGGED_CUSTOMERS)) * WRITERS
        assert {t["summary"] for t in history} == {
            f"第{w}-{i}次电话" for w in range(WRITERS) for i in range(c - 1, LOGS_EACH, LOGGED_CUSTOMERS)
        }
    ok(kehu("check"))


# argv: db, tag, names. Adds each name; "already exists" is an answer, anything else a failure.
RIVAL = """
import sys
from typer.testing import CliRunner
from kehu.cli.app import app
runner = CliRunner()
db, tag, names = sys.argv[1], sys.argv[2], sys.argv[3:]
added = 0
for name in names:
    r = runner.invoke(app, ["--db", db, "add", name])
    if r.exit_code == 0:
        added += 1
    elif r.exit_code != 1 or "already exists" not in r.stderr:
        print(tag, r.exit_code, name, r.stderr.strip(), file=sys.stderr)
        sys.exit(1)
print(added)
"""


def test_rivals_adding_the_same_customers_add_each_once(tmp_path: Path, target_db: str, kehu):
    """A real conflict (two sellers adding one customer at once) is reported, not lost in a retry:
    every name is added exactly once, and every other attempt says it already exists."""
    ok(kehu("info"))  # the schema, before the rivals race
    names = [f"同名客户{i}" for i in range(40)]
    rivals = [_start(RIVAL, target_db, f"rival{r}", *names, env=_env(tmp_path)) for r in range(WRITERS)]
    results = _finish(rivals)
    assert [code for code, _out, _err in results] == [0] * WRITERS, [err for _c, _o, err in results]
    assert sum(int(out) for _code, out, _err in results) == len(names)
    listed = ok(kehu("list", "--format", "csv", "--columns", "name")).stdout.split()[1:]
    assert sorted(listed) == sorted(names)


class Holder:
    """Another program holding the write lock: BEGIN IMMEDIATE with an uncommitted row."""

    def __init__(self, db: Path) -> None:
        self.db = db

    def __enter__(self) -> Holder:
        self.connection = sqlite3.connect(self.db, isolation_level=None)
        self.connection.execute("BEGIN IMMEDIATE")
        self.connection.execute("UPDATE customer SET notes = 'uncommitted' WHERE id = 1")
        return self

    def __exit__(self, *exc) -> None:
        self.connection.execute("ROLLBACK")
        self.connection.close()


def _names(kehu) -> list[str]:
    return ok(kehu("list", "--format", "csv", "--columns", "name")).stdout.split()[1:]


def test_a_write_busy_past_the_timeout_exits_75_with_one_line(kehu, kehu_process, db_path, tmp_path):
    ok(kehu("add", "甲公司"))
    csv_file = tmp_path / "new.csv"
    csv_file.write_text("客户名称\n乙公司\n丙公司\n", encoding="utf-8")
    with Holder(db_path):
        for command in (["add", "乙公司"], ["import", "customers", str(csv_file)], ["log", "甲公司", "电话"]):
            started = time.monotonic()
            result = kehu_process(*command, env={"KEHU_BUSY_TIMEOUT": "0.5"})
            waited = time.monotonic() - started
            assert result.returncode == 75, (command, result.stderr)
            assert result.stdout == b""
            lines = result.stderr.decode().splitlines()
            assert lines == [f"kehu: database {db_path} is busy (another kehu is writing); try again"]
            assert waited >= 0.5  # it waited for the lock before giving up
    assert _names(kehu) == ["甲公司"]
    assert _scalar(db_path, "SELECT count(*) FROM touch") == 0
    assert _scalar(db_path, "SELECT notes FROM customer WHERE id = 1") is None


def test_reads_do_not_wait_for_a_writer(kehu, kehu_process, db_path):
    """WAL: a writer holding the lock does not block readers, who see the last commit."""
    ok(kehu("add", "甲公司", "--notes", "committed"))
    with Holder(db_path):
        started = time.monotonic()
        for command in (["list", "--format", "json"], ["followups", "--format", "json"], ["show", "甲公司"]):
            result = kehu_process(*command, env={"KEHU_BUSY_TIMEOUT": "5"})
            assert result.returncode == 0, (command, result.stderr)
            assert b"uncommitted" not in result.stdout
        assert time.monotonic() - started < 5 * 3  # no read waited out the busy timeout
        shown = kehu_process("list", "--format", "json", "--columns", "name,notes")
        assert json.loads(shown.stdout) == [{"name": "甲公司", "notes": "committed"}]


# Records the modules first imported while a write transaction is open, during one cold
# `kehu add`: argv db, name. Prints them as JSON.
IMPORTS_UNDER_LOCK = """
import contextlib, json, sys
from kehu.store.db import Store
write = Store.write
seen = set()
@contextlib.contextmanager
def recording(self):
    with write(self) as connection:
        before = set(sys.modules)
        yield connection
        seen.update(set(sys.modules) - before)
Store.write = recording
from typer.testing import CliRunner
from kehu.cli.app import app
result = CliRunner().invoke(app, ["--db", sys.argv[1], "add", sys.argv[2]])
assert result.exit_code == 0, result.stderr
print(json.dumps(sorted(seen)))
"""


def test_a_cold_add_loads_no_pinyin_while_holding_the_write_lock(kehu, db_path, tmp_path):
    """Every process of a script running `kehu add` in parallel is a cold start: what it loads
    under the lock, the others wait for, and past the busy timeout they fail (exit 75)."""
    ok(kehu("info"))
    result = subprocess.run(
        [sys.executable, "-c", IMPORTS_UNDER_LOCK, str(db_path), "冷启动客户"],
        capture_output=True, env=_env(tmp_path), timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    under_lock = json.loads(result.stdout)
    assert [m for m in under_lock if m.split(".")[0] == "pypinyin"] == []
