"""Names that stay findable (issue 14): a customer typed twice is caught, archived cards step
aside, unknown names get suggestions, pinyin initials match with gaps."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import ok


def add(kehu, *names: str) -> None:
    for name in names:
        ok(kehu("add", name, "--force"))


def ids(kehu) -> dict[str, int]:
    listed = json.loads(ok(kehu("list", "--all", "--format", "json")).stdout)
    return {row["name"]: row["id"] for row in listed}


# --- a customer typed twice ---------------------------------------------------------------


def test_add_refuses_a_name_like_a_customers_and_names_that_card(kehu):
    add(kehu, "杭州海纳科技有限公司")
    for typed in ("杭州海纳科技", "杭州海纳科技 股份有限公司", "杭州海纳科技（集团）"):
        result = kehu("add", typed)
        assert result.exit_code == 1, typed
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1
        assert "杭州海纳科技有限公司" in lines[0] and "1" in lines[0] and "--force" in lines[0]
    assert list(ids(kehu)) == ["杭州海纳科技有限公司"]


def test_add_force_adds_the_similar_name(kehu):
    add(kehu, "ACME Co., Ltd.")
    assert kehu("add", "acme inc").exit_code == 1
    ok(kehu("add", "acme inc", "--force"))
    assert set(ids(kehu)) == {"ACME Co., Ltd.", "acme inc"}


def test_add_lets_names_that_only_share_a_part_be(kehu):
    add(kehu, "杭州海纳科技有限公司")
    ok(kehu("add", "杭州海纳"))
    ok(kehu("add", "杭州海纳科技发展有限公司"))
    ok(kehu("add", "Costco"))
    ok(kehu("add", "Cost Inc"))


def sheet(tmp_path: Path, *names: str) -> str:
    path = tmp_path / "new.csv"
    path.write_text("客户名称,客户等级\n" + "".join(f'"{n}",B\n' for n in names), encoding="utf-8")
    return str(path)


def test_import_warns_per_row_with_the_line_and_writes(kehu, tmp_path):
    add(kehu, "杭州海纳科技有限公司")
    result = ok(kehu("import", "customers", sheet(tmp_path, "新客户", "杭州海纳科技", "Acme Ltd", "ACME Inc.")))
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning")]
    assert len(warnings) == 2
    assert "line 3" in warnings[0] and "杭州海纳科技有限公司" in warnings[0] and "customer 1" in warnings[0]
    assert "line 5" in warnings[1] and "line 4" in warnings[1]
    assert len(ids(kehu)) == 5


def test_import_strict_refuses_the_file_and_writes_nothing(kehu, tmp_path):
    add(kehu, "杭州海纳科技有限公司")
    result = kehu("import", "customers", sheet(tmp_path, "新客户", "杭州海纳科技"), "--strict")
    assert result.exit_code == 65
    assert "line 3" in result.stderr and "杭州海纳科技有限公司" in result.stderr
    assert list(ids(kehu)) == ["杭州海纳科技有限公司"]


def test_import_of_the_same_names_updates_without_a_warning(kehu, tmp_path):
    add(kehu, "杭州海纳科技有限公司", "杭州海纳科技")  # both kept on purpose (--force)
    result = ok(kehu("import", "customers", sheet(tmp_path, "杭州海纳科技有限公司", "杭州海纳科技"), "--strict"))
    assert "warning" not in result.stderr
    assert "2 updated" in result.stderr
