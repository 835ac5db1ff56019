"""The sales team of a PostgreSQL book (团队): members join and leave, customers change owner.

Who sees what is the database's to enforce (row-level security, store/team.py); the rules here
are the team's own: a member's name follows the rule of every name, a login is a PostgreSQL name
kehu can quote, one member has one login, and customers go only to someone on the team.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kehu.errors import KehuError, NotFound, NotPermitted, UsageError
from kehu.i18n import _

if TYPE_CHECKING:
    from kehu.store.db import Store
    from kehu.store.location import Location

LOGIN = re.compile(r"[a-z_][a-z0-9_$]{0,62}")


@dataclass(frozen=True)
class Joined:
    name: str  # as stored: the rule of names applied
    login: str
    manager: bool
    created: bool  # the database role was created (else an existing one was taken)


@dataclass(frozen=True)
class Reassigned:
    customers: int
    owner: str  # the team's name of the new owner


def require_team_book(location: Location) -> None:
    """A team lives in a PostgreSQL book only (asked of the location: a SQLite file is not even
    opened, so not created, to be told so)."""
    if location.is_sqlite:
        message = _("a team needs a PostgreSQL book (--db postgresql+psycopg://…); {db} is a SQLite file")
        raise KehuError(message.format(db=location.display()))


def login_for(name: str, login: str | None) -> str:
    """The database login: as given, else the name if it is one, else its pinyin (王磊 → wanglei)."""
    if login is None:
        from kehu.domain.names import pinyin_forms

        login = name.strip().lower() if name.isascii() else pinyin_forms(name)[0]
    if not LOGIN.fullmatch(login):
        message = _("--login {login!r}: a login is lower-case letters, digits and _, starting with a letter")
        raise UsageError(message.format(login=login))
    return login


def member_name(name: str) -> str:
    """The member's name as stored: the rule for every name (no control or invisible characters,
    which would make look-alike members)."""
    from kehu.domain.values import parse_name

    try:
        return parse_name(name)
    except ValueError as error:
        raise UsageError(_("the member's name {name!r}: {error}").format(name=name, error=error)) from None


def join(
    store: Store,
    name: str,
    *,
    login: str | None,
    manager: bool,
    password: str | None,
    adopt: bool,
    now: datetime,
) -> Joined:
    """Put `name` on the team as a seller or a manager, with a login of their own (made from the
    name unless given); `password` sets the login's. Run as the owner of the book's tables."""
    from kehu.store import team

    clean = member_name(name)
    login = login_for(clean, login)
    require_team_book(store.location)
    with store.write() as connection:
        taken = team.member_named(connection, clean)
        if taken is not None and taken["login"] != login:
            raise KehuError(_("{name} is already on the team with login {login}").format(
                name=clean, login=taken["login"]))  # fmt: skip
        created = team.add_member(
            connection, login=login, name=clean, manager=manager, password=password, now=now, adopt=adopt
        )
    return Joined(clean, login, manager, created)


def leave(store: Store, name: str) -> dict[str, Any]:
    """Take a member (by name or login) off the team; the member as they were. Their customers
    stay theirs, for a manager to reassign."""
    from kehu.store import team

    require_team_book(store.location)
    with store.write() as connection:
        team.require_administrator(connection)  # before saying whether NAME is on the team
        member = team.member_named(connection, name.strip())
        if member is None:
            raise NotFound(_("{name} is not on the team; see: kehu team list").format(name=name))
        team.remove_member(connection, member["login"])
    return member


def members(store: Store) -> list[dict[str, Any]]:
    """The team, managers first, each with how many active customers they own."""
    from kehu.store import team

    require_team_book(store.location)
    with store.read() as connection:
        return team.members(connection)


def reassign(
    store: Store,
    to: str,
    *,
    customers: Sequence[str] = (),
    from_owner: str | None = None,
    by_manager: bool,
    now: datetime,
) -> Reassigned:
    """Give customers (by id, name or pinyin; or every active one of `from_owner`) to `to`, who
    in team mode must be on the team. `by_manager`: whoever asks may move others' customers (a
    manager, the tables' owner, anyone on a SQLite book)."""
    from kehu.store import team
    from kehu.store.customers import ids_of_owner, update_card
    from kehu.store.lookup import resolve_customer

    if bool(customers) == bool(from_owner):
        raise UsageError(_("name the customers, or give --from OWNER for all of theirs"))
    new_owner = (to or "").strip()
    if not new_owner:
        raise UsageError(_("--to: who gets the customers?"))
    if not by_manager:
        raise NotPermitted(_("only a manager can reassign customers"))
    with store.write() as connection:
        if team.is_team_backend(connection):
            member = team.member_named(connection, new_owner)
            if member is None:
                raise NotFound(_("{name} is not on the team; see: kehu team list").format(name=new_owner))
            new_owner = member["name"]
        if from_owner:
            ids = ids_of_owner(connection, from_owner.strip())
        else:
            ids = list(dict.fromkeys(resolve_customer(connection, c)["id"] for c in customers))
        for customer_id in ids:
            update_card(connection, customer_id, {"owner": new_owner, "updated_at": now})
    return Reassigned(len(ids), new_owner)
