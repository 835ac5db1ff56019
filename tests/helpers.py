"""Small assertions shared by the CLI tests."""

from __future__ import annotations

import json


def ok(result):
    """The result of a command that must succeed (its stderr is the failure message)."""
    assert result.exit_code == 0, result.stderr
    return result


def rows(run, *args: str) -> list[dict]:
    """The JSON rows of `kehu followups ARGS`, run with `run` (the `kehu` fixture or a wrapper)."""
    return json.loads(ok(run("followups", *args, "--format", "json")).stdout)
