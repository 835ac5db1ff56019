"""The chain of command (domain.org): loops found, the chart drawn in order."""

from __future__ import annotations

from kehu.domain.decision_chain import by_role
from kehu.domain.org import chart, cycle_through, first_cycle


def test_a_loop_is_found_from_whoever_is_in_it():
    superiors = {1: 2, 2: 3, 3: 1, 4: None, 5: 4}
    assert cycle_through(superiors, 1) == [1, 2, 3, 1]
    assert cycle_through(superiors, 5) is None
    assert cycle_through({7: 7}, 7) == [7, 7]
    assert first_cycle({4: None, 5: 4}) is None
    assert first_cycle({"a": "b", "b": "c", "c": "b"}) == ["b", "c", "b"]


def test_the_chart_puts_each_person_under_the_nearest_present_superior():
    people = [
        {"id": 1, "reports_to_id": None},
        {"id": 3, "reports_to_id": 2},  # 2 is archived; 2 reports to 1
        {"id": 4, "reports_to_id": 1},
        {"id": 5, "reports_to_id": 9},  # 9 is gone and reports to nobody
    ]
    drawn = [(depth, person["id"]) for depth, person in chart(people, {2: 1, 9: None})]
    assert drawn == [(0, 1), (1, 3), (1, 4), (0, 5)]


def test_a_stored_loop_is_still_drawn_once_each():
    people = [{"id": 1, "reports_to_id": 2}, {"id": 2, "reports_to_id": 1}]
    assert [(depth, person["id"]) for depth, person in chart(people)] == [(0, 1), (1, 2)]


def test_the_approver_has_its_own_branch_after_the_purchaser():
    contacts = [{"name": "周静", "role": "approver"}, {"name": "钱伟", "role": "purchaser"}, {"name": "甲"}]
    assert [role for role, _group in by_role(contacts)] == ["purchaser", "approver", None]
