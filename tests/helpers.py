"""Small assertions shared by the CLI tests."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_section(title: str) -> str:
    """The text of README.md's `## title…` section, up to the next one."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split(f"\n## {title}", 1)[1].split("\n## ", 1)[0]


def readme_commands(title: str) -> list[list[str]]:
    """The kehu commands of the first sh block of a README section, as argument lists (without
    `kehu`; trailing comments dropped): what a reader would type, one line each."""
    import re
    import shlex

    block = re.findall(r"```sh\n(.*?)```", readme_section(title), flags=re.DOTALL)[0]
    return [shlex.split(line, comments=True)[1:] for line in block.splitlines() if line.startswith("kehu ")]


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


def build_demo_book(folder: Path) -> Path:
    """Build the demo book as examples/demo.sh does, in a copy of examples/ under `folder`."""
    shutil.copytree(ROOT / "examples", folder / "examples", ignore=shutil.ignore_patterns("demo.db*"))
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    built = subprocess.run([str(folder / "examples" / "demo.sh")], cwd=folder, env=env, capture_output=True,
                           timeout=600)  # fmt: skip
    assert built.returncode == 0, built.stderr.decode()[-2000:]
    return folder / "examples" / "demo.db"
