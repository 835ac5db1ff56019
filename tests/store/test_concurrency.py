"""Several kehu processes writing one file at once: BEGIN IMMEDIATE makes them wait, not fail."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

WRITERS = 4
ADDS_EACH = 15


def test_concurrent_writers_lose_nothing(tmp_path: Path):
    db = tmp_path / "shared.db"
    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from kehu.cli.app import app\n"
        "runner = CliRunner()\n"
        "for i in range(int(sys.argv[2])):\n"
        "    r = runner.invoke(app, ['--db', sys.argv[1], 'add', f'客户{sys.argv[3]}-{i}'])\n"
        "    if r.exit_code != 0:\n"
        "        print(r.exit_code, r.stderr, file=sys.stderr); sys.exit(r.exit_code)\n"
    )
    env = {**os.environ, "KEHU_CONFIG": str(tmp_path / "none.toml")}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(db), str(ADDS_EACH), str(n)],
            stderr=subprocess.PIPE,
            env=env,
        )  # fmt: skip
        for n in range(WRITERS)
    ]
    errors = [p.communicate(timeout=300)[1] for p in processes]
    assert [p.returncode for p in processes] == [0] * WRITERS, errors
    assert not any(b"locked" in e for e in errors)
    import sqlite3

    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM customer").fetchone()[0] == WRITERS * ADDS_EACH
    connection.close()
