"""The plan of an import: what it adds, updates, leaves, skips, and every row it refuses.

A plain record, shared by the importers (book/contacts.py, book/touches.py), which make and
apply the plans.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kehu.io.csv_in import RowError


@dataclass
class ImportPlan:
    inserts: list[dict[str, Any]] = field(default_factory=list)
    updates: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    unchanged: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    key_contacts: list[tuple[int, str]] = field(default_factory=list)  # (customer id, name key)

    @property
    def added(self) -> int:
        return len(self.inserts)

    @property
    def updated(self) -> int:
        return len(self.updates)
