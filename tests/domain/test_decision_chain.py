from kehu.domain.decision_chain import by_role, gaps


def test_contacts_are_grouped_in_the_order_of_the_roles():
    contacts = [{"name": "甲", "role": "user"}, {"name": "乙", "role": None},
                {"name": "丙", "role": "decision_maker"}, {"name": "丁", "role": "user"}]  # fmt: skip
    assert [(role, [c["name"] for c in group]) for role, group in by_role(contacts)] == [
        ("decision_maker", ["丙"]), ("user", ["甲", "丁"]), (None, ["乙"]),
    ]  # fmt: skip


def test_gaps_depend_on_the_stage_and_status():
    without_boss = [{"role": "user", "insider": None}]
    assert gaps(without_boss, 0.1, "open") == []
    assert gaps(without_boss, 0.2, "open") == ["no insider yet"]
    assert gaps(without_boss, 0.4, "open") == [
        "no decision maker among the contacts at this stage", "no insider yet",
    ]  # fmt: skip
    assert gaps([{"role": "decision_maker", "insider": "high"}], 0.75, "open") == []
    assert gaps([], 0.1, "open") == ["no contacts yet"]
    assert gaps(without_boss, 0.4, "won") == []
