"""`kehu dump` and `kehu load`: the whole book as JSON Lines, to move it between databases."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from kehu.cli.common import app_context, open_input, say
from kehu.errors import CannotCreate, NotPermitted
from kehu.i18n import _, ngettext


def dump(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help="Where to write it; - (the default) is standard output.")] = "-",
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
) -> None:
    """Write the whole book as JSON Lines: every table, one record a line, with its schema version.

    `kehu load` reads it back into an empty database. Example:
    kehu dump book.jsonl      kehu --db old.db dump | kehu --db new.db load -
    """
    from kehu.book.dump import Counts, book_size, dump_lines
    from kehu.render.progress import progress_bar

    app = app_context(ctx)
    counts = Counts()
    with app.store().read() as connection, progress_bar(_("dumping"), book_size(connection)) as advance:
        out, target = _open_output(file, force)
        try:
            for line in dump_lines(connection, counts):
                out.write(line)
                advance(1)
            out.flush()
        except BaseException:
            if target is not None:
                out.close()
                target.unlink(missing_ok=True)  # never leave half a dump behind
            raise
        if target is not None:
            out.close()
    say(ngettext("dumped {count} record of {db}", "dumped {count} records of {db}", counts.total).format(
        count=counts.total, db=app.location().display()))  # fmt: skip


def load(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help="A dump written by `kehu dump`; - reads standard input.")],
) -> None:
    """Read a dump into an empty database, all of it in one transaction (or none of it).

    Every record is checked as an import checks a card: a bad one stops the load (exit 65, with
    its line, table and column) and nothing is written.

    Example: kehu --db new.db load book.jsonl
    """
    from kehu.book.dump import load as load_dump
    from kehu.render.progress import progress_bar

    app = app_context(ctx)
    lines = open_input(file, "r")
    store = app.store()
    with progress_bar(_("loading"), None) as advance:
        counts = load_dump(store, lines, advance)
    say(ngettext("loaded {count} record into {db}", "loaded {count} records into {db}", counts.total).format(
        count=counts.total, db=app.location().display()))  # fmt: skip


def _open_output(file: str, force: bool):
    if file == "-":
        return sys.stdout, None
    target = Path(file)
    try:
        return target.open("w" if force else "x", encoding="utf-8", newline="\n"), target
    except FileExistsError:
        raise CannotCreate(_("{path} exists; use --force to replace it").format(path=target)) from None
    except PermissionError:
        raise NotPermitted(_("cannot write {path}: permission denied").format(path=target)) from None
    except OSError as error:
        raise CannotCreate(
            _("cannot write {path}: {error}").format(path=target, error=error.strerror)
        ) from None


def register(app: typer.Typer) -> None:
    app.command("dump")(dump)
    app.command("load")(load)
