"""The organisation (组织结构, DOMAIN §2): who reports to whom among a customer's contacts.

Pure functions over plain values: `superiors` maps a contact's id to the id of the contact they
report to (or None). The chain of command must end: nobody reports to themselves, directly or
round a loop (A → B → A).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

Key = TypeVar("Key")


def cycle_through(superiors: Mapping[Key, Key | None], person: Key) -> list[Key] | None:
    """The loop `person`'s chain of command runs into, from `person` back to them (A, B, A),
    or None when the chain ends. A chain that loops above `person` without passing them is
    reported from where it starts looping."""
    seen: list[Key] = []
    current: Key | None = person
    while current is not None:
        if current in seen:
            return [*seen[seen.index(current) :], current]
        seen.append(current)
        current = superiors.get(current)
    return None


def first_cycle(superiors: Mapping[Key, Key | None], order: Iterable[Key] | None = None) -> list[Key] | None:
    """A loop anywhere among these people (checked in `order`, default the mapping's), or None."""
    cleared: set[Key] = set()
    for person in order if order is not None else superiors:
        if person in cleared:
            continue
        loop = cycle_through(superiors, person)
        if loop is not None:
            return loop
        current: Key | None = person
        while current is not None and current not in cleared:
            cleared.add(current)
            current = superiors.get(current)
    return None


def chart(
    people: list[Mapping[str, Any]], above: Mapping[Any, Any] | None = None
) -> list[tuple[int, Mapping[str, Any]]]:
    """The people in the order an org chart draws them, each with their depth: everyone under
    their superior (depth 0 at the top), in the given order among peers. Someone whose superior
    is not among `people` (archived, say) stands under the nearest one up the chain who is
    (`above`: id → reports_to_id of the people left out), else at the top."""
    by_id = {person["id"]: person for person in people}
    reports: dict[Any, list[Mapping[str, Any]]] = {}
    for person in people:
        reports.setdefault(superior_of(person, by_id, above or {}), []).append(person)
    drawn: list[tuple[int, Mapping[str, Any]]] = []
    done: set[Any] = set()

    def draw(superior: Any, depth: int) -> None:
        for person in reports.get(superior, []):
            if person["id"] not in done:
                done.add(person["id"])
                drawn.append((depth, person))
                draw(person["id"], depth + 1)

    draw(None, 0)
    for person in people:  # a loop (refused when written; a hand-made file could hold one)
        if person["id"] not in done:
            done.add(person["id"])
            drawn.append((0, person))
            draw(person["id"], 1)
    return drawn


def superior_of(person: Mapping[str, Any], present: Mapping[Any, Any], above: Mapping[Any, Any]) -> Any:
    """The id of the nearest superior of `person` who is in `present` (by id), following `above`
    (id → reports_to_id of people not present) past the others; None for the top."""
    current = person.get("reports_to_id")
    passed: set[Any] = set()
    while current is not None and current not in present:
        if current in passed:  # a loop among absent people: a stored book never has one
            return None
        passed.add(current)
        current = above.get(current)
    return current
