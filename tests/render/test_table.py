"""Fitting a table to the terminal: wrap before dropping, drop the least important first."""

from __future__ import annotations

import io

from rich.cells import cell_len
from rich.text import Text

from kehu.render.formats import Column
from kehu.render.table import fit_widths, write_table


def column(key: str, kind: str = "text") -> Column:
    return Column(key=key, header=key, label=key, text=str, kind=kind)


COLUMNS = [column("customer"), column("due", "date"), column("action"), column("phone"), column("last")]
ROW = ["杭州海纳科技有限公司" * 2, "2026-11-23", "电话确认合同修改意见，约周五拜访沈总", "151-8695-4161",
       "2026-11-20 phone 吴晓丽 跟进法务审核进度"]  # fmt: skip


def widths(width: int, priority=()) -> dict[str, int | None]:
    rows = [[Text(cell) for cell in ROW]]
    return {c.key: w for c, w in zip(COLUMNS, fit_widths(COLUMNS, rows, width, priority), strict=True)}


def test_a_wide_terminal_keeps_every_column_whole():
    assert widths(300) == {"customer": 40, "due": 10, "action": 36, "phone": 13, "last": 40}


def test_a_narrow_terminal_wraps_text_but_never_a_date_or_a_phone():
    found = widths(120)
    assert found["due"] == 10 and found["phone"] == 13
    assert all(found[k] is not None for k in found)
    assert sum(found.values()) + 3 * len(found) - 1 <= 120
    assert found["customer"] < 40 or found["action"] < 36


def test_at_80_columns_the_least_important_go_first_in_the_given_order():
    found = widths(80, priority=("customer", "action", "phone"))
    assert found["customer"] and found["action"] and found["phone"]
    assert found["last"] is None  # named nowhere: least important
    assert widths(80, priority=("customer", "last", "action", "phone"))["last"] is not None


def test_a_rendered_table_fits_and_keeps_whole_cells_whole(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    out = io.StringIO()
    records = [dict(zip([c.key for c in COLUMNS], ROW, strict=True))]
    write_table(records, COLUMNS, out, priority=("customer", "action", "phone"))
    text = out.getvalue()
    assert "151-8695-4161" in text and "2026-11-23" in text
    assert max(cell_len(line) for line in text.splitlines()) <= 80


def test_an_empty_column_goes_before_a_name_has_to_wrap():
    rows = [[Text(cell) for cell in ROW[:4]] + [Text("")]]
    found = fit_widths(COLUMNS, rows, 110, ("customer", "action", "phone"))
    assert found[-1] is None and found[0] == 40
    assert fit_widths(COLUMNS, rows, 300)[-1] is not None  # a table that fits keeps its columns
