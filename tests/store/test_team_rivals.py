"""Rivals in team mode (issue 16): a seller records, lists and reports the rivals of their own
customers only; a colleague's are refused by kehu and hidden by the database."""

from __future__ import annotations

import json

import pytest

from tests.conftest import PG_URL
from tests.helpers import ok
from tests.store.teams import Team, run, sql

pytestmark = pytest.mark.skipif(not PG_URL, reason="KEHU_TEST_PG_URL is not set")


def first_customer(team: Team, owner: str) -> str:
    return json.loads(ok(run(team.admin, "list", "--owner", owner, "-f", "json")).stdout)[0]["name"]


def test_a_seller_sees_and_writes_the_rivals_of_their_own_customers_only(team: Team):
    mine, theirs = first_customer(team, "王磊"), first_customer(team, "李娜")
    ok(run(team.admin, "rival", "add", theirs, "金蝶", "--share", "40"))
    seller = team.urls["王磊"]
    ok(run(seller, "rival", "add", mine, "金蝶", "--share", "30"))
    ok(run(seller, "lost", mine, "--to", "用友"))  # a rival added under the database's wall
    listed = json.loads(ok(run(seller, "rival", "list", "-f", "json")).stdout)
    assert [(r["customer"], r["name"], r["won_on"]) for r in listed] == [
        (mine, "金蝶", None), (mine, "用友", "2026-11-23"),
    ]  # fmt: skip
    refused = run(seller, "rival", "add", theirs, "浪潮")
    assert refused.exit_code == 77 and "李娜" in refused.stderr
    assert sql(seller, "SELECT count(*) FROM rival WHERE share = 40") == [(0,)]
    # The report: the seller's own customers; the whole book for the manager who asks.
    rows = json.loads(ok(run(seller, "report", "rivals", "-f", "json")).stdout)
    assert [(r["rival"], r["customers"], r["they_won"]) for r in rows] == [("用友", 1, 1), ("金蝶", 1, 0)]
    manager = json.loads(ok(run(team.urls["陈晨"], "report", "rivals", "--all-owners", "-f", "json")).stdout)
    assert [(r["rival"], r["customers"]) for r in manager] == [("金蝶", 2), ("用友", 1)]
    exported = ok(run(team.admin, "export", "rivals")).stdout.splitlines()
    assert len(exported) == 4  # the header and three rivals
