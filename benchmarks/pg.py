"""The PostgreSQL cases of run.py (issue 7): the same book in PostgreSQL, against psql floors.

    .venv/bin/python benchmarks/run.py --pg-url postgresql+psycopg://USER:PASS@HOST/postgres
    KEHU_BENCH_PG_URL=postgresql+psycopg://USER:PASS@HOST/postgres .venv/bin/python benchmarks/run.py

The URL names a role that may create databases and a database to connect to for CREATE and
DROP DATABASE; run.py makes its own databases beside it, named after the book:

* kehu_bench_<customers>x<touches>_s<seed>: the book, put there by kehu itself (`kehu dump` of
  the SQLite book, `kehu load` into a fresh database) and then VACUUM ANALYZE, so that the planner
  has statistics and the visibility map is set, as on a database in use. It is kept, its
  parameters in the database's comment, and loaded again only when they change (a few minutes
  at 100k customers). `kehu info` brings it to kehu's current schema before timing, as for SQLite.
* …_empty: kehu's schema without rows (`kehu info` on a fresh database, remade every run), the
  template of …_kehu and …_floor, the fresh empty books of the import: dropped and created again
  from the template before every run of it, outside the timed part, as SQLite's import gets a
  fresh copy of empty.db. The last two are left behind, as SQLite's copies are in scratch/.

The cases, beside their SQLite twins and with the same targets:

* followups-pg: `kehu followups today --format table --limit 50` on the book; floor
  floors/followups_pg.sql run by psql (followups.py's queries in PostgreSQL's SQL, one statement:
  the urgency top 50 and the totals, planned visits, birthdays, money to collect); 8×
* import-pg: `kehu import customers CSV` into the empty book; floor floors/import_customers_pg.py
  (import_customers.py's conversions, the rows piped as CSV into psql's \\copy, that is COPY); 3×,
  and kehu's peak memory ≤ 150 MiB

After the warm-up each floor is checked against kehu as for SQLite (a WARNING when they differ):
the followups totals and the customers listed, the rows each import left in its database.

Every PostgreSQL process runs in run.py's environment (psql from PATH); kehu gets the
postgresql+psycopg URL in KEHU_DB, psql the same URL without the +driver. Only the standard
library and psql are used here: no PostgreSQL driver is needed beyond the one kehu uses.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from run import FLOORS, TODAY, Book, Case, Run, Runner, check_followups, kehu_or_die

# --- the server and its databases ---------------------------------------------------------------------


@dataclass
class Server:
    url: str  # as given: SQLAlchemy's postgresql+psycopg://USER:PASS@HOST[:PORT]/DATABASE
    base: str  # kehu_bench_<customers>x<touches>_s<seed>
    version: str = ""

    def kehu_url(self, database: str) -> str:
        """The URL kehu opens (KEHU_DB) for one of our databases on this server."""
        return urlunsplit(urlsplit(self.url)._replace(path="/" + database))

    @property
    def book(self) -> str:
        return self.base

    @property
    def empty(self) -> str:
        return self.base + "_empty"

    def fresh(self, who: str) -> str:
        """The import's empty book for `who` (kehu or floor)."""
        return f"{self.base}_{who}"


def psql_url(url: str) -> str:
    """psql's form of a SQLAlchemy URL: postgresql+psycopg:// → postgresql://."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme=parts.scheme.split("+", 1)[0]))


def psql(url: str, *commands: str) -> str:
    """Run each command through psql in one session (-c each: each its own transaction, so that
    CREATE DATABASE and VACUUM may run); the rows as unaligned text. An error stops the run."""
    argv = ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"]
    for command in commands:
        argv += ["-c", command]
    env = dict(os.environ, PGOPTIONS="-c client_min_messages=error")  # no NOTICE: … does not exist
    try:
        done = subprocess.run([*argv, psql_url(url)], capture_output=True, text=True, env=env)
    except FileNotFoundError:
        raise SystemExit("run.py: the PostgreSQL cases need psql on PATH") from None
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or [f"exit {done.returncode}"]
        raise SystemExit(f"run.py: psql {' '.join(commands)[:200]}: {lines[0]}")
    return done.stdout.strip()


def recreate(server: Server, database: str, template: str | None = None) -> None:
    """Drop `database` (closing any session left on it) and create it again, empty or a copy."""
    copy = f" TEMPLATE {template}" if template else ""
    psql(server.url, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)", f"CREATE DATABASE {database}{copy}")


def comment(server: Server, database: str) -> str:
    return psql(server.url, "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                            f"WHERE datname = '{database}'")  # fmt: skip


def prepare(book: Book, url: str) -> Server:
    """The book in PostgreSQL (loaded again if its parameters changed) and the empty template."""
    p = book.params
    server = Server(url, f"kehu_bench_{p['customers']}x{p['touches']}_s{p['seed']}")
    server.version = psql(url, "SHOW server_version").split()[0]
    marker = json.dumps(p, sort_keys=True)
    if comment(server, server.book) != marker:
        load_book(book, server, marker)
    kehu_or_die(["info"], book.work, server.kehu_url(server.book))  # kehu's current schema, untimed
    recreate(server, server.empty)
    kehu_or_die(["info"], book.work, server.kehu_url(server.empty))
    return server


def load_book(book: Book, server: Server, marker: str) -> None:
    """kehu dump the SQLite book, kehu load it into a fresh database, VACUUM ANALYZE, mark it."""
    print(f"loading the book into PostgreSQL database {server.book} (a few minutes at 100k customers) …",
          file=sys.stderr, flush=True)  # fmt: skip
    dump = book.work / "scratch" / "book.jsonl"
    dump.parent.mkdir(exist_ok=True)
    recreate(server, server.book)
    try:
        kehu_or_die(["dump", str(dump), "--force"], book.work, book.path)
        kehu_or_die(["load", str(dump)], book.work, server.kehu_url(server.book))
    finally:
        dump.unlink(missing_ok=True)
    database = server.kehu_url(server.book)
    psql(database, "VACUUM ANALYZE")
    psql(database, f"COMMENT ON DATABASE {server.book} IS '{marker.replace(chr(39), chr(39) * 2)}'")


def header_line(server: Server) -> str:
    client = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.split()[2]
    where = urlsplit(server.url).hostname or "localhost"
    return (f"postgresql: server {server.version} on {where}, psql {client}; book in database "
            f"{server.book} (kehu load, VACUUM ANALYZE)")  # fmt: skip


# --- the cases -----------------------------------------------------------------------------------------


def cases(book: Book) -> list[Case]:
    return [
        Case("followups-pg", ["followups", "today", "--format", "table", "--limit", "50"],
             ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-v", f"today={TODAY}", "-f",
              str(FLOORS / "followups_pg.sql"), "{db}"], 8, check=check_followups),
        Case("import-pg", ["import", "customers", str(book.csv)],
             ["import_customers_pg.py", "{db}", str(book.csv), TODAY], 3, mem_target=150, fresh="empty",
             check=check_import),
    ]  # fmt: skip


def check_import(book: Book, _kehu: Run, _floor: Run, kehu_db: str, floor_db: str) -> list[str]:
    expected = book.params["customers"]
    databases = {"kehu": kehu_db, "floor": floor_db}
    got = {who: int(psql(db, "SELECT count(*) FROM customer")) for who, db in databases.items()}
    if set(got.values()) != {expected}:
        return [f"customers imported: kehu {got['kehu']}, floor {got['floor']}, csv {expected}"]
    return []


class PgRunner(Runner):
    """run.py's Runner on the PostgreSQL databases: kehu gets the book's URL (or a fresh empty
    database's), its floor the same database in psql's form."""

    def __init__(self, book: Book, server: Server) -> None:
        super().__init__(book)
        self.server = server

    def _database(self, case: Case, who: str) -> str:
        database = self.server.book
        if case.fresh == "empty":
            database = self.server.fresh(who)
            recreate(self.server, database, template=self.server.empty)
        elif case.fresh is not None:
            raise ValueError(f"{case.name}: no fresh {case.fresh} on PostgreSQL")
        url = self.server.kehu_url(database)
        return url if who == "kehu" else psql_url(url)


def databases(server: Server) -> dict[str, str]:
    """What run.py --json records of the PostgreSQL side (no password)."""
    parts = urlsplit(server.url)
    return {"server": server.version, "host": parts.hostname or "", "user": parts.username or "",
            "book": server.book, "empty": server.empty}  # fmt: skip
