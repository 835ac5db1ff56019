"""What every command shares: the chosen database (opened on first use) and today's date."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kehu.store.db import Store
    from kehu.store.location import Location


@dataclass(frozen=True)
class User:
    """Who is using kehu: the name customers are owned by (customer.owner); whether lists show
    this user's own book by default (team mode); whether they may look at others' books."""

    name: str
    team: bool
    sees_all: bool
    login: str | None = None  # the database role, on PostgreSQL
    manager: bool = False
    member: bool = False  # the role is on the team (a seller or a manager)


@dataclass
class AppContext:
    db_option: str | None
    today: date
    _store: Store | None = field(default=None, repr=False)
    _user: User | None = field(default=None, repr=False)

    def location(self) -> Location:
        from kehu.store.location import resolve_location

        return resolve_location(self.db_option)

    def store(self) -> Store:
        """The database, created or upgraded on first use by any command that needs it."""
        if self._store is None:
            from kehu.store.db import open_store

            self._store = open_store(self.location())
        return self._store

    def user(self) -> User:
        """KEHU_USER, else (on PostgreSQL) the database role's team name or the role itself,
        else the operating system's login. Team mode is PostgreSQL with a user who is on the
        team (or named by KEHU_USER); the tables' owner without KEHU_USER sees the whole book."""
        if self._user is None:
            explicit = os.environ.get("KEHU_USER", "").strip() or None
            if self.location().is_sqlite:
                self._user = User(explicit or _os_login(), team=False, sees_all=True)
            else:
                from kehu.store.team import current_seat

                with self.store().read() as connection:
                    seat = current_seat(connection)
                self._user = User(
                    explicit or seat.name or seat.login, team=explicit is not None or seat.name is not None,
                    sees_all=seat.sees_all, login=seat.login, manager=seat.manager,
                    member=seat.name is not None,
                )  # fmt: skip
        return self._user

    def owner_scope(self, owner: str | None, all_owners: bool) -> str | None:
        """Whose customers a list shows (None: everyone's) from --owner and --all-owners: in
        team mode the user's own by default; another's only for a manager (the database would
        show a seller nothing of theirs anyway: say so instead of printing an empty list)."""
        from kehu.errors import NotPermitted, UsageError
        from kehu.i18n import _

        if owner is not None and all_owners:
            raise UsageError(_("--owner and --all-owners: choose one"))
        if all_owners and self.location().is_sqlite:
            return None
        user = self.user()
        if all_owners:
            # A seller's "everyone" is their own book (the database shows them nothing else): said
            # so, a report's total is not passed off as the book's (report targets put a seller's
            # results against the book's target).
            return user.name if user.team and not user.sees_all else None
        if owner is None:
            return user.name if user.team else None
        if user.team and not user.sees_all and owner != user.name:
            raise NotPermitted(_("not yours: only a manager sees {owner}'s customers").format(owner=owner))
        return owner

    def new_owner(self) -> str | None:
        """The owner of a customer added without one: the user, in team mode."""
        user = self.user()
        return user.name if user.team else None

    def now(self) -> datetime:
        """This moment in UTC, on --today's date (book/clock.py)."""
        from kehu.book.clock import moment_on

        return moment_on(self.today)

    def due_shift(self):
        """The date shift for due dates, from the config (book/clock.py)."""
        from kehu.book.clock import due_shift

        return due_shift()

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def _os_login() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # a container user with no passwd entry and no $USER
        return "?"
