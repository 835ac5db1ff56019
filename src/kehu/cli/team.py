"""`kehu team`: the sales team of a PostgreSQL book — add sellers and managers, list, remove,
and reassign customers. Who sees what is then enforced by the database (store/team.py)."""

from typing import Annotated

import typer

from kehu.cli.common import FormatOption, LabelsOption, app_context, open_input, print_records, say
from kehu.domain.fields import Field
from kehu.errors import UsageError
from kehu.i18n import _, ngettext

app = typer.Typer(no_args_is_help=True)

NameArg = Annotated[
    str, typer.Argument(help="The name their customers are owned by (the owner field), e.g. \"王磊\".")
]
LoginOption = Annotated[
    str | None,
    typer.Option(
        "--login", help="Their database login (default: the name, or its pinyin: \"王磊\" → wanglei)."
    ),
]
PasswordOption = Annotated[
    bool,
    typer.Option(
        "--password-stdin",
        help="Set the login's password from the first line of standard input (asked for, unechoed, "
        "at a terminal).",
    ),
]
AdoptOption = Annotated[
    bool,
    typer.Option("--adopt", help="Make an existing database login that is not on the team this member's."),
]
MEMBER_FIELDS = (
    Field("name", "销售员", "name"),
    Field("login", "登录名", "login"),
    Field("manager", "经理", "manager", "flag"),
    Field("customers", "客户数", "customers", "count"),
    Field("created_at", "加入时间", "added", "timestamp"),
)


def _team_store(ctx: typer.Context):
    """The book, once it is known to be one a team can live in (a PostgreSQL one)."""
    from kehu.book.team import require_team_book

    app_ = app_context(ctx)
    require_team_book(app_.location())
    return app_, app_.store()


def _password(from_stdin: bool) -> str | None:
    if not from_stdin:
        return None
    import sys

    if sys.stdin is not None and sys.stdin.isatty():
        password = _typed_password()
    else:
        with open_input("-", "r") as stdin:
            password = stdin.readline().rstrip("\r\n")
    if not password:
        raise UsageError(_("--password-stdin: standard input has no password"))
    # Never repeat the password in a message: a NUL once came back inside the driver's error.
    if any(ord(character) < 32 or ord(character) == 127 for character in password):
        raise UsageError(_("--password-stdin: the password has a control character (a tab, NUL …)"))
    return password


def _typed_password() -> str:
    """At a terminal: asked twice without echo, as passwd does."""
    from getpass import getpass

    try:
        first = getpass(_("New password: "))
        again = getpass(_("The same password again: "))
    except EOFError:
        return ""
    if first != again:
        raise UsageError(_("--password-stdin: the two passwords differ"))
    return first


def _add(
    ctx: typer.Context, name: str, login: str | None, password_stdin: bool, manager: bool, adopt: bool
) -> None:
    from kehu.book import team

    # A bad name or login is said before a password is asked for (join checks them again).
    login = team.login_for(team.member_name(name), login)
    password = _password(password_stdin)
    app_, store = _team_store(ctx)
    joined = team.join(
        store, name, login=login, manager=manager, password=password, adopt=adopt, now=app_.now()
    )
    role = _("manager") if manager else _("seller")
    created = _(", created") if joined.created else ""
    say(_("{name} is on the team as {role} (login {login}{created})").format(
        name=joined.name, role=role, login=joined.login, created=created))  # fmt: skip


@app.command("add-seller")
def add_seller(
    ctx: typer.Context,
    name: NameArg,
    login: LoginOption = None,
    password_stdin: PasswordOption = False,
    adopt: AdoptOption = False,
) -> None:
    """Add a seller: their login sees and changes only the customers they own.

    Run as the owner of the book's tables (who created it). Example:
    echo 's3cret' | kehu team add-seller 王磊 --login wanglei --password-stdin
    """
    _add(ctx, name, login, password_stdin, manager=False, adopt=adopt)


@app.command("add-manager")
def add_manager(
    ctx: typer.Context,
    name: NameArg,
    login: LoginOption = None,
    password_stdin: PasswordOption = False,
    adopt: AdoptOption = False,
) -> None:
    """Add a manager: their login sees every customer and may reassign them.

    Example: kehu team add-manager 赵经理 --login zhao
    """
    _add(ctx, name, login, password_stdin, manager=True, adopt=adopt)


@app.command("remove")
def remove(ctx: typer.Context, name: NameArg) -> None:
    """Take a member off the team; their customers stay, for a manager to reassign.

    Example: kehu team remove 王磊   then   kehu team reassign --from 王磊 --to 李娜
    """
    from kehu.book import team

    _app, store = _team_store(ctx)
    member = team.leave(store, name)
    say(_("{name} is off the team (login {login} keeps no access to this book)").format(
        name=member["name"], login=member["login"]))  # fmt: skip


@app.command("list")
def list_members(ctx: typer.Context, fmt: FormatOption = None, labels: LabelsOption = False) -> None:
    """The team: each member, their login, manager or not, how many customers they own.

    Example: kehu team list
    """
    from kehu.book import team

    _app, store = _team_store(ctx)
    rows = team.members(store)
    print_records(rows, MEMBER_FIELDS, fmt, labels=labels)
    if not rows:
        say(_("nobody is on the team yet: kehu team add-seller NAME"))


@app.command("reassign")
def reassign(
    ctx: typer.Context,
    customers: Annotated[list[str] | None, typer.Argument(help="Customers by id, name or pinyin.")] = None,
    to: Annotated[str | None, typer.Option("--to", help="The new owner (a team member's name).")] = None,
    from_: Annotated[str | None, typer.Option("--from", help="Every active customer of this owner.")] = None,
) -> None:
    """Give customers to another owner, with their contacts, touches and contracts.

    Example: kehu team reassign 杭州海纳 hzkj --to 李娜      kehu team reassign --from 王磊 --to 李娜
    """
    from kehu.book import team

    app_ = app_context(ctx)
    user = app_.user()
    done = team.reassign(app_.store(), to or "", customers=customers or (), from_owner=from_,
                         by_manager=not user.team or user.sees_all, now=app_.now())  # fmt: skip
    say(ngettext("{count} customer now belongs to {owner}", "{count} customers now belong to {owner}",
                 done.customers).format(count=done.customers, owner=done.owner))  # fmt: skip


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="team", help="Team mode on PostgreSQL: sellers, managers, reassigning.")
