"""The decision chain (组织结构分析, DOMAIN §2): who plays which purchase role, and what is missing.

Seed 001 has the salesperson map every purchase role and develop an insider (发展向导); by the
time value is presented (呈现价值, 40% in the six-step funnel) the decision maker must be known.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from kehu.domain.vocabulary import PURCHASE_ROLE
from kehu.i18n import _

DECISION_MAKER_FROM = 0.4  # stage probability from which a decision maker contact is required


def by_role(contacts: Iterable[Mapping[str, Any]]) -> list[tuple[str | None, list[Mapping[str, Any]]]]:
    """Contacts grouped by purchase role in the order of DOMAIN §2; those without a role last."""
    groups: dict[str | None, list[Mapping[str, Any]]] = {}
    for contact in contacts:
        groups.setdefault(contact.get("role"), []).append(contact)
    order = [choice.code for choice in PURCHASE_ROLE.choices] + [None]
    return [(role, groups[role]) for role in order if role in groups]


def gaps(contacts: list[Mapping[str, Any]], stage_probability: float | None, status: str) -> list[str]:
    """What the decision chain lacks for where the customer stands in the funnel."""
    if status != "open":
        return []
    found: list[str] = []
    roles = {c.get("role") for c in contacts}
    probability = stage_probability or 0.0
    if probability >= DECISION_MAKER_FROM and "decision_maker" not in roles:
        found.append(_("no decision maker among the contacts at this stage"))
    if probability > 0.1 and not any(c.get("insider") for c in contacts):
        found.append(_("no insider yet"))
    if not contacts:
        found.append(_("no contacts yet"))
    return found
