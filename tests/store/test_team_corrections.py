"""Team mode on PostgreSQL (issue 14): a seller corrects their own record under row-level
security — removing the touch of `kehu done` opens their visit again, edits move their due day;
a colleague's record stays out of reach (tests/store/test_team.py)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import PG_URL, TODAY
from tests.helpers import ok
from tests.store.teams import Team, run

pytestmark = pytest.mark.skipif(not PG_URL, reason="KEHU_TEST_PG_URL is not set")


def test_a_seller_undoes_their_own_done_visit_and_corrects_their_touch(team: Team):
    seller = team.urls["李娜"]
    mine = json.loads(ok(run(seller, "list", "-f", "json")).stdout)[0]
    ok(run(seller, "plan", str(mine["id"]), TODAY, "--purpose", "拜访"))
    ok(run(seller, "done", str(mine["id"]), "去了"))
    [touch, *_] = json.loads(ok(run(seller, "history", str(mine["id"]), "-f", "json")).stdout)
    ok(run(seller, "touch", "edit", str(touch["id"]), "--summary", "去了，见了采购"))
    result = ok(run(seller, "touch", "remove", str(touch["id"])))
    assert "plan list" in result.stderr
    [plan] = json.loads(ok(run(seller, "plan", "list", str(mine["id"]), "-f", "json")).stdout)
    assert (plan["planned_on"], plan["status"]) == (TODAY, "planned")
    ok(run(seller, "plan", "cancel", str(plan["id"]), "--reason", "改期"))
    listed = ok(run(team.admin, "plan", "list", str(mine["id"]), "--all", "-f", "json"))
    [cancelled] = json.loads(listed.stdout)
    assert (cancelled["status"], cancelled["cancel_reason"]) == ("cancelled", "改期")
