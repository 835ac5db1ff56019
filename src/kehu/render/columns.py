"""Columns for printing card fields: labels for people, stable keys and codes for scripts."""

from __future__ import annotations

from collections.abc import Iterable

from kehu.domain.fields import PLAIN, Field, formatter
from kehu.render.formats import Column


def columns_for(
    fields: Iterable[Field], fmt: str, *, labels: bool = False, keys: list[str] | None = None
) -> list[Column]:
    """Columns for the fields: tables always show labels; scripts get keys unless --labels."""
    by_key = {f.key: f for f in fields}
    chosen = [by_key[k] for k in keys] if keys else list(by_key.values())
    use_labels = labels or fmt == "table"
    columns = []
    for f in chosen:
        text = formatter(f, labels=use_labels, human=fmt == "table")
        columns.append(Column(
            key=f.key, header=f.label if labels else f.key, label=f.label, text=text,
            kind="count" if f.kind in ("count", "id", "percent") else f.kind,
            justify="right" if f.kind in ("money", "count", "id", "number", "percent") else "left",
            plain=text is PLAIN,
        ))  # fmt: skip
    return columns
