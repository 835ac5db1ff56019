"""`kehu info`: which database, why, its schema version and what it holds."""

import typer

from kehu.cli.common import FormatOption, app_context, print_records
from kehu.domain.fields import Field

_INFO_FIELDS = (
    Field("database", "数据库", "database"),
    Field("reason", "来源", "chosen by"),
    Field("user", "用户", "user"),
    Field("schema", "架构版本", "schema"),
    Field("customers", "客户", "customers", "count"),
    Field("archived", "已归档", "archived", "count"),
    Field("contacts", "联系人", "contacts", "count"),
    Field("version", "kehu 版本", "kehu version"),
)


def info(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """Print which database is used and why, its schema version and counts.

    Example: kehu info
    """
    from kehu import __version__
    from kehu.store import contacts, customers

    app = app_context(ctx)
    store = app.store()
    with store.read() as connection:
        record = {
            "database": store.location.display(),
            "reason": store.location.reason,
            "user": _describe(app.user()),
            "schema": store.revision,
            "customers": customers.count(connection),
            "archived": customers.count(connection, archived=True),
            "contacts": contacts.count(connection),
            "version": __version__,
        }
    if (fmt or "table") == "table" and fmt != "csv":
        from rich.cells import cell_len  # Chinese labels are two cells wide each

        from kehu.render.visible import visible_line

        width = max(cell_len(f.label) for f in _INFO_FIELDS)
        for field in _INFO_FIELDS:
            padding = " " * (width - cell_len(field.label))
            # The user (KEHU_USER) and the database path are the environment's text: shown escaped.
            typer.echo(f"{field.label}{padding}  {visible_line(str(record[field.key]))}")
        return
    print_records([record], _INFO_FIELDS, fmt)


def _describe(user) -> str:
    """The user as info shows it: the name, and in team mode their part and login."""
    from kehu.i18n import _

    if user.login is None:
        return user.name
    if user.member:
        part = _("manager") if user.manager else _("seller")
        return _("{name} ({part}, login {login})").format(name=user.name, part=part, login=user.login)
    if user.sees_all:
        return _("{name} (login {login}: owner of the tables, sees every customer)").format(
            name=user.name, login=user.login)  # fmt: skip
    return _("{name} (login {login}: not on the team, sees no customer)").format(
        name=user.name, login=user.login)  # fmt: skip


def register(app: typer.Typer) -> None:
    app.command("info")(info)
