"""The funnel through the CLI: advance with evidence, back with a reason, won, lost, reopen,
qualification, pipelines, and the stage's weight in the morning list."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest

from tests.helpers import ok, rows


def stages(kehu, customer: str) -> list[tuple]:
    data = json.loads(ok(kehu("stages", customer, "--format", "json")).stdout)
    return [(r["event"], r["from_stage"], r["to_stage"], r["evidence"]) for r in data]


def state(db_path, name: str) -> tuple:
    with sqlite3.connect(db_path) as connection:
        return connection.execute(
            "SELECT pipeline, stage, stage_since, status, won_on, won_value, lost_reason, lost_detail "
            "FROM customer WHERE name = ?", (name,),
        ).fetchone()  # fmt: skip


@pytest.fixture
def deal(kehu):
    ok(kehu("add", "杭州海纳科技", "--grade", "B", "--expected-value", "120万"))
    return kehu


def test_a_new_customer_starts_in_the_first_stage_of_the_default_pipeline(deal, db_path):
    assert state(db_path, "杭州海纳科技")[:4] == ("key-account", "analyse", "2026-11-23", "open")


def test_advance_with_evidence_then_back_with_a_reason(deal, db_path):
    result = ok(deal("advance", "海纳", "--evidence", "找到了明确的销售机会"))
    assert "analyse the customer → build trust (15%)" in result.stderr
    ok(deal("advance", "海纳", "挖掘需求", "--yes"))  # a named stage, by its Chinese name
    assert deal("advance", "海纳", "1").exit_code == 2  # back without a reason
    ok(deal("advance", "海纳", "1", "--reason", "决策人换了"))
    assert stages(deal, "海纳") == [
        ("back", "needs", "analyse", "决策人换了"),
        ("advance", "trust", "needs", None),
        ("advance", "analyse", "trust", "找到了明确的销售机会"),
    ]
    assert state(db_path, "杭州海纳科技")[1] == "analyse"


def test_advance_in_a_script_needs_evidence_or_yes(deal, kehu_process):
    result = kehu_process("advance", "海纳")
    assert result.returncode == 2
    assert "give --evidence" in result.stderr.decode() and "sales opportunity" in result.stderr.decode()
    assert stages(deal, "海纳") == []


def test_advance_on_a_terminal_shows_the_end_marker_and_asks(db_path, kehu):
    """A real terminal (a pty): the end marker is shown and a 'y' confirms the move."""
    import os
    import pty

    ok(kehu("add", "杭州海纳科技"))
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "kehu", "--db", str(db_path), "--today", "2026-11-23", "advance", "海纳"],
        stdin=follower, stdout=subprocess.PIPE, stderr=follower, env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip
    os.close(follower)
    seen = b""
    while b"Is it met?" not in seen:
        seen += os.read(leader, 1024)
    os.write(leader, b"y\n")
    assert process.wait(timeout=30) == 0
    os.close(leader)
    assert b"a clear, near, valuable sales opportunity is found" in seen
    assert stages(kehu, "海纳") == [("advance", "analyse", "trust", None)]


def test_the_last_stage_cannot_be_passed(deal):
    ok(deal("advance", "海纳", "6", "--skip-evidence"))
    # The last stage is 维护 (after-sale care) now, after 回收账款.
    moved = ok(deal("advance", "海纳", "--yes"))
    assert moved.stderr == "杭州海纳科技: collect payment → after-sale care (100%)\n"
    result = deal("advance", "海纳", "--yes")
    assert result.exit_code == 1
    assert result.stderr == "kehu: 杭州海纳科技 is already in the last stage (after-sale care)\n"


def test_won_moves_to_collecting_and_lost_keeps_the_stage(deal, db_path):
    ok(deal("advance", "海纳", "4", "--skip-evidence"))
    ok(deal("won", "海纳", "--amount", "118万"))
    assert state(db_path, "杭州海纳科技")[1:6] == ("collect", "2026-11-23", "won", "2026-11-23", 118000000)
    assert deal("won", "海纳").exit_code == 1
    ok(deal("add", "苏州恒瑞", "--grade", "C"))
    ok(deal("advance", "恒瑞", "3", "--skip-evidence"))
    ok(deal("lost", "恒瑞", "--reason", "price", "--detail", "对手报价低15%"))
    assert state(db_path, "苏州恒瑞")[1] == "needs"  # keeps its stage
    assert state(db_path, "苏州恒瑞")[3:] == ("lost", None, None, "price", "对手报价低15%")
    assert deal("advance", "恒瑞", "--yes").exit_code == 1  # reopen first
    assert (
        json.loads(deal("show", "恒瑞", "--format", "json").stdout)["name"] == "苏州恒瑞"
    )  # still in the book
    ok(deal("reopen", "恒瑞"))
    assert state(db_path, "苏州恒瑞")[3] == "open"
    assert [e[0] for e in stages(deal, "恒瑞")] == ["reopen", "lost", "skipped", "skipped"]


def test_lost_reasons_come_from_a_list_the_config_extends(deal, tmp_path):
    result = deal("lost", "海纳", "--reason", "老板不喜欢")
    assert result.exit_code == 2
    assert result.stderr.startswith("kehu: --reason: unknown value '老板不喜欢'; one of: price, ")
    assert "lost_reasons in the config file" in result.stderr
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('lost_reasons = ["老板不喜欢"]\n', encoding="utf-8")
    ok(deal("lost", "海纳", "--reason", "老板不喜欢"))


def test_qualify_records_answers_and_a_no_warns_on_advance(deal):
    result = ok(deal("qualify", "海纳", "--need", "是", "--budget", "否", "--format", "json"))
    answers = {r["key"]: r["answer"] for r in json.loads(result.stdout)}
    assert answers == {"need": "yes", "timetable": "unknown", "budget": "no", "can_win": "unknown",
                       "worth_it": "unknown", "our_strength": "unknown"}  # fmt: skip
    assert deal("qualify", "海纳", "--budget", "maybe").exit_code == 2
    warned = ok(deal("advance", "海纳", "--yes"))
    assert "warning: not qualified (there is a budget)" in warned.stderr


def test_pipelines_list_show_and_use(deal, db_path):
    listed = json.loads(ok(deal("pipeline", "list", "--format", "json")).stdout)
    assert [(p["key"], p["stages"], p["default"]) for p in listed] == [
        ("key-account", 7, True), ("development", 6, False), ("consultative", 7, False),
    ]  # fmt: skip
    assert (listed[0]["name_zh"], listed[0]["name_en"], listed[0]["origin"]) == (
        "大客户拓展六部曲", "six-step key-account funnel", "builtin")  # fmt: skip
    shown = json.loads(ok(deal("pipeline", "show", "consultative", "--format", "json")).stdout)
    assert [(s["key"], s["probability"]) for s in shown][3:5] == [("shortlist", 0.25), ("commit", 0.5)]
    ok(deal("pipeline", "use", "consultative"))
    ok(deal("add", "新客户"))
    assert state(db_path, "新客户")[:2] == ("consultative", "prospect")
    assert state(db_path, "杭州海纳科技")[:2] == ("key-account", "analyse")  # keeps the one it started in
    assert deal("pipeline", "use", "nosuch").exit_code == 1


def test_a_user_pipeline_from_toml_and_its_line_errors(deal, tmp_path):
    folder = tmp_path / "config" / "pipelines"
    folder.mkdir(parents=True)
    (folder / "saas.toml").write_text(
        'key = "saas"\nname_zh = "SaaS 销售"\nname_en = "SaaS sales"\n\n[[stage]]\nkey = "lead"\n'
        'name_en = "lead"\nprobability = 0.1\n\n[[stage]]\nkey = "won"\nname_en = "won"\nprobability = 1.0\n',
        encoding="utf-8",
    )  # fmt: skip
    ok(deal("pipeline", "use", "saas"))
    ok(deal("add", "SaaS客户"))
    # 维护 (after-sale care) follows a user's pipeline too.
    assert [s["key"] for s in json.loads(ok(deal("pipeline", "show", "--format", "json")).stdout)] == [
        "lead", "won", "maintain"]  # fmt: skip
    bad = tmp_path / "bad.toml"
    bad.write_text('key = "x"\nname_en = "x"\n\n[[stage]]\nkey = "a"\nname_en = "a"\nprobability = 1.5\n')
    result = deal("pipeline", "show", "--file", str(bad))
    assert result.exit_code == 78
    assert "line 7:" in result.stderr


def test_a_later_stage_weighs_more_in_the_morning_list(kehu):
    for name in ("早期客户", "后期客户"):
        ok(kehu("add", name, "--grade", "C"))
    ok(kehu("advance", "后期客户", "5", "--skip-evidence"))  # 赢取承诺, 75%
    found = {r["customer"]: r for r in rows(kehu, "today", "--explain")}
    assert (float(found["早期客户"]["score_stage"]), float(found["后期客户"]["score_stage"])) == (3.0, 22.5)
    assert [r["customer"] for r in rows(kehu, "today")] == ["后期客户", "早期客户"]


def test_show_draws_the_decision_chain_and_warns_about_its_gaps(deal):
    ok(deal("contact", "add", "海纳", "钱伟", "--role", "采购", "--title", "采购经理"))
    ok(deal("contact", "add", "海纳", "吴晓丽", "--role", "设计者", "--insider", "高级"))
    ok(deal("advance", "海纳", "4", "--skip-evidence"))  # 呈现价值: a decision maker is due by now
    data = json.loads(ok(deal("show", "海纳", "--format", "json")).stdout)
    popped = ("days_in_stage", "exit_evidence", "questions", "answers")
    stage = {key: data["funnel"].pop(key) for key in popped}
    assert data["funnel"] == {
        "pipeline": "key-account", "stage": "value", "probability": 0.4, "stage_since": "2026-11-23",
        "status": "open", "gaps": ["no decision maker among the contacts at this stage"],
    }  # fmt: skip
    assert stage["days_in_stage"] == 0 and stage["exit_evidence"]["zh"] == "客户露出购买信号，开始谈判"
    assert len(stage["questions"]["zh"]) == len(stage["questions"]["en"]) >= 3
    table = ok(deal("show", "海纳", "--format", "table", env={"COLUMNS": "120"})).stdout
    assert "present value (40%)" in table
    tree = table[table.index("Decision chain of 杭州海纳科技") :]
    assert tree.index("designer") < tree.index("吴晓丽") < tree.index("purchaser") < tree.index("钱伟")
    assert "⚠ no decision maker" in table
    ok(deal("contact", "add", "海纳", "沈国强", "--role", "决策者"))
    assert json.loads(ok(deal("show", "海纳", "--format", "json")).stdout)["funnel"]["gaps"] == []


def test_pipeline_use_file_installs_a_checked_toml(deal, tmp_path, db_path):
    mine = tmp_path / "mine.toml"
    toml = 'key = "mine"\nname_zh = "我的漏斗"\n\n[[stage]]\nkey = "a"\nname_zh = "初访"\nprobability = 0.2\n'
    mine.write_text(toml, encoding="utf-8")
    ok(deal("pipeline", "use", "--file", str(mine)))
    assert (tmp_path / "config" / "pipelines" / "mine.toml").exists()
    ok(deal("add", "新客户"))
    assert state(db_path, "新客户")[:2] == ("mine", "a")
    assert deal("pipeline", "use").exit_code == 2
