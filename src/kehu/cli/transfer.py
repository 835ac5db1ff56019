"""CSV in and out: `kehu import customers|contacts FILE`, `kehu export customers|contacts`."""

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Literal

import typer

from kehu.cli.common import (
    ExcelOption,
    FormatOption,
    LabelsOption,
    app_context,
    open_input,
    print_records,
    say,
)
from kehu.domain.fields import CONTACT_FIELDS, CUSTOMER_FIELDS, TOUCH_FIELDS
from kehu.errors import BadData, UsageError
from kehu.i18n import _, ngettext

import_app = typer.Typer(no_args_is_help=True)
export_app = typer.Typer(no_args_is_help=True)

FileArg = Annotated[str, typer.Argument(help="CSV or TSV file; - for standard input.")]
Encoding = Annotated[str | None, typer.Option("--encoding", help="Force the file's encoding "
                     "(default: UTF-8 with or without BOM, else GB18030).")]  # fmt: skip
Delimiter = Annotated[str | None, typer.Option("--delimiter", "-d", help="Cell separator "
                      "(default: tab for .tsv files, else comma); \\t for tab.")]  # fmt: skip
IgnoreExtra = Annotated[bool, typer.Option("--ignore-extra", help="Skip columns kehu does not "
                        "know instead of refusing the file.")]  # fmt: skip
OnConflict = Annotated[Literal["update", "skip", "error"], typer.Option("--on-conflict",
                       help="A row whose name is already in the book: update it, skip it, or "
                       "refuse the file.")]  # fmt: skip
Strict = Annotated[bool, typer.Option("--strict", help="A new customer whose name looks like "
                   "another's (\"杭州海纳科技\" beside \"杭州海纳科技有限公司\") refuses the file "
                   "instead of a warning.")]  # fmt: skip
DryRun = Annotated[bool, typer.Option("--dry-run", help="Check the file and count what would "
                   "be added, updated, unchanged; write nothing.")]  # fmt: skip


def _read_input(path: str) -> tuple[bytes, str | None]:
    if path == "-":
        return open_input(path).read(), None
    with open_input(path) as file:
        return file.read(), Path(path).name


def _import(
    ctx: typer.Context,
    path: str,
    kind: str,
    *,
    encoding: str | None,
    delimiter: str | None,
    ignore_extra: bool,
    on_conflict: str,
    dry_run: bool,
    strict: bool = False,
) -> None:
    """Read the file, then check every row against the book and write all of it in one
    transaction (book.importers: one entry per kind)."""
    from kehu.book.cards import Refused
    from kehu.book.importers import IMPORTERS
    from kehu.io.csv_in import Sheet, decode, error_details, guess_delimiter
    from kehu.render.progress import progress_bar

    app = app_context(ctx)
    importer = IMPORTERS[kind]
    data, filename = _read_input(path)
    text = decode(data, encoding)
    del data  # 17 MB for 100,000 customers: not kept through the import
    if delimiter is not None:
        delimiter = "\t" if delimiter in ("\\t", "tab", "TAB") else delimiter
        if len(delimiter) != 1:
            raise UsageError(_("--delimiter must be one character"))
    delimiter = delimiter or guess_delimiter(text, filename)
    sheet = Sheet(text, importer.fields, required=importer.required, delimiter=delimiter,
                  ignore_extra=ignore_extra)  # fmt: skip
    lines = text.count("\n") or None
    del text  # the sheet holds it
    importer.prepare()
    store = app.store()
    options = {"on_conflict": on_conflict, "today": app.today, "now": app.now(), "owner": app.new_owner(),
               "shift": app.due_shift(), "write": not dry_run}  # fmt: skip
    if kind == "customers":
        options["on_similar"] = "refuse" if strict else "warn"
    try:
        with (
            progress_bar(_("checking rows"), lines) as advance,
            store.read() if dry_run else store.write() as connection,
        ):
            written = importer.write(connection, sheet, progress=advance, **options)
    except Refused as refused:
        bad = len({error.line for error in refused.errors})
        message = ngettext("{file}: {count} bad row; nothing was imported",
                           "{file}: {count} bad rows; nothing was imported", bad)  # fmt: skip
        file = filename or _("standard input")
        raise BadData(message.format(file=file, count=bad), error_details(refused.errors)) from None
    for warning in getattr(written, "similar", ()):
        say(_("warning: {warning}").format(warning=warning))
    summary = _("{added} added, {updated} updated, {unchanged} unchanged, {skipped} skipped")
    summary = summary.format(added=written.added, updated=written.updated,
                             unchanged=written.unchanged, skipped=written.skipped)  # fmt: skip
    if dry_run:
        typer.echo(_("dry run: would import {summary}").format(summary=summary))
    else:
        what = {"customers": _("customers"), "contacts": _("contacts"), "touches": _("touches")}[kind]
        say(_("imported {kind}: {summary}").format(kind=what, summary=summary))


@import_app.command("customers")
def import_customers(
    ctx: typer.Context,
    path: FileArg,
    encoding: Encoding = None,
    delimiter: Delimiter = None,
    ignore_extra: IgnoreExtra = False,
    on_conflict: OnConflict = "update",
    dry_run: DryRun = False,
    strict: Strict = False,
) -> None:
    """Import customer cards from CSV/TSV (headers in Chinese or English).

    Every row is checked first: one bad row and nothing is written (exit 65). Rows whose name
    is already in the book update it (see --on-conflict); a new name that looks like another
    customer's is a warning (an error with --strict). Example:
    kehu import customers 客户.csv --dry-run
    """
    _import(ctx, path, "customers", encoding=encoding,
            delimiter=delimiter, ignore_extra=ignore_extra, on_conflict=on_conflict,
            dry_run=dry_run, strict=strict)  # fmt: skip


@import_app.command("contacts")
def import_contacts(
    ctx: typer.Context,
    path: FileArg,
    encoding: Encoding = None,
    delimiter: Delimiter = None,
    ignore_extra: IgnoreExtra = False,
    on_conflict: OnConflict = "update",
    dry_run: DryRun = False,
) -> None:
    """Import contacts from CSV/TSV; the "客户名称" or "customer" column names their customer.

    Example: kehu import contacts 联系人.csv
    """
    _import(ctx, path, "contacts", encoding=encoding,
            delimiter=delimiter, ignore_extra=ignore_extra, on_conflict=on_conflict,
            dry_run=dry_run)  # fmt: skip


@import_app.command("touches")
def import_touches(
    ctx: typer.Context,
    path: FileArg,
    encoding: Encoding = None,
    delimiter: Delimiter = None,
    ignore_extra: IgnoreExtra = False,
    dry_run: DryRun = False,
) -> None:
    """Import a follow-up log: customer, date, channel, contact, what happened, next step.

    Each customer's last touch, next step and due date follow, as if logged one by one. Example:
    kehu import touches 跟进记录.csv
    """
    _import(ctx, path, "touches", encoding=encoding, delimiter=delimiter, ignore_extra=ignore_extra,
            on_conflict="error", dry_run=dry_run)  # fmt: skip


ArchivedToo = Annotated[bool, typer.Option("--active-only", help="Leave archived records out "
                        "(by default everything is exported).")]  # fmt: skip


def _with_progress(rows: Iterator, total: int) -> Iterator:
    """Pass the rows through, advancing a progress bar on a terminal (silent in a pipe)."""
    from kehu.render.progress import progress_bar

    with progress_bar(_("exporting"), total) as advance:
        for row in rows:
            yield row
            advance(1)


@export_app.command("customers")
def export_customers(
    ctx: typer.Context,
    active_only: ArchivedToo = False,
    fmt: FormatOption = None,
    labels: LabelsOption = False,
    excel: ExcelOption = False,
) -> None:
    """Export every customer card (archived too), in id order.

    Export, import into an empty database and export again gives the same bytes. Example:
    kehu export customers --format csv > customers.csv
    """
    from kehu.store.customers import CustomerQuery, count, list_cards

    app = app_context(ctx)
    query = CustomerQuery(archived="active" if active_only else "all")
    with app.store().read() as connection:
        rows = _with_progress(list_cards(connection, query), count(connection))
        print_records(rows, CUSTOMER_FIELDS, fmt or "csv", labels=labels, excel=excel)


@export_app.command("contacts")
def export_contacts(
    ctx: typer.Context,
    active_only: ArchivedToo = False,
    fmt: FormatOption = None,
    labels: LabelsOption = False,
    excel: ExcelOption = False,
) -> None:
    """Export every contact (archived too), with its customer's name.

    Example: kehu export contacts --excel > 联系人.csv
    """
    from kehu.store.contacts import count, list_contacts

    app = app_context(ctx)
    with app.store().read() as connection:
        rows = list_contacts(connection, archived="active" if active_only else "all")
        rows = _with_progress(rows, count(connection))
        print_records(rows, CONTACT_FIELDS, fmt or "csv", labels=labels, excel=excel)


@export_app.command("touches")
def export_touches(
    ctx: typer.Context,
    fmt: FormatOption = None,
    labels: LabelsOption = False,
    excel: ExcelOption = False,
) -> None:
    """Export the whole follow-up log, oldest first (re-importable with kehu import touches).

    Example: kehu export touches --excel --labels > 跟进记录.csv
    """
    from kehu.store.followups import all_touches, count_touches

    app = app_context(ctx)
    with app.store().read() as connection:
        rows = _with_progress(all_touches(connection), count_touches(connection))
        print_records(rows, TOUCH_FIELDS, fmt or "csv", labels=labels, excel=excel)


def register(root: typer.Typer) -> None:
    root.add_typer(import_app, name="import", help="Import customers or contacts from CSV.")
    root.add_typer(export_app, name="export", help="Export customers or contacts.")
