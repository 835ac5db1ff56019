"""Small assertions shared by the CLI tests."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path


def ok(result):
    """The result of a command that must succeed (its stderr is the failure message)."""
    assert result.exit_code == 0, result.stderr
    return result


def rows(run, *args: str) -> list[dict]:
    """The JSON rows of `kehu followups ARGS`, run with `run` (the `kehu` fixture or a wrapper)."""
    return json.loads(ok(run("followups", *args, "--format", "json")).stdout)


def csv_rows(result) -> list[dict]:
    """The rows of a successful command's CSV output."""
    return list(csv.DictReader(io.StringIO(ok(result).stdout)))


def customer_count(db: Path) -> int:
    """How many customers the file holds, read with the standard library (not through kehu)."""
    connection = sqlite3.connect(db)
    try:
        return connection.execute("SELECT count(*) FROM customer").fetchone()[0]
    finally:
        connection.close()
