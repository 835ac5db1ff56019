"""Messages and tables speak one language at a time (issue 15): stage moves in words, the
colon after an option's name in the interface language, English plurals."""

from __future__ import annotations

from tests.helpers import csv_rows

ZH = {"KEHU_LANG": "zh", "COLUMNS": "120"}
EN = {"KEHU_LANG": "en", "COLUMNS": "120"}


def _moved(kehu):
    assert kehu("add", "杭州海纳科技有限公司").exit_code == 0
    moved = kehu("advance", "海纳", "--evidence", "确认年底有预算", "--yes")
    assert moved.exit_code == 0, moved.stderr


def test_stage_moves_read_as_words_in_a_table_and_codes_in_csv(kehu):
    _moved(kehu)
    chinese = kehu("stages", "海纳", "--format", "table", env=ZH).stdout
    assert "推进" in chinese and "客户分析" in chinese and "建立信任" in chinese
    assert "advance" not in chinese and "analyse" not in chinese
    english = kehu("stages", "海纳", "--format", "table", env=EN).stdout
    assert "advanced" in english and "analyse the customer" in english and "build trust" in english
    for env in (ZH, EN):
        rows = csv_rows(kehu("stages", "海纳", "--format", "csv", env=env))
        moves = [(r["event"], r["from_stage"], r["to_stage"]) for r in rows]
        assert moves == [("advance", "analyse", "trust")]


def test_a_bad_amount_names_its_option_with_the_languages_colon(kehu):
    assert kehu("add", "杭州海纳科技有限公司").exit_code == 0
    chinese = kehu("contract", "add", "海纳", "--amount", "0", env=ZH)
    assert (chinese.exit_code, chinese.stderr) == (2, "kehu: --amount：必须大于零\n")
    english = kehu("contract", "add", "海纳", "--amount", "0", env=EN)
    assert (english.exit_code, english.stderr) == (2, "kehu: --amount: must be more than zero\n")
    paid = kehu("pay", "海纳", "0", env=ZH)
    assert paid.exit_code == 2 and paid.stderr.startswith("kehu: 金额：")
