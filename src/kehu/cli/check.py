"""`kehu check`: integrity, foreign keys, and every stored due date recomputed."""

from typing import Annotated

import typer

from kehu.cli.common import app_context, say
from kehu.errors import KehuError
from kehu.i18n import _, ngettext


def check(
    ctx: typer.Context,
    fix: Annotated[bool, typer.Option("--fix", help="Rewrite wrong stored due dates.")] = False,
) -> None:
    """Check the database: integrity, foreign keys, stored due dates; exit 0 only when all hold.

    Example: kehu check        (after changing `workdays` in the config: kehu check --fix)
    """
    from sqlalchemy import text

    from kehu.store import followups

    app = app_context(ctx)
    store = app.store()
    problems: list[str] = []
    with store.write() if fix else store.read() as connection:
        if store.location.is_sqlite:
            integrity = [r[0] for r in connection.execute(text("PRAGMA integrity_check"))]
            if integrity != ["ok"]:
                problems += [_("integrity: {detail}").format(detail=d) for d in integrity[:20]]
            for row in connection.execute(text("PRAGMA foreign_key_check")).fetchall()[:20]:
                problems.append(_("foreign key: table {table} row {row}").format(table=row[0], row=row[1]))
        wrong = followups.stale_due(connection, app.due_shift())
        if fix and wrong:
            followups.refresh_due(connection, [w[0] for w in wrong], app.due_shift())
        elif wrong:
            problems += [_("customer {id}: stored next due {stored}, should be {computed}").format(
                id=i, stored=s, computed=c) for i, s, c in wrong[:20]]  # fmt: skip
    if fix and wrong:
        say(
            ngettext("fixed {count} due date", "fixed {count} due dates", len(wrong)).format(count=len(wrong))
        )
    if problems:
        message = ngettext("check failed: {count} problem", "check failed: {count} problems", len(problems))
        raise KehuError(message.format(count=len(problems)), problems)
    say(_("ok: integrity, foreign keys and due dates all hold"))


def register(app: typer.Typer) -> None:
    app.command("check")(check)
