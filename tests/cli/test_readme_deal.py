"""README's deal room runs as written: a key account from first visit to signed contract, with an
organisation, a rival, a need, a proposal and a quote (issue 16), on both backends."""

from __future__ import annotations

import json
import re

from tests.helpers import csv_rows, readme_commands, readme_section


def deal_room_commands() -> list[list[str]]:
    return readme_commands("The deal room")


def test_the_readme_deal_runs_as_written(kehu):
    commands = deal_room_commands()
    assert len(commands) >= 15
    for args in commands:
        result = kehu(*args)
        assert result.exit_code == 0, (args, result.stderr)
    card = json.loads(kehu("show", "宁波明州", "--format", "json").stdout)
    assert (card["funnel"]["status"], card["funnel"]["stage"], card["expected_value"]) == (
        "won",
        "collect",
        "780000.00",
    )
    assert [contract["amount"] for contract in card["contracts"]] == ["780000.00"]
    stages = csv_rows(kehu("stages", "宁波明州", "--format", "csv"))
    evidence = {row["from_stage"]: row["evidence"] for row in stages}
    # Leaving 挖掘需求 and 呈现价值 with --yes took the recorded need and the proposal as evidence.
    assert evidence["needs"] == "库存实时可查，对接用友财务"
    assert evidence["value"] == "智能仓储方案 v1"
    [rival] = csv_rows(kehu("report", "rivals", "--format", "csv"))
    assert (rival["rival"], rival["customers"], rival["we_won"], rival["they_won"]) == ("用友", "1", "1", "0")
    org = csv_rows(kehu("org", "宁波明州", "--format", "csv"))
    assert [(row["name"], row["reports_to"], row["relationship"]) for row in org] == [
        ("冯建军", "", "trusted"), ("何丽", "冯建军", "meeting"), ("蒋涛", "冯建军", ""),
    ]  # fmt: skip


def test_the_readme_org_chart_is_what_kehu_draws(kehu):
    for args in deal_room_commands():
        kehu(*args)
    section = readme_section("The deal room")
    drawn = re.findall(r"```\n(宁波明州物流\n.*?)```", section, flags=re.DOTALL)[0]
    shown = kehu("org", "宁波明州", "--format", "table", env={"COLUMNS": "80", "KEHU_LANG": "en"}).stdout
    assert [line.rstrip() for line in shown.splitlines()] == drawn.rstrip("\n").splitlines()
