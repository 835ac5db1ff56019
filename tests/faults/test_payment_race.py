"""Money holds under races (issue 12): payments made at the same moment never pay a contract
twice over, on SQLite and on PostgreSQL.

On PostgreSQL, REPEATABLE READ alone let two or three of eight simultaneous 60万 payments on a
100万 contract through (outstanding −800,000): inserts do not conflict. Each round here starts
eight real `kehu pay` processes released together by a barrier file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import TODAY
from tests.helpers import ok

RACERS = 8
ROUNDS = 3

# argv: db, customer, go-file. Waits for the go-file, then pays 60万 once.
PAYER = """
import os, sys, time
from typer.testing import CliRunner
from kehu.cli.app import app
db, customer, go = sys.argv[1:4]
# Everything a payment imports, imported before the start: then the eight payments overlap.
CliRunner().invoke(app, ["--db", db, "pay", customer, "0"])
while not os.path.exists(go):
    time.sleep(0.002)
result = CliRunner().invoke(app, ["--db", db, "pay", customer, "60万"])
print(result.exit_code)
print(result.stderr.strip(), file=sys.stderr)
"""


def _race(target_db: str, customer: str, go: Path, env: dict[str, str]) -> list[tuple[int, str]]:
    processes = [
        subprocess.Popen([sys.executable, "-c", PAYER, target_db, customer, str(go)], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(RACERS)
    ]  # fmt: skip
    time.sleep(1.5)  # every racer imported and waiting
    go.touch()
    results = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        results.append((int(out.decode().strip() or -1), err.decode().strip()))
    return results


def test_eight_payments_at_once_never_overpay_a_contract(kehu, target_db: str, tmp_path: Path):
    env = {**os.environ, "KEHU_CONFIG": str(tmp_path / "no-config.toml"), "KEHU_TODAY": TODAY}
    for round_ in range(ROUNDS):
        customer = f"杭州海纳科技{round_}"
        ok(kehu("add", customer, "--grade", "B"))
        ok(kehu("contract", "add", customer, "--amount", "100万", "--signed", "2026-10-01", "--terms", "30"))
        results = _race(target_db, customer, tmp_path / f"go{round_}", env)
        paid = [err for code, err in results if code == 0]
        refused = [err for code, err in results if code != 0]
        # One 60万 fits in 100万, a second does not: exactly one goes through, the rest are told why.
        assert len(paid) == 1, results
        assert refused == ["kehu: payment 600000.00 is more than the 400000.00 outstanding"] * (RACERS - 1)
        [contract] = json.loads(ok(kehu("contract", "list", customer, "--format", "json")).stdout)
        assert (contract["paid"], contract["outstanding"]) == ("600000.00", "400000.00")
