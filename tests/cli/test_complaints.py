"""After-sale complaints: add, resolve, list; open ones due in kehu followups until resolved."""

from __future__ import annotations

import json

import pytest

from tests.helpers import ok


def complaints(kehu, *args: str) -> list[dict]:
    return json.loads(ok(kehu("complaint", "list", *args, "--format", "json")).stdout)


@pytest.fixture
def raised(kehu):
    ok(kehu("add", "杭州海纳科技", "--grade", "B"))
    ok(kehu("contact", "add", "海纳", "张伟"))
    ok(
        kehu(
            "complaint",
            "add",
            "海纳",
            "交货晚了两周",
            "--severity",
            "高",
            "--from",
            "张伟",
            "--on",
            "2026-11-20",
        )
    )
    ok(kehu("complaint", "add", "海纳", "发票开错了", "--severity", "紧急"))
    ok(kehu("complaint", "add", "海纳", "包装有破损", "--on", "2026-11-01"))
    return kehu


def test_complaints_list_open_first_most_severe_first(raised):
    keys = ("id", "description", "severity", "status", "contact", "raised_on", "days")
    assert [tuple(c[k] for k in keys) for c in complaints(raised)] == [
        (2, "发票开错了", "critical", "open", None, "2026-11-23", 0),
        (1, "交货晚了两周", "high", "open", "张伟", "2026-11-20", 3),
        (3, "包装有破损", None, "open", None, "2026-11-01", 22),
    ]  # fmt: skip
    labelled = json.loads(ok(raised("complaint", "list", "--format", "json", "--labels")).stdout)
    assert (labelled[0]["severity"], labelled[0]["status"]) == ("critical", "open")


def test_resolving_takes_a_complaint_off_the_due_list(raised):
    due = [(i["note"], i["day"]) for i in json.loads(ok(raised("followups", "--format", "json")).stdout)
           if i["kind"] == "complaint"]  # fmt: skip
    assert due == [("critical", "2026-11-23"), ("high", "2026-11-20"), (None, "2026-11-01")]
    done = ok(raised("complaint", "resolve", "1", "--resolution", "补发，赔偿运费", "--on", "2026-11-22"))
    assert done.stderr == "complaint 1 of 杭州海纳科技 resolved\n"
    again = raised("complaint", "resolve", "1")
    assert (again.exit_code, again.stderr) == (1, "kehu: complaint 1 is resolved already (2026-11-22)\n")
    resolved = next(c for c in complaints(raised) if c["id"] == 1)
    assert (resolved["status"], resolved["resolved_on"], resolved["resolution"], resolved["days"]) == (
        "resolved", "2026-11-22", "补发，赔偿运费", 2)  # fmt: skip
    assert [c["id"] for c in complaints(raised, "--open")] == [2, 3]
    due = [i["note"] for i in json.loads(ok(raised("followups", "week", "--format", "json")).stdout)
           if i["kind"] == "complaint"]  # fmt: skip
    assert due == ["critical", None]


def test_bad_complaints_are_refused_with_one_line(raised):
    future = raised("complaint", "add", "海纳", "x", "--on", "2026-12-01")
    assert (future.exit_code, future.stderr.splitlines()[-1]) == (
        2, "kehu: --on: a complaint cannot be raised in the future (2026-12-01)")  # fmt: skip
    early = raised("complaint", "resolve", "2", "--on", "2026-11-01")
    assert early.exit_code == 2
    assert (
        early.stderr.splitlines()[-1] == "kehu: --on: resolved (2026-11-01) before it was raised (2026-11-23)"
    )
    missing = raised("complaint", "resolve", "99")
    assert (missing.exit_code, missing.stderr) == (1, "kehu: no complaint 99\n")
    assert raised("complaint", "add", "海纳", "x", "--severity", "huge").exit_code == 2
    assert len(complaints(raised)) == 3


def test_complaints_export_and_import_back_the_same(kehu, raised, tmp_path):
    exported = ok(kehu("export", "complaints")).stdout
    assert (
        exported.splitlines()[0]
        == "id,customer,description,severity,status,contact,raised_on,resolved_on,resolution"
    )
    copy = str(tmp_path / "copy.db")
    ok(kehu("--db", copy, "add", "杭州海纳科技", "--grade", "B"))
    ok(kehu("--db", copy, "contact", "add", "海纳", "张伟"))
    said = ok(kehu("--db", copy, "import", "complaints", "-", input=exported)).stderr
    assert said.startswith(f"imported complaints: {len(exported.splitlines()) - 1} added")
    assert ok(kehu("--db", copy, "export", "complaints")).stdout == exported
    bad = "customer,description,severity\n杭州海纳科技,x,apocalyptic\n无此客户,y,\n"
    refused = kehu("--db", copy, "import", "complaints", "-", input=bad)
    assert refused.exit_code == 65 and "2 bad rows" in refused.stderr


def test_the_card_lists_the_open_complaints_only(kehu, raised):
    for complaint in complaints(kehu):
        if complaint["description"] != "交货晚了两周":
            ok(kehu("complaint", "resolve", str(complaint["id"]), "--resolution", "处理了"))
    card = json.loads(ok(kehu("show", "海纳", "--format", "json")).stdout)
    assert [(c["description"], c["severity"], c["contact"]) for c in card["complaints"]] == [
        ("交货晚了两周", "high", "张伟")
    ]
    table = ok(kehu("show", "海纳", "--format", "table", env={"COLUMNS": "80"})).stdout
    section = table[table.index("Open complaints") :]
    assert "交货晚了两周" in section and "发票开错了" not in section
    assert max(len(line) for line in table.splitlines()) <= 80
