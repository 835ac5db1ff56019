"""The organisation drawn as a tree (`kehu org`): the customer at the root, each person under
their superior, two lines a person: who they are (name, title, department), then how they stand
in the purchase (role, insider, style, relationship, authority). Two short lines read at 80
columns in either language where one long line would wrap in mid-phrase."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

from rich.text import Text
from rich.tree import Tree

from kehu.domain.values import format_money_for_people
from kehu.domain.vocabulary import COMMUNICATION_STYLE, INSIDER_LEVEL, PURCHASE_ROLE, RELATIONSHIP
from kehu.i18n import _
from kehu.render.table import console_for
from kehu.render.visible import visible

SEPARATOR = " · "


def who(person: Mapping[str, Any]) -> Text:
    """Name (★ for the key contact), title, department, years at the company."""
    text = Text(visible(person["name"]), style="bold")
    if person.get("is_key"):
        text.append(" ★")
    parts = [person.get("title"), person.get("department")]
    if person.get("years_at_company") is not None:
        parts.append(_("{years} yrs").format(years=person["years_at_company"]))
    rest = SEPARATOR.join(visible(str(p)) for p in parts if p)
    if rest:
        text.append("  " + rest)
    return text


def standing(person: Mapping[str, Any]) -> str:
    """Purchase role, insider level, style, relationship stage and authority: '' when none is known."""
    parts = []
    if person.get("role"):
        parts.append(PURCHASE_ROLE.label(person["role"]))
    if person.get("insider"):
        parts.append(_("insider: {level}").format(level=INSIDER_LEVEL.label(person["insider"])))
    if person.get("style"):
        parts.append(COMMUNICATION_STYLE.label(person["style"]))
    if person.get("relationship"):
        parts.append(_("relationship: {stage}").format(stage=RELATIONSHIP.label(person["relationship"])))
    authority = authority_text(person)
    if authority:
        parts.append(authority)
    return SEPARATOR.join(parts)


def authority_text(person: Mapping[str, Any]) -> str:
    """What they may approve, and up to which amount: 'approves 合同 up to 500,000.00'."""
    what, limit = person.get("authority"), person.get("authority_limit")
    if not what and limit is None:
        return ""
    if limit is None:
        return _("approves {what}").format(what=visible(what))
    amount = format_money_for_people(limit)
    if not what:
        return _("approves up to {amount}").format(amount=amount)
    return _("approves {what} up to {amount}").format(what=visible(what), amount=amount)


def print_org(customer: str, people: list[tuple[int, Mapping[str, Any]]]) -> None:
    """Draw the chart: `people` in drawing order with their depth (domain.org.chart)."""
    tree = Tree(Text(visible(customer), style="bold"), guide_style="dim")
    branches: list[Tree] = [tree]
    for depth, person in people:
        del branches[depth + 1 :]
        label = who(person)
        how = standing(person)
        if how:
            label.append("\n" + how, style="")
        branches.append(branches[depth].add(label))
    console = console_for(sys.stdout)
    with console.capture() as captured:
        console.print(tree)
    # Rich pads a wrapped line with spaces to its end: none is kept (a copy, a diff stay clean).
    sys.stdout.write("".join(line.rstrip() + "\n" for line in captured.get().splitlines()))
