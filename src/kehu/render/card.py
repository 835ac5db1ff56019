"""The customer card as a person reads it (Rich) and as a script reads it (one JSON object)."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from typing import Any

from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from kehu.domain.fields import CONTACT_FIELDS, CUSTOMER_FIELDS, format_value
from kehu.i18n import _
from kehu.render.columns import columns_for
from kehu.render.formats import Column, json_value
from kehu.render.table import console_for, safe_text, write_table

_CONTACT_KEYS = ("name", "title", "role", "style", "insider", "phone", "wechat", "birthday")


def print_card(card: Mapping[str, Any], contacts: list[Mapping[str, Any]]) -> None:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    for field in CUSTOMER_FIELDS:
        value = card.get(field.key)
        if value is None or field.key == "name" or value == "":
            continue
        grid.add_row(field.label, safe_text(format_value(field, value, labels=True, human=True)))
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


def _object(record: Mapping[str, Any], fields, labels: bool) -> dict[str, Any]:
    result = {}
    for field in fields:
        column = Column(field.key, field.label if labels else field.key, field.label,
                        lambda v, f=field: format_value(f, v, labels=labels),
                        "count" if field.kind in ("count", "id") else field.kind)  # fmt: skip
        result[column.header] = json_value(column, record.get(field.key))
    return result


def card_json(card: Mapping[str, Any], contacts: list[Mapping[str, Any]], *, labels: bool) -> str:
    data = _object(card, CUSTOMER_FIELDS, labels)
    data["contacts"] = [_object(c, CONTACT_FIELDS, labels) for c in contacts]
    return json.dumps(data, ensure_ascii=False, indent=2)
