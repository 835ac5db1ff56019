"""Team mode on PostgreSQL: who the connected role is, and making roles into team members.

What a member may see is enforced by the database (revision 0006's row-level security); this
module only reads the team and grants a member's role the privileges the policies then narrow.
On SQLite there is no team: one file, one person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.engine import Connection

from kehu.errors import Conflict, NotPermitted
from kehu.i18n import _
from kehu.store.models import customer_table, team_member_table

# What a member's role may touch; row-level security narrows it to their own customers.
MEMBER_WRITES = (
    "customer", "contact", "grade_change", "touch", "visit_plan", "stage_change", "qualification",
    "contract", "payment",
)  # fmt: skip
MEMBER_READS = ("alembic_version", "team_member", "setting")
# The book's settings (the default pipeline) are the manager's to change. The team itself is
# the tables' owner's alone, in the database too (issue 12: a manager who could write
# team_member made a seller a manager).
MANAGER_WRITES = ("setting",)
# Revision 0007's functions that look past the policies (owner names only), for members alone.
HELPERS = ("kehu_owner_of(text)", "kehu_owners_of(text[])")


@dataclass(frozen=True)
class Seat:
    """The connected role: its login, its team name (None: not on the team), manager or not,
    and whether it owns the tables (the administrator, whom the policies do not restrict)."""

    login: str
    name: str | None
    manager: bool
    administrator: bool

    @property
    def sees_all(self) -> bool:
        return self.manager or self.administrator


def is_team_backend(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql"


def current_seat(connection: Connection) -> Seat:
    row = connection.execute(text("""
        SELECT current_user,
               (SELECT name FROM team_member WHERE login = current_user),
               coalesce((SELECT manager FROM team_member WHERE login = current_user), false),
               pg_has_role(current_user, (SELECT tableowner FROM pg_tables
                                          WHERE schemaname = current_schema() AND tablename = 'customer'),
                           'USAGE')
    """)).one()  # fmt: skip
    return Seat(login=row[0], name=row[1], manager=bool(row[2]), administrator=bool(row[3]))


def members(connection: Connection) -> list[dict]:
    """Every member with how many active customers they own."""
    owned = (
        select(customer_table.c.owner, func.count().label("customers"))
        .where(customer_table.c.archived_at.is_(None))
        .group_by(customer_table.c.owner)
        .subquery()
    )
    statement = (
        select(team_member_table, owned.c.customers)
        .outerjoin(owned, owned.c.owner == team_member_table.c.name)
        .order_by(team_member_table.c.manager.desc(), team_member_table.c.name)
    )
    return [{**row, "customers": row["customers"] or 0} for row in connection.execute(statement).mappings()]


def member_named(connection: Connection, name: str) -> dict | None:
    statement = select(team_member_table).where(
        (team_member_table.c.name == name) | (team_member_table.c.login == name)
    )
    row = connection.execute(statement).mappings().first()
    return dict(row) if row else None


def require_administrator(connection: Connection) -> None:
    """Only the owner of the tables changes the team: it alone may grant on them."""
    seat = current_seat(connection)
    if not seat.administrator:
        message = _("only the owner of the book's tables can change the team (you are {login})")
        raise NotPermitted(message.format(login=seat.login))


def not_yours(reference: str, owner: str) -> str:
    """The message for a customer that is a colleague's (owner '' when it has none)."""
    return _("not yours: customer {ref!r} belongs to {owner}").format(
        ref=reference, owner=owner or _("nobody")
    )


def add_member(
    connection: Connection,
    *,
    login: str,
    name: str,
    manager: bool,
    password: str | None,
    now: datetime,
    adopt: bool = False,
) -> bool:
    """Make `login` (created if it does not exist) a member named `name`; True if the role was
    created. Needs a role that may create roles and grant on the tables (their owner).

    A login that already exists is taken only when it is this member already, or with `adopt`:
    `add-seller '王 磊'` must not take over 王磊's login wanglei, nor `--login postgres` the
    superuser. A role that row-level security cannot hold (a superuser, one with BYPASSRLS, the
    tables' owner) is never a member: the team's promise would not be true of it."""
    require_administrator(connection)
    role_row = connection.execute(text("""
        SELECT r.rolsuper OR r.rolbypassrls OR pg_has_role(r.rolname, t.tableowner, 'USAGE')
        FROM pg_roles r, pg_tables t
        WHERE r.rolname = :login AND t.schemaname = current_schema() AND t.tablename = 'customer'
    """), {"login": login}).first()  # fmt: skip
    member = connection.execute(
        select(team_member_table).where(team_member_table.c.login == login)
    ).mappings().first()  # fmt: skip
    if role_row is not None:
        if role_row[0]:
            message = _("login {login} sees every row whatever the team says (a superuser or the tables' "
                        "owner); give the member a login of their own")  # fmt: skip
            raise NotPermitted(message.format(login=login))
        if member is not None and member["name"] != name:
            message = _("login {login} is {member}'s already; give {name} a login of their own (--login)")
            raise Conflict(message.format(login=login, member=member["name"], name=name))
        if member is None and not adopt:
            message = _("a database login {login} exists already and is not on the team; "
                        "--adopt makes it {name}'s, or choose another --login")  # fmt: skip
            raise Conflict(message.format(login=login, name=name))
    role = _quoted(login)
    if role_row is None:
        connection.execute(text(f"CREATE ROLE {role} LOGIN"))
    if password is not None:
        verifier = _password_verifier(connection, login, password)
        connection.exec_driver_sql(f"ALTER ROLE {role} PASSWORD '{verifier}'")  # its ':' are no parameters
    _grant(connection, role, manager)
    values = {"name": name, "manager": manager}
    if member is not None:
        connection.execute(
            update(team_member_table).where(team_member_table.c.login == login).values(**values)
        )
    else:
        connection.execute(insert(team_member_table).values(login=login, created_at=now, **values))
    return role_row is None


def _password_verifier(connection: Connection, login: str, password: str) -> str:
    """The SCRAM verifier of the password, computed here by libpq: the password itself never
    travels to the server, so it cannot land in the server's log (`log_statement`) or in
    pg_stat_activity. Its characters (base64, `$`, `:`) need no quoting."""
    raw = connection.connection.dbapi_connection
    pgconn = getattr(raw, "pgconn", None)
    if pgconn is not None:  # psycopg 3
        verifier = pgconn.encrypt_password(password.encode(), login.encode(), b"scram-sha-256")
        return verifier.decode("ascii")
    from psycopg2.extensions import encrypt_password  # the only other driver kehu accepts

    return encrypt_password(password, login, raw, "scram-sha-256")


def remove_member(connection: Connection, login: str) -> None:
    """Take `login` off the team: its privileges on the book go; the role itself stays (it may
    have other uses on the server), and so do its customers, for a manager to reassign. The
    caller has checked require_administrator (before saying whether NAME is on the team)."""
    role = _quoted(login)
    tables = ", ".join(sorted({*MEMBER_WRITES, *MEMBER_READS, *MANAGER_WRITES}))
    connection.execute(text(f"REVOKE ALL ON {tables} FROM {role}"))
    connection.execute(text(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {_schema(connection)} FROM {role}"))
    connection.execute(text(f"REVOKE EXECUTE ON FUNCTION {', '.join(HELPERS)} FROM {role}"))
    connection.execute(text(f"REVOKE USAGE ON SCHEMA {_schema(connection)} FROM {role}"))
    connection.execute(text(f"REVOKE CONNECT ON DATABASE {_database(connection)} FROM {role}"))
    connection.execute(delete(team_member_table).where(team_member_table.c.login == login))


def owner_of(connection: Connection, key: str) -> str | None:
    """The owner of the customer named exactly `key` (a name key) that the connected role cannot
    see ('' for none), or None when there is none. Only members may ask (kehu_owner_of); it
    answers for names, never for ids, which would list the owner of every customer in turn."""
    return connection.execute(text("SELECT kehu_owner_of(:key)"), {"key": key}).scalar()


def hidden_owners(connection: Connection, keys: list[str]) -> dict[str, str]:
    """Of these name keys, those of customers the connected role cannot see, with their owners
    ('' for none): an import names them "not yours" rather than failing on a duplicate key.
    Empty on SQLite and for whoever sees every customer."""
    if not keys or not is_team_backend(connection) or current_seat(connection).sees_all:
        return {}
    rows = connection.execute(text("SELECT name_key, owner FROM kehu_owners_of(:keys)"), {"keys": keys})
    return dict(rows.all())


def _grant(connection: Connection, role: str, manager: bool) -> None:
    database = _database(connection)
    schema = _schema(connection)
    statements = [
        # A seller's own temporary table named like one of the book's came first in the search
        # path of whatever looked it up (issue 12): members make no temporary tables. Here as
        # well as in revision 0007, for a database copied or restored since (its ACL is its own).
        f"REVOKE TEMPORARY ON DATABASE {database} FROM PUBLIC",
        f"GRANT CONNECT ON DATABASE {database} TO {role}",
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON {', '.join(MEMBER_WRITES)} TO {role}",
        f"GRANT SELECT ON {', '.join(MEMBER_READS)} TO {role}",
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
        f"GRANT EXECUTE ON FUNCTION {', '.join(HELPERS)} TO {role}",
        f"{'GRANT' if manager else 'REVOKE'} INSERT, UPDATE, DELETE ON {', '.join(MANAGER_WRITES)} "
        f"{'TO' if manager else 'FROM'} {role}",
    ]
    for statement in statements:
        connection.execute(text(statement))


def _database(connection: Connection) -> str:
    return _quoted(connection.execute(text("SELECT current_database()")).scalar())


def _schema(connection: Connection) -> str:
    return _quoted(connection.execute(text("SELECT current_schema()")).scalar())


def _quoted(identifier: str) -> str:
    # Always quoted: a login may be any name PostgreSQL accepts, upper case and Chinese included.
    return '"' + identifier.replace('"', '""') + '"'
