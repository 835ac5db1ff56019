"""Crash: `kill -9` a big import at many moments; the book is always whole (issue 6).

A customers import is one transaction, and SQLite's WAL makes it atomic on disk: frames written
before the commit frame are ignored when the file is next opened. So whatever moment the process
dies at (reading the CSV, planning, writing pages, committing, checkpointing, closing) the file
passes `PRAGMA integrity_check`, holds either none or all of the imported customers, and
`kehu check` finds every stored due date right.

The moments: a pair of complete imports is measured first (the duration D; when the -wal starts
to grow and how big the transaction makes it). Then half the kills fall at seeded random times
spread over 0..1.2 × D (some before writing starts, some after the end) and half when the -wal
has grown to a seeded fraction of the transaction, so that some land while pages are written
and some at the commit however fast the machine or the import is. Imports run two at a time, on
copies of one starting book, to use both of CI's cores.
"""

from __future__ import annotations

import csv
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kehu.cli.app import app
from tests.helpers import customer_count

# As the issue asks: 100,000 rows. One import takes ~20 s on CI's 2 cores, two run at a time, and
# the test runs 14 of them (2 measured, 12 killed): about 3 minutes of CI's budget.
IMPORT_ROWS = 100_000
BEFORE_ROWS = 50  # customers in the book before the import
KILLS = 12
SEED = 6
POLL = 0.002  # seconds between looks at the running imports

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs kill -9 (POSIX)")

_CHARS = "华海恒瑞信达通泰鑫盛源宏博创新腾飞远中天宇嘉润金星光明辉盈峰宁安康德诚和永昌兴旺隆丰佳美"


def write_customers_csv(path: Path, count: int, prefix: str) -> None:
    """`count` customers with distinct Chinese names, as a salesperson's sheet has them."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["客户名称", "客户等级", "地区", "电话", "预计成交额"])
        n = len(_CHARS)
        for i in range(count):
            trade_name = _CHARS[i % n] + _CHARS[i // n % n]
            writer.writerow([
                f"{prefix}{trade_name}科技{i}有限公司", "ABCDE"[i % 5] if i % 7 else "", "浙江杭州",
                f"0571-{10_000_000 + i}", f"{i % 500 + 1}万",
            ])  # fmt: skip


def kehu_env(directory: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEHU_")}
    env.update(LANG="C.UTF-8", KEHU_CONFIG=str(directory / "no-config.toml"))
    return env


@dataclass
class Book:
    directory: Path
    base: Path  # the book before the import: BEFORE_ROWS customers, no -wal beside it
    csv: Path
    env: dict[str, str]


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Book:
    directory = tmp_path_factory.mktemp("crash")
    env = kehu_env(directory)
    big = directory / "customers.csv"
    write_customers_csv(big, IMPORT_ROWS, "导入")
    small = directory / "before.csv"
    write_customers_csv(small, BEFORE_ROWS, "老客户")
    base = directory / "base.db"
    result = subprocess.run(
        [sys.executable, "-m", "kehu", "--db", str(base), "import", "customers", str(small)],
        capture_output=True, env=env, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    assert not Path(f"{base}-wal").exists()
    assert customer_count(base) == BEFORE_ROWS
    return Book(directory, base, big, env)


def _wal_size(db: Path) -> int:
    try:
        return os.stat(f"{db}-wal").st_size
    except FileNotFoundError:
        return -1


@dataclass
class Trial:
    name: str
    trigger: str  # "time": kill `at` seconds after the start; "wal": when the -wal reaches `at` bytes; "none"
    at: float
    db: Path | None = None
    process: subprocess.Popen | None = None
    started: float = 0.0
    # What was seen
    killed: bool = False  # SIGKILL sent while the import was still running
    elapsed: float = 0.0  # at the kill or the end
    wal_at_kill: int = -1
    write_started: float | None = None  # when the -wal first grew
    wal_max: int = 0
    count: int | None = None


def _run(book: Book, trials: list[Trial]) -> None:
    """Start the trials' imports together, kill each when its trigger fires, wait for all."""
    for trial in trials:
        trial.db = book.directory / f"{trial.name}.db"
        shutil.copyfile(book.base, trial.db)
        trial.started = time.monotonic()
        trial.process = subprocess.Popen(
            [sys.executable, "-m", "kehu", "--db", str(trial.db), "import", "customers", str(book.csv)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=book.env,
        )  # fmt: skip
    running = list(trials)
    while running:
        for trial in list(running):
            elapsed = time.monotonic() - trial.started
            wal = _wal_size(trial.db)
            if wal > 0 and trial.write_started is None:
                trial.write_started = elapsed
            trial.wal_max = max(trial.wal_max, wal)
            ended = trial.process.poll() is not None
            fire = (trial.trigger == "time" and elapsed >= trial.at) or (
                trial.trigger == "wal" and wal >= trial.at
            )
            if fire and not ended:
                os.kill(trial.process.pid, signal.SIGKILL)
                trial.killed, trial.wal_at_kill = True, wal
            if fire or ended:
                trial.elapsed = elapsed
                stderr = trial.process.communicate(timeout=60)[1]
                if not trial.killed:
                    assert trial.process.returncode == 0, stderr.decode()
                running.remove(trial)
        time.sleep(POLL)


def _assert_whole(trial: Trial) -> None:
    """Integrity ok, none or all of the import, and kehu's own check passes."""
    connection = sqlite3.connect(trial.db)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)], trial
        trial.count = connection.execute("SELECT count(*) FROM customer").fetchone()[0]
    finally:
        connection.close()
    assert trial.count in (BEFORE_ROWS, BEFORE_ROWS + IMPORT_ROWS), trial
    result = CliRunner().invoke(app, ["--db", str(trial.db), "check"])
    assert result.exit_code == 0, (trial, result.stderr)
    for path in (trial.db, Path(f"{trial.db}-wal"), Path(f"{trial.db}-shm")):
        path.unlink(missing_ok=True)  # 14 copies of a 100k book would fill a small CI disk


def _landing(trial: Trial, wal_full: int) -> str:
    if not trial.killed:
        return "after the end"
    if trial.wal_at_kill <= 0:
        return "before writing"
    if trial.count == BEFORE_ROWS + IMPORT_ROWS:
        return "after the commit"
    if trial.wal_at_kill >= wal_full:
        return "at the commit"
    return "while writing"


def test_kill_9_during_an_import_leaves_none_or_all_of_it(book: Book):
    measured = [Trial("full-1", "none", 0), Trial("full-2", "none", 0)]
    _run(book, measured)
    for trial in measured:
        _assert_whole(trial)
        assert trial.count == BEFORE_ROWS + IMPORT_ROWS
    duration = max(t.elapsed for t in measured)
    wal_full = min(t.wal_max for t in measured)  # the -wal once the whole transaction is in it
    assert wal_full > 0

    rng = random.Random(SEED)
    timed = KILLS // 2
    sized = KILLS - timed
    at_times = [duration * 1.2 * (i + rng.random()) / timed for i in range(timed)]
    # The last when the whole transaction, commit frame included, is in the -wal.
    at_sizes = [max(1, int(wal_full * (i + rng.random()) / sized)) for i in range(sized - 1)] + [wal_full]
    trials = [Trial(f"time-{i}", "time", at) for i, at in enumerate(at_times)]
    trials += [Trial(f"wal-{i}", "wal", at) for i, at in enumerate(at_sizes)]
    # In pairs of neighbours (both cores busy, and neither waits long for the other).
    for pair in zip(trials[::2], trials[1::2], strict=True):
        _run(book, list(pair))
        for trial in pair:
            _assert_whole(trial)

    landings = [_landing(t, wal_full) for t in trials]
    report = [
        f"{IMPORT_ROWS} rows, one import {duration:.1f} s, writing from "
        f"{min(t.write_started for t in measured):.1f} s, -wal {wal_full / 1e6:.1f} MB"
    ] + [
        f"{t.name:7} at {t.elapsed:5.2f} s, -wal {max(t.wal_at_kill, 0) / 1e6:5.1f} MB: "
        f"{landing:16} -> {t.count - BEFORE_ROWS} imported"
        for t, landing in zip(trials, landings, strict=True)
    ]  # fmt: skip
    print("\n".join(report))
    # KILLS moments; the last timed ones may fall after the end on purpose, and on a loaded
    # machine a -wal threshold may be passed between two looks: most must hit a running import.
    assert len(trials) >= 10
    assert sum(t.killed for t in trials) >= 8, report
    assert "while writing" in landings, report
