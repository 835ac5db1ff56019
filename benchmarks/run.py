#!/usr/bin/env python3
"""Time kehu's commands against their floors on a realistic book (issue 6).

    .venv/bin/python benchmarks/run.py                       # 100k customers, 1M touches, 5 runs
    .venv/bin/python benchmarks/run.py --quick --fail-over 3 # CI: 10k / 100k, 3 runs, gross regressions only
    .venv/bin/python benchmarks/run.py --only import export --runs 7 --json results.json
    .venv/bin/python benchmarks/run.py --pg-url postgresql+psycopg://kehu:kehu@localhost/postgres

Each case runs as a whole process: `kehu ...` and its floor, a small stdlib-only script doing the
same work the fastest plain way (benchmarks/floors/). After one warm-up of each (which also
compiles kehu's .pyc files and warms the page cache), the two run alternately N times; the
table shows the medians, their ratio against the case's target, and each side's peak memory
(ru_maxrss of the process, from os.wait4 in benchmarks/measure.py, which starts each command so
that its peak is its own: see there). A case whose ratio is over its target says OVER; a
command that exits non-zero says FAIL with the last line of its stderr, and fails the run.
With --fail-over FACTOR the run also fails when a ratio (or the import's memory) is over
FACTOR times its target. A warm-up slower than 20 s cuts that case to at most 3 runs.

The cases, each against its floor (benchmarks/floors/) and its target (issues 6 and 13):

* version, help: `kehu --version`, `kehu --help`; floor typer_import.py (python, import typer); 1.5×
* followups: `kehu followups today --format table --limit 50`; floor followups.py (the urgency
  top 50 and the totals in one indexed statement, planned visits, birthdays, money to collect); 5×
* followups-fresh: the same command and floor on a book made by importing the customers sheet
  into an empty book, so that every customer is due today (all but grade E); 8×
* list: `kehu list --grade A --format csv`; floor cards.py --grade A (indexed query → csv); 8×
* list-pulled: `kehu list --stage 呈现价值 --status open --min-value 50万 --touched-before
  2026-11-01 --sort -expected_value --format csv` (issue 16: where customers stand); floor
  cards.py --pulled (the same conditions and order → csv); 8×
* show, log, add: `kehu show NAME --format table`, `kehu log ID 电话沟通 --channel 电话`,
  `kehu add NAME --grade B`; floor startup.py (python, import typer, rich.console, rich.table,
  sqlite3: the stack's bare start-up); 2×
* show-work, log-work: show and log against stdlib scripts doing the same reads and writes
  (show.py: the card by its name key, contacts, latest touches, plans, contracts; log.py:
  INSERT touch, UPDATE customer); 8×
* import: `kehu import customers CSV` into an empty book; floor import_customers.py (csv, the
  values converted, executemany in one transaction); 5×, and kehu's peak memory ≤ 150 MiB
* export: `kehu export customers --format csv`; floor cards.py (cursor → csv.writer); 2.5×
* report: `kehu report --format table`; floor report.py (the dashboard's aggregates); 3×

With --pg-url URL (or KEHU_BENCH_PG_URL), a PostgreSQL role that may create databases, two more
cases run the same commands on the same book in PostgreSQL (issue 7), against floors that use
psql, PostgreSQL's own client, measured in the same run: followups-pg (8×) and import-pg (3×,
150 MiB). benchmarks/pg.py says how the book gets there and what their floors do. Without the
URL nothing of PostgreSQL is touched or needed.

The book is written by benchmarks/generate.py into --work (default: a directory per size under
the system's temp dir) and reused while its parameters (kept in params.json beside it) and
generate.py are unchanged. Before timing, `kehu info` brings the book to kehu's current schema,
and a fresh empty book is made for the import; for followups-fresh the customers sheet is
imported once into another empty book (fresh.db), also outside the timing. Writes (import,
log) run on a fresh copy every time, made outside the timed part. Every process gets the same
environment: KEHU_DB (the book or its copy), KEHU_TODAY=2026-11-23, KEHU_CONFIG (a file that
does not exist), LANG=C.UTF-8, COLUMNS=120, PATH, HOME and TZ; no PYTHON* variables, so .pyc
files are written and read and output is buffered as it is for a user. Floors run with the
same Python as kehu.

After the warm-up, each floor's output is compared with kehu's (row counts, totals, names) and a
WARNING is printed when they differ: against a floor that computes something else the ratio
means nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import selectors
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
FLOORS = HERE / "floors"
GENERATE = HERE / "generate.py"
MEASURE = HERE / "measure.py"
TODAY = "2026-11-23"
SLOW_SECONDS = 20.0  # a warm-up slower than this: at most SLOW_RUNS timed runs
SLOW_RUNS = 3
MIB = 1024 * 1024


# --- running one process -------------------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    peak_mib: float
    exit_code: int
    stdout: bytes = b""  # kept for the warm-up only
    stderr: bytes = b""

    def last_error_line(self) -> str:
        lines = self.stderr.decode("utf-8", "replace").strip().splitlines()
        return lines[-1] if lines else f"exit {self.exit_code}, nothing on stderr"


def drain(process: subprocess.Popen, keep_stdout: bool) -> tuple[bytes, bytes]:
    """Read the child's stdout and stderr until both close (stdout is dropped unless kept)."""
    kept = {"stdout": bytearray(), "stderr": bytearray()}
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ, "stdout")
        selector.register(process.stderr, selectors.EVENT_READ, "stderr")
        while selector.get_map():
            for key, _events in selector.select():
                chunk = os.read(key.fd, 1 << 20)
                if not chunk:
                    selector.unregister(key.fileobj)
                elif key.data == "stderr" or keep_stdout:
                    kept[key.data] += chunk
    return bytes(kept["stdout"]), bytes(kept["stderr"])


def run_once(argv: list[str], env: dict[str, str], keep_stdout: bool = False) -> Run:
    """Run a whole process through measure.py, its output drained from pipes here."""
    report_read, report_write = os.pipe()
    helper = [sys.executable, "-I", "-S", str(MEASURE), str(report_write), *argv]
    try:
        process = subprocess.Popen(helper, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, pass_fds=(report_write,))  # fmt: skip
    finally:
        os.close(report_write)
    stdout, stderr = drain(process, keep_stdout)
    with os.fdopen(report_read) as report:
        line = report.read()
    if process.wait() != 0 or not line:
        return Run(
            0.0, 0.0, process.returncode or 1, stdout, stderr + f"\nmeasure.py failed: {line!r}".encode()
        )
    seconds, maxrss_kib, exit_code = line.split()
    return Run(float(seconds), int(maxrss_kib) * 1024 / MIB, int(exit_code), stdout, stderr)


# --- the book --------------------------------------------------------------------------------------


@dataclass
class Book:
    work: Path
    path: Path  # the book: customers, contacts, touches, funnel, money
    csv: Path  # a customers sheet of as many rows, for the import
    empty: Path  # an empty book of kehu's current schema
    fresh: Path  # the customers sheet just imported into an empty book: everyone due today
    params: dict
    customer_id: int = 0  # the customer shown and logged to
    customer_name: str = ""
    touches: int = 0

    def size(self) -> str:
        return f"{self.path.stat().st_size / MIB:.0f} MiB (csv {self.csv.stat().st_size / MIB:.1f} MiB)"


def kehu_command() -> list[str]:
    """kehu beside this Python (the venv), else on PATH."""
    beside = Path(sys.executable).parent / "kehu"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("kehu")
    if not found:
        raise SystemExit("run.py: no kehu beside this Python or on PATH; run it with .venv/bin/python")
    return [found]


def environment(work: Path, db: Path) -> dict[str, str]:
    """The same environment for every process: see the module docstring."""
    env = {key: os.environ[key] for key in ("PATH", "HOME", "TZ", "TMPDIR") if key in os.environ}
    env.update(LANG="C.UTF-8", COLUMNS="120", KEHU_DB=str(db), KEHU_TODAY=TODAY,
               KEHU_CONFIG=str(work / "no-config.toml"))  # fmt: skip
    return env


def kehu_or_die(args: list[str], work: Path, db: Path) -> str:
    run = run_once([*kehu_command(), *args], environment(work, db), keep_stdout=True)
    if run.exit_code != 0:
        raise SystemExit(f"run.py: `kehu {' '.join(args)}` failed: {run.last_error_line()}")
    return run.stdout.decode()


def prepare_book(work: Path, customers: int, touches: int, seed: int) -> Book:
    """Reuse the book in `work` if it was made with these parameters, else generate it."""
    generator = hashlib.sha256(GENERATE.read_bytes()).hexdigest()[:16]
    params = {
        "customers": customers,
        "touches": touches,
        "seed": seed,
        "today": TODAY,
        "generator": generator,
    }
    book = Book(work, work / "book.db", work / "customers.csv", work / "empty.db", work / "fresh.db", params)
    params_file = work / "params.json"
    known = json.loads(params_file.read_text()) if params_file.exists() else None
    if known != params or not book.path.exists() or not book.csv.exists():
        work.mkdir(parents=True, exist_ok=True)
        params_file.unlink(missing_ok=True)
        print(
            f"generating the book in {work} (a few minutes at 100k customers) …", file=sys.stderr, flush=True
        )
        command = [sys.executable, str(GENERATE), "--customers", str(customers), "--touches", str(touches),
                   "--seed", str(seed), "--today", TODAY, "--out", str(book.path), "--csv", str(book.csv),
                   "--force"]  # fmt: skip
        subprocess.run(command, check=True)
        params_file.write_text(json.dumps(params, indent=2) + "\n")
    kehu_or_die(["info"], work, book.path)  # upgrade to kehu's current schema, outside any timing
    for leftover in work.glob("empty.db*"):
        leftover.unlink()
    kehu_or_die(["info"], work, book.empty)
    with closing(sqlite3.connect(f"file:{book.path}?mode=ro", uri=True)) as db:
        # A graded, active customer with contacts, half-way through the book.
        book.customer_id, book.customer_name = db.execute(
            "SELECT id, name FROM customer c WHERE id >= ? AND archived_at IS NULL AND grade IN ('B', 'C') "
            "AND EXISTS (SELECT 1 FROM contact k WHERE k.customer_id = c.id) ORDER BY id LIMIT 1",
            (customers // 2,),
        ).fetchone()
        book.touches = db.execute("SELECT count(*) FROM touch").fetchone()[0]
    return book


# --- the cases -------------------------------------------------------------------------------------


@dataclass
class Case:
    name: str
    kehu: list[str]  # kehu's arguments
    floor: list[str]  # the floor script and its arguments; "{db}" stands for the database
    target: float  # the most kehu's median may take, in floor medians
    mem_target: float | None = None  # MiB of kehu's peak memory, when the issue sets one
    fresh: str | None = None  # "book" or "empty": each run gets a fresh copy of that file
    db: str = "book"  # "book", or "fresh": the book of a just-imported customers sheet
    check: Callable[[Book, Run, Run, Path, Path], list[str]] | None = None  # warnings, after the warm-up


def cases(book: Book) -> list[Case]:
    name, customer = book.customer_name, str(book.customer_id)
    return [
        Case("version", ["--version"], ["typer_import.py"], 1.5),
        Case("help", ["--help"], ["typer_import.py"], 1.5),
        # Issue 13's targets: the morning list 5× (realistic book) and 8× (all due after an import).
        Case("followups", ["followups", "today", "--format", "table", "--limit", "50"],
             ["followups.py", "{db}", TODAY], 5, check=check_followups),
        Case("followups-fresh", ["followups", "today", "--format", "table", "--limit", "50"],
             ["followups.py", "{db}", TODAY], 8, db="fresh", check=check_followups),
        Case("list", ["list", "--grade", "A", "--format", "csv"], ["cards.py", "{db}", "--grade", "A"], 8,
             check=check_csv_rows),
        Case("list-pulled", ["list", "--stage", "呈现价值", "--status", "open", "--min-value", "50万",
                             "--touched-before", "2026-11-01", "--sort", "-expected_value",
                             "--format", "csv"], ["cards.py", "{db}", "--pulled"], 8, check=check_csv_rows),
        # One card, one touch, one new card: against the bare start-up of the stack (issue 13, 2×)
        # and, as -work, against a stdlib script doing the same reads and writes.
        Case("show", ["show", name, "--format", "table"], ["startup.py"], 2, check=check_name_shown),
        Case("show-work", ["show", name, "--format", "table"], ["show.py", "{db}", name], 8,
             check=check_show),
        Case("log", ["log", customer, "电话沟通", "--channel", "电话"], ["startup.py"], 2, fresh="book",
             check=check_logged),
        Case("log-work", ["log", customer, "电话沟通", "--channel", "电话"],
             ["log.py", "{db}", customer, TODAY], 8, fresh="book", check=check_log),
        Case("add", ["add", NEW_CUSTOMER, "--grade", "B"], ["startup.py"], 2, fresh="book",
             check=check_added),
        Case("import", ["import", "customers", str(book.csv)],
             ["import_customers.py", "{db}", str(book.csv), TODAY], 5, mem_target=150, fresh="empty",
             check=check_import),
        Case("export", ["export", "customers", "--format", "csv"], ["cards.py", "{db}"], 2.5,
             check=check_csv_rows),
        Case("report", ["report", "--format", "table"], ["report.py", "{db}", TODAY], 3, check=check_report),
    ]  # fmt: skip


CASE_NAMES = ("version", "help", "followups", "followups-fresh", "list", "list-pulled", "show", "show-work",
              "log", "log-work", "add", "import", "export", "report")  # fmt: skip
NEW_CUSTOMER = "基准测试新客户"
PG_CASE_NAMES = ("followups-pg", "import-pg")  # benchmarks/pg.py, with --pg-url


# --- sanity checks: does the floor do what kehu does? ------------------------------------------------


def _text(run: Run) -> str:
    return run.stdout.decode("utf-8", "replace")


def check_csv_rows(_book, kehu: Run, floor: Run, _kdb, _fdb) -> list[str]:
    rows_kehu, rows_floor = len(_text(kehu).splitlines()) - 1, len(_text(floor).splitlines()) - 1
    if rows_kehu != rows_floor:
        return [f"kehu printed {rows_kehu} rows, the floor {rows_floor}"]
    return []


TOTALS = re.compile(r"(\d+) overdue, (\d+) due, (\d+) planned visits?, (\d+) birthdays?, (\d+) to collect")
# Issue 17's sections, each in kehu's summary only when there are any.
MORE_TOTALS = {
    "promises": re.compile(r"(\d+) promises? to pay"),
    "complaints": re.compile(r"(\d+) complaints? open"),
    "after_sale": re.compile(r"(\d+) after-sale touch(?:es)?"),
}
LUNAR = re.compile(r"(\d+) lunar birthdays not converted")


def _totals(run: Run) -> dict[str, int] | None:
    said = run.stderr.decode("utf-8", "replace")
    found = TOTALS.search(said)
    if not found:
        return None
    keys = ("overdue", "due", "plans", "birthdays", "collect")
    totals = dict(zip(keys, map(int, found.groups()), strict=True))
    for key, pattern in MORE_TOTALS.items():
        more = pattern.search(said)
        totals[key] = int(more.group(1)) if more else 0
    return totals


def check_followups(_book, kehu: Run, floor: Run, _kdb, _fdb) -> list[str]:
    kehu_totals, floor_totals = _totals(kehu), _totals(floor)
    if not kehu_totals or not floor_totals:
        return ["no totals line (… overdue, … due, …) to compare"]
    warnings = []
    lunar = LUNAR.search(floor.stderr.decode("utf-8", "replace"))
    unconverted = int(lunar.group(1)) if lunar else 0  # lunar birthdays the floor cannot place on a day
    same = all(kehu_totals[key] == floor_totals[key]
               for key in ("overdue", "due", "plans", "collect", *MORE_TOTALS))  # fmt: skip
    birthdays = (
        floor_totals["birthdays"] <= kehu_totals["birthdays"] <= floor_totals["birthdays"] + unconverted
    )
    if not (same and birthdays):
        warnings.append(
            f"totals differ: kehu {kehu_totals}, floor {floor_totals} (+{unconverted} lunar birthdays)"
        )
    names, section = [], None
    for line in _text(floor).splitlines():
        if line in ("Overdue", "Due", "To collect", "Planned visits", "Birthdays"):
            section = line
        elif section in ("Overdue", "Due"):
            names.append(line.split()[0])
    missing = [n for n in names if n not in _text(kehu)]
    if missing:
        warnings.append(
            f"{len(missing)} of the floor's {len(names)} customers not in kehu's list, e.g. {missing[0]}"
        )
    return warnings


def check_show(book: Book, kehu: Run, floor: Run, _kdb, _fdb) -> list[str]:
    contacts = [
        line.split()[0]
        for line in _text(floor).split("Contacts\n", 1)[-1].split("Touches (", 1)[0].splitlines()
        if line.strip()
    ]
    missing = [n for n in [book.customer_name, *contacts] if n not in _text(kehu)]
    return [f"kehu's card lacks {', '.join(missing)}"] if missing else []


def check_name_shown(book: Book, kehu: Run, _floor, _kdb, _fdb) -> list[str]:
    return [] if book.customer_name in _text(kehu) else [f"kehu's card lacks {book.customer_name}"]


def check_logged(book: Book, _kehu, _floor, kehu_db: Path, _fdb) -> list[str]:
    touches = _count(kehu_db, "SELECT count(*) FROM touch")[0]
    return (
        []
        if touches == book.touches + 1
        else [f"kehu's book has {touches} touches, expected {book.touches + 1}"]
    )


def check_added(_book, _kehu, _floor, kehu_db: Path, _fdb) -> list[str]:
    found = _count(kehu_db, "SELECT count(*) FROM customer WHERE name = ?", NEW_CUSTOMER)[0]
    return [] if found == 1 else [f"kehu's book has {found} customers named {NEW_CUSTOMER}, expected 1"]


def check_report(_book, kehu: Run, floor: Run, _kdb, _fdb) -> list[str]:
    figures = [line.split(",", 1) for line in _text(floor).splitlines()[1:6]]
    shown = _text(kehu).replace(",", "")  # a table's money reads 1,200,000.00
    missing = [f"{figure} {value}" for figure, value in figures
               if any(part not in shown for part in value.split(" · "))]  # fmt: skip
    return [f"kehu's dashboard lacks the floor's {'; '.join(missing)}"] if missing else []


def _count(db: Path, sql: str, *args) -> tuple:
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as connection:
        return connection.execute(sql, args).fetchone()


def check_import(book: Book, _kehu, _floor, kehu_db: Path, floor_db: Path) -> list[str]:
    expected = book.params["customers"]
    got = {
        who: _count(db, "SELECT count(*) FROM customer")[0]
        for who, db in (("kehu", kehu_db), ("floor", floor_db))
    }
    if set(got.values()) != {expected}:
        return [f"customers imported: kehu {got['kehu']}, floor {got['floor']}, csv {expected}"]
    return []


def check_log(book: Book, _kehu, _floor, kehu_db: Path, floor_db: Path) -> list[str]:
    sql = ("SELECT (SELECT count(*) FROM touch), last_touch_on, last_channel, next_due FROM customer "
           "WHERE id = ?")  # fmt: skip
    kehu_state, floor_state = _count(kehu_db, sql, book.customer_id), _count(floor_db, sql, book.customer_id)
    warnings = []
    if kehu_state != floor_state:
        warnings.append(
            f"after the log: kehu {kehu_state}, floor {floor_state} (touches, last touch, channel, due)"
        )
    if kehu_state[0] != book.touches + 1:
        warnings.append(f"kehu's book has {kehu_state[0]} touches, expected {book.touches + 1}")
    return warnings


# --- measuring a case ------------------------------------------------------------------------------


@dataclass
class Side:
    median: float = 0.0
    seconds: list[float] = field(default_factory=list)
    peak_mib: float = 0.0


@dataclass
class Result:
    case: str
    kehu_command: str
    floor_command: str
    target: float
    mem_target: float | None
    runs: int = 0
    kehu: Side = field(default_factory=Side)
    floor: Side = field(default_factory=Side)
    ratio: float | None = None
    status: str = "OK"
    error: str | None = None
    warnings: list[str] = field(default_factory=list)

    def over(self, factor: float) -> bool:
        """Is the ratio (or the peak memory) over `factor` times its target?"""
        if self.ratio is None:
            return False
        memory_over = self.mem_target is not None and self.kehu.peak_mib > factor * self.mem_target
        return self.ratio > factor * self.target or memory_over


class Runner:
    def __init__(self, book: Book) -> None:
        self.book = book
        self.scratch = book.work / "scratch"
        self.scratch.mkdir(exist_ok=True)

    def _database(self, case: Case, who: str) -> Path:
        """The database this run uses: the book, or a fresh copy of the book or the empty one."""
        if case.db == "fresh":
            return self.fresh_import()
        if case.fresh is None:
            return self.book.path
        copy = self.scratch / f"{who}.db"
        for old in self.scratch.glob(f"{who}.db*"):
            old.unlink()
        shutil.copyfile(self.book.path if case.fresh == "book" else self.book.empty, copy)
        with copy.open("rb+") as handle:  # written out now, not by the first fsync of the timed run
            os.fsync(handle.fileno())
        return copy

    def fresh_import(self) -> Path:
        """The customers sheet imported into an empty book, once per run of this script (the
        import's result depends on kehu's code as much as on the sheet)."""
        book = self.book
        if not getattr(self, "_fresh_done", False):
            for old in book.work.glob("fresh.db*"):
                old.unlink()
            shutil.copyfile(book.empty, book.fresh)
            kehu_or_die(["import", "customers", str(book.csv)], book.work, book.fresh)
            self._fresh_done = True
        return book.fresh

    def kehu(self, case: Case, keep: bool = False) -> tuple[Run, Path | str]:
        db = self._database(case, "kehu")
        return run_once([*kehu_command(), *case.kehu], environment(self.book.work, db), keep), db

    def floor(self, case: Case, keep: bool = False) -> tuple[Run, Path | str]:
        db = self._database(case, "floor")
        script, *args = case.floor
        args = [str(db) if a == "{db}" else a for a in args]
        # A floor script runs with kehu's Python; anything else (psql) is a program on PATH.
        argv = [sys.executable, str(FLOORS / script), *args] if script.endswith(".py") else [script, *args]
        return run_once(argv, environment(self.book.work, db), keep), db

    def measure(self, case: Case, runs: int) -> Result:
        result = Result(case.name, "kehu " + " ".join(case.kehu), " ".join(case.floor), case.target,
                        case.mem_target)  # fmt: skip
        (kehu, kehu_db), (floor, floor_db) = self.kehu(case, keep=True), self.floor(case, keep=True)
        for who, run in (("kehu", kehu), ("floor", floor)):
            if run.exit_code != 0:
                result.status, result.error = "FAIL", f"{who} exited {run.exit_code}: {run.last_error_line()}"
                return result
        if case.check:
            result.warnings = case.check(self.book, kehu, floor, kehu_db, floor_db)
        result.runs = runs if kehu.seconds <= SLOW_SECONDS else min(runs, SLOW_RUNS)
        kehu_runs, floor_runs = [], []
        for _ in range(result.runs):  # alternating, so that a slower minute hurts both sides alike
            kehu_runs.append(self.kehu(case)[0])
            floor_runs.append(self.floor(case)[0])
        for who, timed in (("kehu", kehu_runs), ("floor", floor_runs)):
            failed = [run for run in timed if run.exit_code != 0]
            if failed:
                result.status, result.error = (
                    "FAIL",
                    f"{who} exited {failed[0].exit_code}: {failed[0].last_error_line()}",
                )
                return result
        result.kehu, result.floor = side(kehu_runs), side(floor_runs)
        result.ratio = result.kehu.median / result.floor.median
        if result.over(1.0):
            result.status = "OVER"
        return result


def side(runs: list[Run]) -> Side:
    seconds = [run.seconds for run in runs]
    return Side(statistics.median(seconds), seconds, max(run.peak_mib for run in runs))


# --- the report -----------------------------------------------------------------------------------


def header_lines(book: Book, kehu_version: str) -> list[str]:
    p = book.params
    return [
        f"book: {p['customers']} customers, {p['touches']} touches (seed {p['seed']}), today {TODAY}, "
        f"{book.size()}: {book.path}",
        f"machine: {os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, Python "
        f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}, {kehu_version.strip()}",
    ]


ROW = "{:<{w}} {:>8} {:>8} {:>7} {:>7} {:>9} {:>9} {:>4}  {}"


def table(results: list[Result]) -> str:
    """The results, one line per case, then what failed and what the sanity checks found."""
    w = max([10, *(len(r.case) for r in results)])  # followups-pg is longer than the SQLite names
    lines = [
        ROW.format(
            "case", "kehu s", "floor s", "ratio", "target", "kehu MiB", "floor MiB", "runs", "status", w=w
        )
    ]
    for r in results:
        target = f"{r.target:g}×"
        if r.ratio is None:
            lines.append(ROW.format(r.case, "-", "-", "-", target, "-", "-", r.runs, r.status, w=w))
            continue
        memory = f"{r.kehu.peak_mib:.0f}" + (f"/{r.mem_target:g}" if r.mem_target else "")
        seconds = (f"{r.kehu.median:.3f}", f"{r.floor.median:.3f}", f"{r.ratio:.2f}×")
        lines.append(
            ROW.format(r.case, *seconds, target, memory, f"{r.floor.peak_mib:.0f}", r.runs, r.status, w=w)
        )
    for r in results:
        if r.error:
            lines.append(f"FAIL {r.case}: {r.kehu_command}: {r.error}")
        for warning in r.warnings:
            lines.append(f"WARNING {r.case}: the floor and kehu disagree: {warning}")
    return "\n".join(lines)


# --- main ------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--customers", type=int, help="customers in the book (default 100000; --quick 10000)")
    parser.add_argument("--touches", type=int, help="touches in the book (default 10 × customers)")
    parser.add_argument("--seed", type=int, default=1, help="the generator's seed (default %(default)s)")
    parser.add_argument(
        "--runs", type=int, help="timed runs per case after the warm-up (default 5; --quick 3)"
    )
    parser.add_argument("--work", type=Path, help="where the book is kept (default: <tmp>/kehu-bench/<size>)")
    parser.add_argument("--quick", action="store_true", help="CI size: 10k customers, 100k touches, 3 runs")
    parser.add_argument(
        "--fail-over",
        type=float,
        metavar="FACTOR",
        help="exit 1 if a ratio is over FACTOR × its target (CI: 3)",
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=CASE_NAMES + PG_CASE_NAMES,
        metavar="CASE",
        help=f"only these cases: {', '.join(CASE_NAMES + PG_CASE_NAMES)} (the last two need --pg-url)",
    )
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("KEHU_BENCH_PG_URL") or None,
        metavar="URL",
        help="also time followups and import on PostgreSQL: a role that may create databases, e.g. "
        "postgresql+psycopg://kehu:kehu@localhost/postgres (default: $KEHU_BENCH_PG_URL; see pg.py)",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also save the results as JSON")
    args = parser.parse_args(argv)
    args.customers = args.customers or (10_000 if args.quick else 100_000)
    args.touches = args.touches or 10 * args.customers
    args.runs = args.runs or (3 if args.quick else 5)
    if args.runs < 1 or args.customers < 10:
        parser.error("--runs must be at least 1 and --customers at least 10")
    if not args.pg_url and set(args.only or ()) & set(PG_CASE_NAMES):
        parser.error("the -pg cases need --pg-url URL or KEHU_BENCH_PG_URL")
    if args.work is None:
        import tempfile

        args.work = (
            Path(tempfile.gettempdir()) / "kehu-bench" / f"{args.customers}x{args.touches}-s{args.seed}"
        )
    return args


def import_pg():
    """benchmarks/pg.py, which takes its helpers from this module: this very module, not a second
    copy of it loaded again under the name run."""
    sys.modules.setdefault("run", sys.modules[__name__])
    import pg

    return pg


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    book = prepare_book(args.work.resolve(), args.customers, args.touches, args.seed)
    version = kehu_or_die(["--version"], book.work, book.path)
    header = header_lines(book, version)
    runner = Runner(book)
    plan = [(case, runner) for case in cases(book)]
    server = None
    if args.pg_url and (not args.only or set(args.only) & set(PG_CASE_NAMES)):
        pg = import_pg()
        server = pg.prepare(book, args.pg_url)
        header.append(pg.header_line(server))
        pg_runner = pg.PgRunner(book, server)
        for case in pg.cases(book):  # each beside its SQLite twin
            twin = next(i for i, (c, _r) in enumerate(plan) if c.name == case.name.removesuffix("-pg"))
            plan.insert(twin + 1, (case, pg_runner))
    print("\n".join(header), flush=True)
    results = []
    for case, case_runner in plan:
        if args.only and case.name not in args.only:
            continue
        print(f"  {case.name} …", end="", file=sys.stderr, flush=True)
        results.append(case_runner.measure(case, args.runs))
        print(f" {results[-1].status}", file=sys.stderr, flush=True)
    print(table(results))
    failed = [r.case for r in results if r.status == "FAIL"]
    over = [r.case for r in results if args.fail_over and r.over(args.fail_over)]
    print(f"{len(results)} cases in {time.perf_counter() - started:.0f} s"
          + (f"; failed: {', '.join(failed)}" if failed else "")
          + (f"; over {args.fail_over:g} × target: {', '.join(over)}" if over else ""))  # fmt: skip
    if args.json:
        data = {"book": book.params | {"path": str(book.path), "size": book.size()}, "header": header,
                "results": [asdict(r) for r in results]}  # fmt: skip
        if server:
            data["postgresql"] = import_pg().databases(server)
        args.json.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return 1 if failed or over else 0


if __name__ == "__main__":
    sys.exit(main())
