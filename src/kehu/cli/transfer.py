"""CSV in and out: `kehu import customers|contacts FILE`, `kehu export customers|contacts`."""

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

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
from kehu.domain.fields import (
    CONTACT_FIELDS,
    CUSTOMER_FIELDS,
    RELATIONSHIP_FIELDS,
    RIVAL_FIELDS,
    TOUCH_FIELDS,
)
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
                  ignore_extra=ignore_extra, ignored=importer.ignored)  # fmt: skip
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
        what = {"customers": _("customers"), "contacts": _("contacts"), "touches": _("touches"),
                "rivals": _("rivals"), "relationships": _("relationship changes"),
                "answers": _("stage answers"), "needs": _("needs"), "proposals": _("proposals"),
                "quotes": _("quotes")}[kind]  # fmt: skip
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
    customer's is a warning (an error with --strict). The columns kehu computes, which an export
    carries (pipeline, stage, status, next_due, last_touch_on), are silently read past: kehu
    sets them itself (kehu advance, won, lost, log). Example:
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


@import_app.command("rivals")
def import_rivals(
    ctx: typer.Context,
    path: FileArg,
    encoding: Encoding = None,
    delimiter: Delimiter = None,
    ignore_extra: IgnoreExtra = False,
    on_conflict: OnConflict = "update",
    dry_run: DryRun = False,
) -> None:
    """Import rivals from CSV/TSV; the "客户名称" or "customer" column names their customer.

    Each row is what `kehu rival add` records; a rival already at that customer is updated (see
    --on-conflict). Example: kehu import rivals 竞争对手.csv
    """
    _import(ctx, path, "rivals", encoding=encoding, delimiter=delimiter, ignore_extra=ignore_extra,
            on_conflict=on_conflict, dry_run=dry_run)  # fmt: skip


@import_app.command("relationships")
def import_relationships(
    ctx: typer.Context,
    path: FileArg,
    encoding: Encoding = None,
    delimiter: Delimiter = None,
    ignore_extra: IgnoreExtra = False,
    dry_run: DryRun = False,
) -> None:
    """Import a relationship history: customer, contact, day, from, to, reason.

    Each row is what kehu contact relate does, in the order of the days: the contact moves to
    the "to" stage and the change is kept, from the "from" stage when the file has that column
    (an export's history), else from the stage they have; moving down needs a reason.
    Example: kehu import relationships 关系.csv
    """
    _import(ctx, path, "relationships", encoding=encoding, delimiter=delimiter, ignore_extra=ignore_extra,
            on_conflict="error", dry_run=dry_run)  # fmt: skip


@import_app.command("answers")
def import_answers(
    ctx: typer.Context,
    path: FileArg,
    encoding: Encoding = None,
    delimiter: Delimiter = None,
    ignore_extra: IgnoreExtra = False,
    on_conflict: OnConflict = "update",
    dry_run: DryRun = False,
) -> None:
    """Import answers to the stages' questions: customer, pipeline, stage, question, answer, day.

    The question is its number in the stage; the pipeline, if empty, is the customer's. A
    question already answered gets the file's answer (see --on-conflict). Example:
    kehu import answers 推进问题.csv
    """
    _import(ctx, path, "answers", encoding=encoding, delimiter=delimiter, ignore_extra=ignore_extra,
            on_conflict=on_conflict, dry_run=dry_run)  # fmt: skip


def _import_offers(ctx: typer.Context, path: str, kind: str, **options: Any) -> None:
    """Needs, proposals and quotes: every row is a new record, as its `add` makes it."""
    _import(ctx, path, kind, on_conflict="error", **options)


@import_app.command("needs")
def import_needs(
    ctx: typer.Context,
    path: FileArg,
    encoding: Encoding = None,
    delimiter: Delimiter = None,
    ignore_extra: IgnoreExtra = False,
    dry_run: DryRun = False,
) -> None:
    """Import customers' needs: customer, need, kind, priority, status, from (a contact), day.

    Each row is a new need, as kehu need add notes it (an id column is read past). Example:
    kehu import needs 需求.csv
    """
    _import_offers(ctx, path, "needs", encoding=encoding, delimiter=delimiter, ignore_extra=ignore_extra,
                   dry_run=dry_run)  # fmt: skip


@import_app.command("proposals")
def import_proposals(
    ctx: typer.Context,
    path: FileArg,
    encoding: Encoding = None,
    delimiter: Delimiter = None,
    ignore_extra: IgnoreExtra = False,
    dry_run: DryRun = False,
) -> None:
    """Import proposals: customer, title, amount, status, sent, file, notes.

    Each row is a new proposal, as kehu proposal add makes it, in file order: the same title
    again is its next version (a version or id column is read past); a file must exist. Example:
    kehu import proposals 建议书.csv
    """
    _import_offers(ctx, path, "proposals", encoding=encoding, delimiter=delimiter,
                   ignore_extra=ignore_extra, dry_run=dry_run)  # fmt: skip


@import_app.command("quotes")
def import_quotes(
    ctx: typer.Context,
    path: FileArg,
    encoding: Encoding = None,
    delimiter: Delimiter = None,
    ignore_extra: IgnoreExtra = False,
    dry_run: DryRun = False,
) -> None:
    """Import quotes: customer, amount, discount, valid until, status, sent, notes.

    Each row is a new quote, as kehu quote add makes it, in file order: each customer's next
    version (a version or id column is read past), and each customer's last one sets its
    expected value. Example: kehu import quotes 报价.csv
    """
    _import_offers(ctx, path, "quotes", encoding=encoding, delimiter=delimiter, ignore_extra=ignore_extra,
                   dry_run=dry_run)  # fmt: skip


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
    """Export every customer card (archived too), in id order, with where each stands:
    pipeline, stage, status (codes), next_due and last_touch_on (ISO dates).

    An import reads those computed columns past; export, import into an empty database and
    export again gives the same cards. Example:
    kehu export customers --format csv > customers.csv
    """
    from kehu.book.cards import list_customers, pipeline_words, stage_words
    from kehu.domain.fields import CUSTOMER_LIST_FIELDS, customer_state_fields
    from kehu.store.customers import CustomerQuery, count

    app = app_context(ctx)
    query = CustomerQuery(archived="active" if active_only else "all")
    with app.store().read() as connection:
        rows = _with_progress(list_customers(connection, query), count(connection))
        fields = CUSTOMER_LIST_FIELDS  # stages in words only with --labels (or a table)
        if labels or fmt == "table":
            fields = (*CUSTOMER_FIELDS, *customer_state_fields(stage_words(connection), pipeline_words()))
        print_records(rows, fields, fmt or "csv", labels=labels, excel=excel)


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


@export_app.command("rivals")
def export_rivals(
    ctx: typer.Context,
    fmt: FormatOption = None,
    labels: LabelsOption = False,
    excel: ExcelOption = False,
) -> None:
    """Export every rival, with its customer's name (re-importable with kehu import rivals).

    Example: kehu export rivals --excel > 竞争对手.csv
    """
    from kehu.store.rivals import count, list_rivals

    app = app_context(ctx)
    with app.store().read() as connection:
        rows = _with_progress(list_rivals(connection), count(connection))
        print_records(rows, RIVAL_FIELDS, fmt or "csv", labels=labels, excel=excel)


@export_app.command("relationships")
def export_relationships(
    ctx: typer.Context,
    fmt: FormatOption = None,
    labels: LabelsOption = False,
    excel: ExcelOption = False,
) -> None:
    """Export every relationship stage change, oldest first (re-importable with kehu import
    relationships).

    Example: kehu export relationships > 关系.csv
    """
    from kehu.store.org import count_changes, history

    app = app_context(ctx)
    with app.store().read() as connection:
        rows = _with_progress(history(connection, newest_first=False), count_changes(connection))
        print_records(rows, RELATIONSHIP_FIELDS, fmt or "csv", labels=labels, excel=excel)


@export_app.command("answers")
def export_answers(
    ctx: typer.Context,
    fmt: FormatOption = None,
    labels: LabelsOption = False,
    excel: ExcelOption = False,
) -> None:
    """Export every answer to the stages' questions (re-importable with kehu import answers).

    Example: kehu export answers > 推进问题.csv
    """
    from kehu.domain.fields import STAGE_ANSWER_FIELDS
    from kehu.store.answers import all_answers, count_answers

    app = app_context(ctx)
    with app.store().read() as connection:
        rows = _with_progress(all_answers(connection), count_answers(connection))
        print_records(rows, STAGE_ANSWER_FIELDS, fmt or "csv", labels=labels, excel=excel)


def _export_offers(ctx: typer.Context, table: str, fmt: str | None, labels: bool, excel: bool) -> None:
    from kehu.domain.fields import NEED_FIELDS, PROPOSAL_FIELDS, QUOTE_FIELDS

    app = app_context(ctx)
    with app.store().read() as connection:
        if table == "need":
            from kehu.store import needs

            rows = _with_progress(needs.all_needs(connection), needs.count(connection))
            fields = NEED_FIELDS
        else:
            from kehu.store import offers

            rows = _with_progress(offers.all_offers(connection, table), offers.count(connection, table))
            fields = PROPOSAL_FIELDS if table == "proposal" else QUOTE_FIELDS
        print_records(rows, fields, fmt or "csv", labels=labels, excel=excel)


@export_app.command("needs")
def export_needs(
    ctx: typer.Context,
    fmt: FormatOption = None,
    labels: LabelsOption = False,
    excel: ExcelOption = False,
) -> None:
    """Export every need, oldest first, with its customer's and contact's names (re-importable
    with kehu import needs).

    Example: kehu export needs --excel > 需求.csv
    """
    _export_offers(ctx, "need", fmt, labels, excel)


@export_app.command("proposals")
def export_proposals(
    ctx: typer.Context,
    fmt: FormatOption = None,
    labels: LabelsOption = False,
    excel: ExcelOption = False,
) -> None:
    """Export every proposal, oldest first (re-importable with kehu import proposals: the
    versions come out the same).

    Example: kehu export proposals > 建议书.csv
    """
    _export_offers(ctx, "proposal", fmt, labels, excel)


@export_app.command("quotes")
def export_quotes(
    ctx: typer.Context,
    fmt: FormatOption = None,
    labels: LabelsOption = False,
    excel: ExcelOption = False,
) -> None:
    """Export every quote, oldest first (re-importable with kehu import quotes).

    Example: kehu export quotes --labels > 报价.csv
    """
    _export_offers(ctx, "quote", fmt, labels, excel)


def register(root: typer.Typer) -> None:
    root.add_typer(import_app, name="import", help="Import customers or contacts from CSV.")
    root.add_typer(export_app, name="export", help="Export customers or contacts.")
