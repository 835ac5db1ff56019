"""The stage's questions (推进问题, issue 16): kehu answer records one (again: replaced), kehu
answers lists them with their answers in every format, the card marks the answered ones, and
kehu export|import answers carry them. Both backends."""

from __future__ import annotations

import json

import pytest

from tests.helpers import csv_rows, ok

CSV_HEADER = "customer,pipeline,stage,question,answer,answered_on\n"


@pytest.fixture
def deal(kehu):
    ok(kehu("add", "杭州海纳科技"))
    ok(kehu("advance", "海纳", "value", "--skip-evidence"))  # 呈现价值: four questions
    return kehu


def test_answer_records_and_replaces_and_answers_lists_every_format(deal, on):
    said = ok(deal("answer", "海纳", "2", "先做POC，再报价"))
    assert said.stderr == "杭州海纳科技: answer 2 of present value recorded\n"
    again = ok(on("2026-11-24", "answer", "海纳", "2", "先做POC，巩固本地服务优势"))
    assert again.stderr == "杭州海纳科技: answer 2 of present value replaced\n"
    assert ok(deal("answers", "海纳", "--format", "csv")).stdout == (
        "stage,question,answer,answered_on\n"
        "value,1,,\n"
        "value,2,先做POC，巩固本地服务优势,2026-11-24\n"
        "value,3,,\n"
        "value,4,,\n"
    )  # fmt: skip
    data = json.loads(ok(deal("answers", "海纳", "--format", "json")).stdout)
    assert data[1] == {"stage": "value", "question": 2, "answer": "先做POC，巩固本地服务优势",
                       "answered_on": "2026-11-24"}  # fmt: skip
    labelled = ok(deal("answers", "海纳", "--format", "csv", "--labels")).stdout.splitlines()
    # The question in words where words are asked for.
    assert labelled[:2] == ["stage,no.,question,answer,day",
                            'value,1,"Against the competition, what are our strengths and weaknesses?",,']
    lines = ok(deal("answers", "海纳", "--format", "jsonl")).stdout.splitlines()
    assert len(lines) == 4 and json.loads(lines[0])["answer"] is None
    assert ok(deal("answers", "海纳", "--format", "tsv")).stdout.splitlines()[0] == (
        "stage\tquestion\tanswer\tanswered_on")  # fmt: skip
    table = ok(deal("answers", "海纳", "--format", "table", env={"COLUMNS": "80"})).stdout
    assert "Against the competition" in table and "先做POC" in table
    assert max(len(line) for line in table.splitlines()) <= 80
    chinese = ok(deal("answers", "海纳", "--format", "table", env={"KEHU_LANG": "zh_CN", "COLUMNS": "80"}))
    assert "通过差异化分析" in chinese.stdout


def test_a_named_stage_and_wrong_numbers(deal):
    ok(deal("answer", "海纳", "1", "发起者已提交采购申请", "--stage", "挖掘需求"))
    rows = csv_rows(deal("answers", "海纳", "--stage", "needs", "--format", "csv"))
    assert [(r["stage"], r["question"], r["answer"]) for r in rows][:2] == [
        ("needs", "1", "发起者已提交采购申请"), ("needs", "2", "")]  # fmt: skip
    too_far = deal("answer", "海纳", "5", "x")
    assert (too_far.exit_code, too_far.stderr) == (2, "kehu: present value has questions 1 to 4, not 5\n")
    assert deal("answer", "海纳", "0", "x").exit_code == 2
    assert deal("answer", "海纳", "1", "  ").stderr == "kehu: the answer is empty\n"
    unknown = deal("answer", "海纳", "1", "x", "--stage", "签约")
    assert unknown.exit_code == 2 and "unknown stage" in unknown.stderr
    assert csv_rows(deal("answers", "海纳", "--format", "csv"))[0]["answer"] == ""  # value: none written


def test_the_card_lists_the_stage_questions_and_marks_the_answered(deal):
    long = "优势是本地化服务和实施速度，劣势是价格比对手高出约百分之十五，需要用总体拥有成本来说明"
    ok(deal("answer", "海纳", "1", long))
    table = ok(deal("show", "海纳", "--format", "table", env={"COLUMNS": "80"})).stdout
    stage = table[table.index("to move on") :]
    assert max(len(line) for line in table.splitlines()) <= 80
    assert "✓ 1. Against the competition, what are our strengths and weaknesses?" in stage
    assert "  2. What is the action plan" in stage and "✓ 2." not in stage
    # The answer wraps under the question, never cut: its two halves are there.
    assert "优势是本地化服务和实施速度" in stage and "来说明" in stage
    data = json.loads(ok(deal("show", "海纳", "--format", "json")).stdout)
    assert data["funnel"]["answers"] == [{"question": 1, "answer": long, "answered_on": "2026-11-23"}]


def test_export_then_import_into_another_book_gives_the_same_answers(deal, tmp_path):
    ok(deal("answer", "海纳", "1", "本地化服务"))
    ok(deal("answer", "海纳", "3", "已按需求改写", "--stage", "needs"))
    exported = ok(deal("export", "answers")).stdout
    assert exported == (
        CSV_HEADER + "杭州海纳科技,key-account,needs,3,已按需求改写,2026-11-23\n"
        "杭州海纳科技,key-account,value,1,本地化服务,2026-11-23\n"
    )  # fmt: skip
    file = tmp_path / "answers.csv"
    file.write_text(exported, encoding="utf-8")
    again = ok(deal("import", "answers", str(file)))
    assert again.stderr == "imported stage answers: 0 added, 0 updated, 2 unchanged, 0 skipped\n"
    changed = tmp_path / "changed.csv"
    changed.write_text("客户名称,销售阶段,问题编号,回答\n杭州海纳科技,呈现价值,1,本地化服务和速度\n"
                       "杭州海纳科技,value,2,行动计划\n", encoding="utf-8")  # fmt: skip
    assert ok(deal("import", "answers", str(changed))).stderr == (
        "imported stage answers: 1 added, 1 updated, 0 unchanged, 0 skipped\n")  # fmt: skip
    rows = csv_rows(deal("answers", "海纳", "--format", "csv"))
    assert [r["answer"] for r in rows] == ["本地化服务和速度", "行动计划", "", ""]


def test_a_bad_answers_file_writes_nothing(deal, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(CSV_HEADER + "杭州海纳科技,key-account,value,1,好,2026-11-20\n"
                   "杭州海纳科技,key-account,value,9,太远,2026-11-20\n"
                   "没有这家,key-account,value,1,无,2026-11-20\n"
                   "杭州海纳科技,key-account,value,2,明天的答案,2026-11-24\n", encoding="utf-8")  # fmt: skip
    refused = deal("import", "answers", str(bad))
    assert refused.exit_code == 65
    assert refused.stderr.splitlines()[1:] == [
        "line 3: present value has questions 1 to 4, not 9",
        "line 4: no customer named '没有这家'",
        "line 5, answered_on: an answer cannot be in the future",
    ]
    assert ok(deal("export", "answers")).stdout == CSV_HEADER
