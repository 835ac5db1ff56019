"""`kehu check`: integrity, foreign keys, and every stored due date recomputed."""

from typing import Annotated

import typer

from kehu.cli.common import app_context, say
from kehu.errors import KehuError
from kehu.i18n import _, ngettext

SHOWN = 20  # problems listed per kind; the count covers all of them


def check(
    ctx: typer.Context,
    fix: Annotated[bool, typer.Option("--fix", help="Rewrite wrong stored due dates.")] = False,
) -> None:
    """Check the database: integrity, foreign keys, stored due dates; exit 0 only when all hold.

    Every problem found is listed on stderr (the first 20 of each kind) and the exit code is 1:
    also triggers or views kehu did not make and columns not kehu's, for which other commands
    refuse the file (78). A file too damaged to open at all exits 78; restore it from a backup.

    Example: kehu check        (after changing `workdays` in the config: kehu check --fix)
    """
    from kehu.store.db import open_store

    app = app_context(ctx)
    # Opened even when other commands refuse it, to say why; closed here, as it is not app's.
    store = open_store(app.location(), suspect_ok=True)
    try:
        _check(app, store, fix)
    finally:
        store.close()


def _check(app, store, fix: bool) -> None:
    from kehu.store import followups

    problems: list[str] = []
    count = len(store.problems)
    wrong: list = []
    problems += _listed([_("schema: {detail}").format(detail=d) for d in store.problems])
    integrity = _integrity(store) if store.location.is_sqlite else []
    if integrity:
        count += len(integrity)
        problems += _listed([_("integrity: {detail}").format(detail=d) for d in integrity])
        # The rows themselves may be unreadable: recomputing from them would only add noise.
        problems.append(_("foreign keys and due dates not checked: the file is damaged"))
    else:
        # A file not as kehu left it is only read: its columns may not be kehu's, and --fix would
        # run the triggers kehu did not make.
        with store.write() if fix and not store.problems else store.read() as connection:
            if store.location.is_sqlite:
                orphans = list(connection.execute("PRAGMA foreign_key_check").tuples())
                count += len(orphans)
                problems += _listed([
                    _("foreign key: {table} row {row} refers to a missing {parent}").format(
                        table=table, row=row, parent=parent)
                    for table, row, parent, _fk in orphans
                ])  # fmt: skip
            if store.problems:
                problems.append(_("due dates not checked: the file is not as kehu left it"))
            else:
                wrong = followups.stale_due(connection, app.due_shift())
            if fix and wrong:
                followups.refresh_due(connection, [w[0] for w in wrong], app.due_shift())
            elif wrong:
                count += len(wrong)
                due = _("customer {id}: stored next due {stored}, should be {computed}")
                problems += _listed([due.format(id=i, stored=s, computed=c) for i, s, c in wrong])
    if fix and wrong:
        say(
            ngettext("fixed {count} due date", "fixed {count} due dates", len(wrong)).format(count=len(wrong))
        )
    if problems:
        message = ngettext("check failed: {count} problem", "check failed: {count} problems", count)
        raise KehuError(message.format(count=count), problems)
    say(_("ok: integrity, foreign keys and due dates all hold"))


def _integrity(store) -> list[str]:
    """What PRAGMA integrity_check finds wrong (nothing: []), one line per problem.

    SQLite reports up to 100 problems, several to a row; a page too damaged to walk at all makes
    the check itself fail, and that is the problem then. It runs on a connection of its own: after
    such a failure not even the end of its read transaction goes through.
    """
    import contextlib
    import sqlite3

    from kehu.store import driver
    from kehu.store.db import error_family, translate_errors

    with translate_errors(store.location):
        connection = driver.connect(store.location, immutable=store.immutable)
        try:
            rows = [r[0] for r in connection.cursor().execute("PRAGMA integrity_check").fetchall()]
        except sqlite3.Error as error:
            if error_family(error) not in ("CORRUPT", "NOTADB"):
                raise
            return [str(error)]
        finally:
            with contextlib.suppress(sqlite3.Error):
                connection.close()
    if rows == ["ok"]:
        return []
    lines = [line for row in rows for line in str(row).splitlines()]
    return [line for line in lines if line.strip() and not line.startswith("*** in database")]


def _listed(lines: list[str]) -> list[str]:
    """The first SHOWN lines, and how many more there are."""
    if len(lines) <= SHOWN:
        return lines
    return [*lines[:SHOWN], _("… and {count} more").format(count=len(lines) - SHOWN)]


def register(app: typer.Typer) -> None:
    app.command("check")(check)
