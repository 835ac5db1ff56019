"""Shared fixtures: a fresh database file per test, a fixed today, and ways to run kehu.

`kehu(*args)` runs the real command in-process through Typer's CliRunner (fast; stdout and
stderr kept apart); `kehu_process(*args)` runs `python -m kehu` as a subprocess for exit codes,
pipes, encodings and concurrency.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kehu.cli.app import app

TODAY = "2026-11-23"  # a Monday


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's own config, database or language."""
    for variable in ("KEHU_DB", "KEHU_TODAY", "KEHU_LANG", "LC_ALL", "LANGUAGE", "KEHU_DEBUG"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("KEHU_CONFIG", str(tmp_path / "config" / "config.toml"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "book.db"


@pytest.fixture
def kehu(db_path: Path) -> Callable[..., Result]:
    """Run kehu in-process on the test's database, as if today were TODAY."""
    runner = CliRunner()

    def run(*args: str, input: str | bytes | None = None, env: dict | None = None) -> Result:
        result = runner.invoke(app, ["--db", str(db_path), "--today", TODAY, *args], input=input, env=env)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Result(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def kehu_process(db_path: Path) -> Callable[..., subprocess.CompletedProcess]:
    """Run `python -m kehu` in a subprocess (bytes in, bytes out)."""

    def run(
        *args: str, input: bytes | None = None, env: dict | None = None, db: bool = True
    ) -> subprocess.CompletedProcess:
        full_env = {**os.environ, **(env or {})}
        prefix = ["--db", str(db_path), "--today", TODAY] if db else []
        return subprocess.run(
            [sys.executable, "-m", "kehu", *prefix, *args],
            input=input,
            capture_output=True,
            env=full_env,
            timeout=120,
        )

    return run


@pytest.fixture
def on(db_path: Path) -> Callable[..., object]:
    """Run kehu on the test's database as if today were `day` (`on("2028-02-25", "add", …)`).

    `--today` also dates what a command writes (a card added "on" a day counts as added then),
    so no clock needs patching: results do not depend on when or where the tests run.
    """
    runner = CliRunner()

    def run(day: str, *args: str, env: dict | None = None):
        result = runner.invoke(app, ["--db", str(db_path), "--today", day, *args], env=env)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result

    return run
