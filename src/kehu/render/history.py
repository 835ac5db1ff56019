"""A customer's history as a person reads it on a screen (kehu history in a table).

What happened, its outcome and the next step share one cell, so that the day, how (a call, a
visit) and with whom stay beside it at 80 columns: a next-step column stood mostly empty and
pushed the channel off. Scripts get every field in its own column (domain.fields.TOUCH_SHOWN_FIELDS).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from kehu.domain.fields import TOUCH_SHOWN_FIELDS
from kehu.i18n import _

SCREEN_FIELDS = tuple(
    f for f in TOUCH_SHOWN_FIELDS if f.key in ("id", "happened_on", "channel", "contact", "summary")
)
# At 80 columns what happened wraps; the id (for kehu touch edit) goes last.
SCREEN_PRIORITY = ("happened_on", "summary", "contact", "channel", "id")


def on_screen(touches: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each touch with its outcome and next step (→ day, what) under what happened."""
    return [{**touch, "summary": _what_happened(touch)} for touch in touches]


def _what_happened(touch: Mapping[str, Any]) -> str:
    lines = [touch.get("summary") or ""]
    if touch.get("outcome"):
        lines.append(_("outcome: {outcome}").format(outcome=touch["outcome"]))
    day, step = touch.get("next_step_on"), touch.get("next_step")
    if day or step:
        lines.append(" ".join(part for part in ("→", day.isoformat() if day else "", step or "") if part))
    return "\n".join(lines)
