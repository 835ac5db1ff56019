"""Connecting the DB-API driver: stdlib sqlite3 for a file, psycopg for a PostgreSQL server.

Every setting a connection needs is made here, once, for the commands and the migrations alike.
"""

from __future__ import annotations

import math
import os
import sqlite3
from pathlib import Path

from kehu.errors import ConfigError
from kehu.i18n import _
from kehu.store.location import Location

DEFAULT_BUSY_SECONDS = 5.0
MAX_BUSY_SECONDS = 2_147_483  # SQLite's busy timeout is a C int of milliseconds

# SQLite runs a statement without returning to Python, so Ctrl-C waited for its end, and a
# runaway one has none (issue 12). Every PROGRESS_STEPS of its virtual machine's steps (about a
# millisecond) it now calls _let_signals_in; a pending SIGINT then raises KeyboardInterrupt in that
# call, which makes SQLite stop the statement (SQLITE_INTERRUPT, rolled back; failures.py).
PROGRESS_STEPS = 100_000


def busy_seconds() -> float:
    """KEHU_BUSY_TIMEOUT: how long to wait for another kehu's lock, in seconds (unset or empty: 5).
    Anything but a number from 0 to MAX_BUSY_SECONDS is a configuration error (exit 78)."""
    text = os.environ.get("KEHU_BUSY_TIMEOUT", "").strip()
    if not text:
        return DEFAULT_BUSY_SECONDS
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not 0 <= seconds <= MAX_BUSY_SECONDS:  # NaN fails both comparisons
        raise ConfigError(
            _("KEHU_BUSY_TIMEOUT={value}: give a number of seconds from 0 to {most}").format(
                value=text, most=MAX_BUSY_SECONDS
            )
        )
    return seconds


def connect(location: Location, *, immutable: bool = False):
    """A new driver connection in autocommit mode: kehu issues BEGIN and COMMIT itself."""
    if location.path is None:
        return _connect_server(location)
    return connect_sqlite(location.path, immutable=immutable)


def connect_sqlite(path: Path, *, immutable: bool = False) -> sqlite3.Connection:
    # The file is opened by the path that was checked, never through a URL of the user's: options
    # after a `?` once opened another file past that check (issue 12).
    if immutable:
        target, uri = f"{path.as_uri()}?mode=ro&immutable=1", True
    else:
        target, uri = str(path), False
    seconds = busy_seconds()
    # isolation_level=None: no implicit BEGIN from the module (its own is deferred, and two
    # deferred writers deadlock on the upgrade to a write lock); check_same_thread off because a
    # Python API user may close the book from another thread than the one that opened it.
    connection = sqlite3.connect(
        target, uri=uri, timeout=seconds, isolation_level=None, check_same_thread=False
    )
    connection.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")
    if not immutable:
        connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA foreign_keys = ON")
    # Whatever a received file's schema holds may not call a function with side effects.
    connection.execute("PRAGMA trusted_schema = OFF")
    connection.execute("PRAGMA synchronous = NORMAL")
    # 64 MB of page cache (the default is 2 MB): a 100,000-row import updates six indexes in
    # random order, and with 2 MB it rewrote the same index pages over and over (8 s, not 1).
    connection.execute("PRAGMA cache_size = -65536")
    connection.set_progress_handler(_let_signals_in, PROGRESS_STEPS)
    return connection


def _let_signals_in() -> int:
    return 0  # go on; Python runs its signal handlers on entering any Python function


def _connect_server(location: Location):
    import psycopg

    # A lock held by someone else (a colleague's `LOCK TABLE customer` in psql, say) is waited for
    # as long as SQLite's busy timeout, then it is "busy" (55P03, exit 75), not forever (issue 12).
    # Not statement_timeout: a 100,000-row import may rightly take longer.
    # prepare_threshold=None: psycopg would prepare a statement on the server after its fifth run
    # and reuse that plan: an import's lookups, planned while the table was empty, went on
    # scanning it row by row once it held 100,000 (a 100k import took 83–493 s, not 41).
    return psycopg.connect(
        location.conninfo,
        autocommit=True,
        prepare_threshold=None,
        options=f"-c lock_timeout={int(busy_seconds() * 1000)}",
    )
