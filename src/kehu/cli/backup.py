"""`kehu backup FILE`: a consistent copy of the database, taken while others keep writing."""

from pathlib import Path
from typing import Annotated

import typer

from kehu.cli.common import app_context, say
from kehu.i18n import _, ngettext


def backup(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help="The copy to write: a new file (--force replaces one).")],
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
) -> None:
    """Copy the database to FILE: one consistent moment, even while other kehu commands write.

    Writers are not stopped. FILE appears only once the whole copy is written and checked.
    The copy is a kehu database itself: kehu --db FILE info. An existing FILE is kept unless --force.
    For PostgreSQL use pg_dump.

    Example: kehu backup ~/备份/kehu-2026-11-23.db
    """
    from kehu.render.progress import progress_bar
    from kehu.store.backup import backup as copy_database

    location = app_context(ctx).location()
    with progress_bar(_("backing up"), 100) as advance:
        shown = 0

        def on_progress(done: int, total: int) -> None:
            nonlocal shown
            percent = done * 100 // max(total, 1)
            advance(percent - shown)
            shown = percent

        result = copy_database(location, Path(file), force=force, progress=on_progress)
    message = ngettext(
        "backed up {db} to {file}: {customers} customer, {size} MB",
        "backed up {db} to {file}: {customers} customers, {size} MB",
        result.customers,
    )
    say(message.format(db=location.display(), file=result.target, customers=result.customers,
                       size=f"{result.size / 1e6:.1f}"))  # fmt: skip


def register(app: typer.Typer) -> None:
    app.command("backup")(backup)
