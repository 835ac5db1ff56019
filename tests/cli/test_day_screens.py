"""The screens a salesperson lives in, on the demo book at 80 columns (issue 14): every row of
`kehu followups` keeps the customer, what to do and the phone; the card and the history wrap
rather than cut; colour carries urgency on a terminal only."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from kehu.cli.app import app
from kehu.domain.aging import COLLECTION_STEPS
from tests.helpers import build_demo_book

ROOT = Path(__file__).resolve().parents[2]
DEMO_TODAY = "2026-11-23"
pytestmark = pytest.mark.sqlite_only


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    """The demo book examples/demo.sh builds, in a copy of examples/."""
    return build_demo_book(tmp_path_factory.mktemp("demo"))


@pytest.fixture(params=["C.UTF-8", "zh_CN.UTF-8"], ids=["en", "zh"])
def screen(request, demo_db):
    """Run kehu on the demo book, in one language, on an 80-column screen (a table on stdout)."""

    def run(*args: str, width: int = 80, **env: str):
        environment = {"KEHU_DB": str(demo_db), "KEHU_TODAY": DEMO_TODAY, "COLUMNS": str(width),
                       "LANG": request.param, "LC_ALL": request.param, "KEHU_LANG": "", **env}  # fmt: skip
        result = CliRunner().invoke(app, list(args), env=environment)
        assert result.exit_code == 0, result.stderr
        return result

    return run


def table_rows(text: str, anchor: int = -1) -> list[list[str]]:
    """The logical rows of Rich tables: a row's continuation lines (its wrapped cells) joined on.

    A new row starts where the `anchor` column (whole, never wrapped: the morning list's phone) has
    text; continuation lines leave it blank. Cells are joined without the spaces wrapping took out."""
    found: list[list[str]] = []
    for line in text.splitlines():
        if not line.startswith("│"):
            continue
        cells = [cell.strip() for cell in line.strip("│").split("│")]
        if found and not cells[anchor] and len(found[-1]) == len(cells):
            found[-1] = [a + b for a, b in zip(found[-1], cells, strict=True)]
        else:
            found.append(cells)
    return found


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def widest_line(text: str) -> int:
    return max(cell_len(line) for line in text.splitlines())


def test_every_morning_row_at_80_columns_keeps_the_customer_what_to_do_and_the_phone(screen):
    items = json.loads(screen("followups", "--format", "json").stdout)
    table = screen("followups", "--format", "table").stdout
    assert widest_line(table) <= 80
    assert len(items) >= 10  # the demo's Monday: overdue, due, money to collect, a birthday
    rows = [[squeezed(c) for c in cells] for cells in table_rows(table)]
    assert len(rows) == len(items), table
    for item in items:  # the JSON is ranked as one list; the table is in sections
        # A collection item's note is its step's key; the table says the step in words.
        steps = [words for s in COLLECTION_STEPS if s.key == item["note"] for words in (s.zh, s.en)]
        reasons = {"plan": [item["note"]], "birthday": [item["contact"]], "collect": steps}.get(
            item["kind"], [item["next_step"] or ""])  # fmt: skip
        matching = [
            cells
            for cells in rows
            if cells[0] == squeezed(item["customer"])
            and squeezed(item["phone"]) in cells
            and any(squeezed(reason) in c for c in cells[1:] for reason in reasons)
        ]
        assert item["phone"] and matching, (item, table)


def test_the_week_at_80_columns_tells_a_visit_from_a_birthday_and_prints_each_day_once(screen):
    table = screen("followups", "week", "--format", "table").stdout
    assert widest_line(table) <= 80
    for cells in table_rows(table):
        assert not any(re.fullmatch(r"\d{4}-\d\d-\d\d", c) for c in cells), cells  # the date is the title
    rows = [squeezed("".join(cells)) for cells in table_rows(table)]
    visits = [r for r in rows if "POC" in r]
    birthdays = [r for r in rows if "黎博文" in r and ("birthday" in r or "生日" in r)]
    assert visits and birthdays and not set(visits) & set(birthdays)


def test_money_to_collect_names_the_step_the_amount_and_whom_to_call(screen):
    table = screen("followups", "--format", "table").stdout
    [row] = [cells for cells in table_rows(table) if squeezed(cells[0]) == "天津津港建设集团有限公司"]
    text = "".join(row)
    assert "800,000.00" in text and ("legalroute" in squeezed(text) or "法律催收" in text)
    assert re.search(r"\d{3}-\d{4}-\d{4}", text)


def test_the_demo_contract_in_parts_is_collected_instalment_by_instalment(screen):
    """长沙湘江's 一期 (examples/funnel.sh): the deposit paid, delivered and accepted, 60% a month after
    acceptance partly paid and long overdue, the retention not due for a year; 二期 in the funnel."""
    listed = screen("contract", "list", "--instalments", "--format", "csv").stdout
    parts = [row for row in csv.DictReader(io.StringIO(listed)) if row["number"] == "XJ-2025-01"]
    assert [(p["event"], p["amount"], p["due_on"], p["paid"], p["bucket"], p["step"]) for p in parts] == [
        ("signing", "240000.00", "2025-09-20", "240000.00", "", ""),
        ("acceptance", "480000.00", "2026-01-19", "300000.00", "90+", "legal"),
        ("acceptance", "80000.00", "2026-12-20", "0.00", "not_due", ""),
    ]
    table = screen("followups", "--format", "table").stdout
    [row] = [cells for cells in table_rows(table) if squeezed(cells[0]) == "长沙湘江汽车零部件有限公司"
             and "180,000.00" in "".join(cells)]  # fmt: skip
    card = json.loads(screen("show", "湘江", "--format", "json").stdout)
    assert (card["funnel"]["status"], card["funnel"]["stage"], card["expected_value"]) == (
        "open",
        "commit",
        "960000.00",
    )


def test_colour_carries_urgency_on_a_terminal_and_never_into_a_pipe_or_under_no_color(screen):
    coloured = screen("followups", "--format", "table", FORCE_COLOR="1", TERM="xterm-256color").stdout
    assert "\x1b[31m" in coloured  # overdue: red
    assert "\x1b[33m" in coloured  # due today: yellow
    assert "\x1b[35m" in coloured  # a birthday: magenta
    plain = screen("followups", "--format", "table").stdout
    assert "\x1b[" not in plain
    no_color = screen("followups", "--format", "table", FORCE_COLOR="1", NO_COLOR="1").stdout
    assert not re.search(r"\x1b\[[0-9;]*3[1-7]m", no_color)


def test_money_in_tables_reads_like_money_and_files_stay_exact(screen):
    table = screen(
        "list", "--grade", "A", "--format", "table", "--columns", "name,expected_value", width=120
    ).stdout
    assert "1,200,000.00" in table
    exported = screen("list", "--grade", "A", "--format", "csv", "--columns", "name,expected_value").stdout
    assert "1200000.00" in exported and "1,200,000" not in exported


def panel_text(text: str) -> str:
    """A card's text with the frame, the padding and the line breaks of wrapping taken out."""
    return squeezed(re.sub(r"[│╭╮╰╯─┃┏┓┗┛━┡┩└┘┌┐├┤┬┴┼╇╈╋┳┻]", "", text))


def test_the_card_before_a_call_shows_the_follow_up_the_money_and_the_stage_at_80_columns(screen, demo_db):
    card = screen("show", "天津津港", "--format", "table").stdout
    assert widest_line(card) <= 80
    whole = panel_text(card)
    assert "800,000.00" in whole and "1,200,000.00" in whole  # owed, and the contract it comes from
    assert "126" in whole  # days overdue
    assert "2026-11-20" in whole and "约下周五到集团汇报实施计划" in whole  # the last touch
    assert "158-7341-5424" in whole  # whom to call
    assert "汇报三个分公司的实施计划" in whole  # the visit planned for Friday
    data = json.loads(screen("show", "天津津港", "--format", "json").stdout)
    assert data["outstanding"] == data["overdue"] == "800000.00"
    [contract] = data["contracts"]
    assert (contract["amount"], contract["paid"], contract["outstanding"]) == (
        "1200000.00",
        "400000.00",
        "800000.00",
    )
    assert contract["days_overdue"] == 126 and contract["step"] == "legal"
    # the collection visit of examples/after_sale.sh counts as a touch
    assert data["follow_up"]["last_touch_on"] == "2026-11-20" and data["touch_count"] == 8
    assert [t["summary"] for t in data["recent_touches"]][0] == "约下周五到集团汇报实施计划"
    assert [p["purpose"] for p in data["plans"]] == ["汇报三个分公司的实施计划"]


def test_the_card_wraps_the_notes_and_shows_the_next_step_and_the_stage_questions(screen):
    card = screen("show", "杭州海纳", "--format", "table").stdout
    assert widest_line(card) <= 80
    whole = panel_text(card)
    assert "工业物联网平台厂商，2026杭州工博会上认识；年底预算要花完，信息中心主任是实际把关人。" in whole
    assert "…" not in card
    assert "电话确认合同修改意见" in whole  # the next step
    data = json.loads(screen("show", "杭州海纳", "--format", "json").stdout)
    assert data["follow_up"]["next_step"] == "电话确认合同修改意见"
    for question in data["funnel"]["questions"]["zh" if "等级" in card else "en"]:
        assert squeezed(question) in whole
    assert data["funnel"]["questions"]["en"] and data["funnel"]["questions"]["zh"]


def test_history_at_80_columns_wraps_what_happened_rather_than_dropping_it(screen):
    history = screen("history", "杭州海纳", "--format", "table").stdout
    assert widest_line(history) <= 80
    rows = [[squeezed(cell) for cell in row] for row in table_rows(history, anchor=0)]
    latest = rows[0]
    # How and with whom stay beside what happened; its outcome and the next step under it.
    assert latest[:4] == ["225", "2026-11-20", "phone" if "channel" in history else "电话", "吴晓丽"]
    assert latest[4].startswith("跟进法务审核进度") and latest[4].endswith("→2026-11-23电话确认合同修改意见")
    assert any(row[4].startswith("杭州工博会展位上交流，了解工业物联网平台的设备管理") for row in rows)
