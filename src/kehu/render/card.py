"""The customer card as a person reads it (Rich) and as a script reads it (one JSON object)."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from typing import Any

from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from kehu.domain.decision_chain import by_role
from kehu.domain.fields import CONTACT_FIELDS, CUSTOMER_FIELDS, format_value
from kehu.domain.vocabulary import COMMUNICATION_STYLE, INSIDER_LEVEL, PURCHASE_ROLE
from kehu.i18n import _
from kehu.render.columns import columns_for
from kehu.render.formats import Column, json_value
from kehu.render.table import console_for, safe_text, write_table
from kehu.render.visible import json_visible

_CONTACT_KEYS = ("name", "title", "role", "style", "insider", "phone", "wechat", "birthday")


def print_card(card: Mapping[str, Any], contacts: list[Mapping[str, Any]], funnel: Mapping[str, Any]) -> None:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    for field in CUSTOMER_FIELDS:
        value = card.get(field.key)
        if value is None or field.key == "name" or value == "":
            continue
        grid.add_row(field.label, safe_text(format_value(field, value, labels=True, human=True)))
    grid.add_row(_("stage"), safe_text(_funnel_line(funnel)))
    title = safe_text(f"#{card['id']}  {card['name']}")
    if card.get("archived_at") is not None:
        title.append("  [" + _("archived") + "]")
    console = console_for(sys.stdout)
    console.print(Panel(grid, title=title, title_align="left"))
    if not contacts:
        console.print(_("no contacts yet: kehu contact add {id} NAME").format(id=card["id"]))
        return
    console.print(Text(_("Contacts"), style="bold"))
    columns = columns_for(CONTACT_FIELDS, "table", keys=list(_CONTACT_KEYS))
    marked = [{**c, "name": f"{c['name']} ★" if c.get("is_key") else c["name"]} for c in contacts]
    write_table(marked, columns, sys.stdout)
    console.print(_decision_chain(card["name"], contacts))
    for gap in funnel["gaps"]:
        console.print(safe_text("⚠ " + gap))


def _funnel_line(funnel: Mapping[str, Any]) -> str:
    line = f"{funnel['stage_label']} ({funnel['probability']:.0%}) · {funnel['pipeline_label']}"
    if funnel["status"] == "won":
        line += " · " + _("won")
    elif funnel["status"] == "lost":
        line += " · " + _("lost")
    return line


def _decision_chain(name: str, contacts: list[Mapping[str, Any]]) -> Tree:
    """The contacts drawn by purchase role (组织结构): who initiates, decides, evaluates, buys."""
    tree = Tree(safe_text(_("Decision chain of {name}").format(name=name)), guide_style="dim")
    for role, group in by_role(contacts):
        branch = tree.add(Text(PURCHASE_ROLE.label(role) if role else _("role unknown"), style="bold"))
        for contact in group:
            parts = [contact["name"], contact.get("title") or ""]
            if contact.get("insider"):
                parts.append(_("insider: {level}").format(level=INSIDER_LEVEL.label(contact["insider"])))
            if contact.get("style"):
                parts.append(COMMUNICATION_STYLE.label(contact["style"]))
            branch.add(safe_text(" · ".join(p for p in parts if p)))
    return tree


def _object(record: Mapping[str, Any], fields, labels: bool) -> dict[str, Any]:
    result = {}
    for field in fields:
        column = Column(field.key, field.label if labels else field.key, field.label,
                        lambda v, f=field: format_value(f, v, labels=labels),
                        "count" if field.kind in ("count", "id") else field.kind)  # fmt: skip
        result[column.header] = json_value(column, record.get(field.key))
    return result


def card_json(
    card: Mapping[str, Any], contacts: list[Mapping[str, Any]], funnel: Mapping[str, Any], *, labels: bool
) -> str:
    data = _object(card, CUSTOMER_FIELDS, labels)
    data["contacts"] = [_object(c, CONTACT_FIELDS, labels) for c in contacts]
    data["funnel"] = {
        "pipeline": funnel["pipeline"], "stage": funnel["stage"], "probability": funnel["probability"],
        "stage_since": funnel["stage_since"].isoformat() if funnel["stage_since"] else None,
        "status": funnel["status"], "gaps": funnel["gaps"],
    }  # fmt: skip
    return json_visible(json.dumps(data, ensure_ascii=False, indent=2))
