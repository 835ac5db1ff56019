"""`kehu info`: which database, why, its schema version and what it holds."""

import typer

from kehu.cli.common import FormatOption, app_context, print_records
from kehu.domain.fields import Field

_INFO_FIELDS = (
    Field("database", "数据库", "database"),
    Field("reason", "来源", "chosen by"),
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
            "schema": store.revision,
            "customers": customers.count(connection),
            "archived": customers.count(connection, archived=True),
            "contacts": contacts.count(connection),
            "version": __version__,
        }
    if (fmt or "table") == "table" and fmt != "csv":
        from rich.cells import cell_len  # Chinese labels are two cells wide each

        width = max(cell_len(f.label) for f in _INFO_FIELDS)
        for field in _INFO_FIELDS:
            padding = " " * (width - cell_len(field.label))
            typer.echo(f"{field.label}{padding}  {record[field.key]}")
        return
    print_records([record], _INFO_FIELDS, fmt)


def register(app: typer.Typer) -> None:
    app.command("info")(info)
