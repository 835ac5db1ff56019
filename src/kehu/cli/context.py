"""What every command shares: the chosen database (opened on first use) and today's date."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kehu.store.db import Store
    from kehu.store.location import Location


@dataclass
class AppContext:
    db_option: str | None
    today: date
    _store: Store | None = field(default=None, repr=False)

    def location(self) -> Location:
        from kehu.store.location import resolve_location

        return resolve_location(self.db_option)

    def store(self) -> Store:
        """The database, created or upgraded on first use by any command that needs it."""
        if self._store is None:
            from kehu.store.db import open_store

            self._store = open_store(self.location())
        return self._store

    def now(self) -> datetime:
        """This moment in UTC, on --today's date when the user acts as if it were another day:
        a card added "on" that day must count as added then (it is due from that day)."""
        from kehu.domain.values import now_utc

        real = now_utc()
        local = real.astimezone()
        if local.date() == self.today:
            return real
        return datetime.combine(self.today, local.timetz()).astimezone(UTC)

    def due_shift(self):
        """The date shift for due dates: to the next Chinese working day when the config has
        `workdays = true` (public holidays and 调休 make-up days included), else none."""
        from kehu.config import load_settings

        if load_settings().get("workdays") is True:
            from kehu.domain.workdays import next_workday

            return next_workday
        return None

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
