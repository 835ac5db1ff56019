"""Team mode on PostgreSQL: who the connected role is, and making roles into team members.

What a member may see is enforced by the database (revision 0006's row-level security); this
module only reads the team and grants a member's role the privileges the policies then narrow.
On SQLite there is no team: one file, one person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kehu.errors import Conflict, NotPermitted
from kehu.i18n import _
from kehu.store.sql import Connection

# What a member's role may touch; row-level security narrows it to their own customers.
MEMBER_WRITES = (
    "customer", "contact", "grade_change", "touch", "visit_plan", "stage_change", "qualification",
    "contract", "payment", "rival", "relationship_change", "need", "proposal", "quote", "stage_answer",
    "instalment", "collection_action", "credit_check", "complaint", "target",
)  # fmt: skip
MEMBER_READS = ("alembic_version", "team_member", "setting")
# The book's settings (the default pipeline) are the manager's to change. The team itself is
# the tables' owner's alone, in the database too (issue 12: a manager who could write
# team_member made a seller a manager).
MANAGER_WRITES = ("setting",)
# Revision 0007's functions that look past the policies (owner names only), for members alone.
HELPERS = ("kehu_owner_of(text)", "kehu_owners_of(text[])")

# The statements below read PostgreSQL's catalogue (roles, privileges) and revision 0007's
# functions: there is no team on SQLite, and they are prepared on PostgreSQL alone.
BACKENDS = ("postgresql",)

# The connected role: its login, its team name and part, and whether it owns the tables.
CURRENT_SEAT = """
    SELECT current_user AS login,
           (SELECT name FROM team_member WHERE login = current_user) AS name,
           coalesce((SELECT manager FROM team_member WHERE login = current_user), false) AS manager,
           pg_has_role(current_user, (SELECT tableowner FROM pg_tables
                                      WHERE schemaname = current_schema() AND tablename = 'customer'),
                       'USAGE') AS administrator
"""
# Managers first; each member with how many active customers they own (that the reader sees).
MEMBERS = """
    SELECT m.login, m.name, m.manager, m.created_at, coalesce(owned.customers, 0) AS customers
    FROM team_member m
    LEFT JOIN (SELECT owner, count(*) AS customers FROM customer WHERE archived_at IS NULL
               GROUP BY owner) owned ON owned.owner = m.name
    ORDER BY m.manager DESC, m.name
"""
MEMBER_NAMED = "SELECT login, name, manager, created_at FROM team_member WHERE name = :name OR login = :name"
MEMBER_WITH_LOGIN = "SELECT login, name, manager, created_at FROM team_member WHERE login = :login"
# Whether an existing role is one row-level security cannot hold (no row: there is no such role).
UNBOUND_ROLE = """
    SELECT r.rolsuper OR r.rolbypassrls OR pg_has_role(r.rolname, t.tableowner, 'USAGE') AS unbound
    FROM pg_roles r, pg_tables t
    WHERE r.rolname = :login AND t.schemaname = current_schema() AND t.tablename = 'customer'
"""
INSERT_MEMBER = """
    INSERT INTO team_member (login, name, manager, created_at) VALUES (:login, :name, :manager, :created_at)
"""
UPDATE_MEMBER = "UPDATE team_member SET name = :name, manager = :manager WHERE login = :login"
DELETE_MEMBER = "DELETE FROM team_member WHERE login = :login"
OWNER_OF = "SELECT kehu_owner_of(:key) AS owner"
OWNERS_OF = "SELECT name_key, owner FROM kehu_owners_of(:keys)"
CURRENT_DATABASE = "SELECT current_database()"
CURRENT_SCHEMA = "SELECT current_schema()"


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
    return connection.backend.is_postgresql


def current_seat(connection: Connection) -> Seat:
    row = connection.execute(CURRENT_SEAT).one()
    return Seat(
        login=row.login, name=row.name, manager=bool(row.manager), administrator=bool(row.administrator)
    )


def members(connection: Connection) -> list[dict]:
    """Every member with how many active customers they own."""
    return [dict(row) for row in connection.execute(MEMBERS)]


def member_named(connection: Connection, name: str) -> dict | None:
    row = connection.execute(MEMBER_NAMED, {"name": name}).first()
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
    role_row = connection.execute(UNBOUND_ROLE, {"login": login}).first()
    member = connection.execute(MEMBER_WITH_LOGIN, {"login": login}).first()
    if role_row is not None:
        if role_row.unbound:
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
        _run(connection, f"CREATE ROLE {role} LOGIN")
    if password is not None:
        verifier = _password_verifier(connection, login, password)
        _run(connection, f"ALTER ROLE {role} PASSWORD '{verifier}'")
    _grant(connection, role, manager)
    values = {"login": login, "name": name, "manager": manager}
    if member is not None:
        connection.execute(UPDATE_MEMBER, values)
    else:
        connection.execute(INSERT_MEMBER, {**values, "created_at": now})
    return role_row is None


def _password_verifier(connection: Connection, login: str, password: str) -> str:
    """The SCRAM verifier of the password, computed here by libpq: the password itself never
    travels to the server, so it cannot land in the server's log (`log_statement`) or in
    pg_stat_activity. Its characters (base64, `$`, `:`) need no quoting."""
    pgconn = connection.driver.pgconn  # psycopg's libpq connection (kehu's one PostgreSQL driver)
    return pgconn.encrypt_password(password.encode(), login.encode(), b"scram-sha-256").decode("ascii")


def remove_member(connection: Connection, login: str) -> None:
    """Take `login` off the team: its privileges on the book go; the role itself stays (it may
    have other uses on the server), and so do its customers, for a manager to reassign. The
    caller has checked require_administrator (before saying whether NAME is on the team)."""
    role = _quoted(login)
    tables = ", ".join(sorted({*MEMBER_WRITES, *MEMBER_READS, *MANAGER_WRITES}))
    schema = _schema(connection)
    _run(connection, f"REVOKE ALL ON {tables} FROM {role}")
    _run(connection, f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role}")
    _run(connection, f"REVOKE EXECUTE ON FUNCTION {', '.join(HELPERS)} FROM {role}")
    _run(connection, f"REVOKE USAGE ON SCHEMA {schema} FROM {role}")
    _run(connection, f"REVOKE CONNECT ON DATABASE {_database(connection)} FROM {role}")
    connection.execute(DELETE_MEMBER, {"login": login})


def owner_of(connection: Connection, key: str) -> str | None:
    """The owner of the customer named exactly `key` (a name key) that the connected role cannot
    see ('' for none), or None when there is none. Only members may ask (kehu_owner_of); it
    answers for names, never for ids, which would list the owner of every customer in turn."""
    return connection.execute(OWNER_OF, {"key": key}).scalar()


def hidden_owners(connection: Connection, keys: list[str]) -> dict[str, str]:
    """Of these name keys, those of customers the connected role cannot see, with their owners
    ('' for none): an import names them "not yours" rather than failing on a duplicate key.
    Empty on SQLite and for whoever sees every customer."""
    if not keys or not is_team_backend(connection) or current_seat(connection).sees_all:
        return {}
    return dict(connection.execute(OWNERS_OF, {"keys": keys}).tuples())


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
        _run(connection, statement)


def _run(connection: Connection, statement: str) -> None:
    """A statement that names roles, the database or the schema, sent exactly as written: with no
    parameters the driver leaves the text alone, where `:name` inside a quoted name (a database
    "crm:2026"), or a password verifier's `=:`, would be taken for a parameter. CREATE, ALTER,
    GRANT and REVOKE take no parameters anyway: the names are quoted (_quoted), the verifier is
    base64 and `$`/`:` only."""
    with connection.driver.cursor() as cursor:
        cursor.execute(statement)


def _database(connection: Connection) -> str:
    return _quoted(connection.execute(CURRENT_DATABASE).scalar())


def _schema(connection: Connection) -> str:
    return _quoted(connection.execute(CURRENT_SCHEMA).scalar())


def _quoted(identifier: str) -> str:
    # Always quoted: a login may be any name PostgreSQL accepts, upper case and Chinese included.
    return '"' + identifier.replace('"', '""') + '"'
