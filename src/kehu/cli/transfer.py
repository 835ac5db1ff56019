"""CSV in: `kehu import customers|contacts|touches|… FILE`; the exports are cli/exports.py."""

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Literal

import typer

from kehu.cli.common import app_context, open_input, say
from kehu.errors import BadData, UsageError
from kehu.i18n import _, ngettext

import_app = typer.Typer(no_args_is_help=True)

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
                "quotes": _("quotes"), "credit": _("credit checks"),
                "targets": _("targets"), "complaints": _("complaints"),
                "collections": _("collection actions"),
                "instalments": _("payment schedules")}[kind]  # fmt: skip
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


def _import_command(kind: str, doc: str, *, conflicts: bool) -> Callable[..., None]:
    """An `import KIND` command: the file options, and --on-conflict where a row can name a
    record the book holds (a contact, a rival, an answer); elsewhere every row is a new record."""
    if conflicts:

        def command(ctx: typer.Context, path: FileArg, encoding: Encoding = None, delimiter: Delimiter = None,
                    ignore_extra: IgnoreExtra = False, on_conflict: OnConflict = "update",
                    dry_run: DryRun = False) -> None:  # fmt: skip
            _import(ctx, path, kind, encoding=encoding, delimiter=delimiter, ignore_extra=ignore_extra,
                    on_conflict=on_conflict, dry_run=dry_run)  # fmt: skip
    else:

        def command(ctx: typer.Context, path: FileArg, encoding: Encoding = None, delimiter: Delimiter = None,
                    ignore_extra: IgnoreExtra = False, dry_run: DryRun = False) -> None:  # fmt: skip
            _import(ctx, path, kind, encoding=encoding, delimiter=delimiter, ignore_extra=ignore_extra,
                    on_conflict="error", dry_run=dry_run)  # fmt: skip

    command.__doc__ = doc
    return command


# Each kind but customers (which has --strict): whether a row may name a record the book holds,
# and the command's help.
_IMPORTS: dict[str, tuple[bool, str]] = {
    "contacts": (
        True,
        """Import contacts from CSV/TSV; the "客户名称" or "customer" column names their customer.

    Example: kehu import contacts 联系人.csv
    """,
    ),
    "touches": (
        False,
        """Import a follow-up log: customer, date, channel, contact, what happened, next step.

    Each customer's last touch, next step and due date follow, as if logged one by one. Example:
    kehu import touches 跟进记录.csv
    """,
    ),
    "rivals": (
        True,
        """Import rivals from CSV/TSV; the "客户名称" or "customer" column names their customer.

    Each row is what `kehu rival add` records; a rival already at that customer is updated (see
    --on-conflict). Example: kehu import rivals 竞争对手.csv
    """,
    ),
    "relationships": (
        False,
        """Import a relationship history: customer, contact, day, from, to, reason.

    Each row is what kehu contact relate does, in the order of the days: the contact moves to
    the "to" stage and the change is kept, from the "from" stage when the file has that column
    (an export's history), else from the stage they have; moving down needs a reason.
    Example: kehu import relationships 关系.csv
    """,
    ),
    "answers": (
        True,
        """Import answers to the stages' questions: customer, pipeline, stage, question, answer, day.

    The question is its number in the stage; the pipeline, if empty, is the customer's. A
    question already answered gets the file's answer (see --on-conflict). Example:
    kehu import answers 推进问题.csv
    """,
    ),
    "needs": (
        False,
        """Import customers' needs: customer, need, kind, priority, status, from (a contact), day.

    Each row is a new need, as kehu need add notes it (an id column is read past). Example:
    kehu import needs 需求.csv
    """,
    ),
    "proposals": (
        False,
        """Import proposals: customer, title, amount, status, sent, file, notes.

    Each row is a new proposal, as kehu proposal add makes it, in file order: the same title
    again is its next version (a version or id column is read past); a file must exist. Example:
    kehu import proposals 建议书.csv
    """,
    ),
    "quotes": (
        False,
        """Import quotes: customer, amount, discount, valid until, status, sent, notes.

    Each row is a new quote, as kehu quote add makes it, in file order: each customer's next
    version (a version or id column is read past), and each customer's last one sets its
    expected value. Example: kehu import quotes 报价.csv
    """,
    ),
    "credit": (
        False,
        """Import credit checks: customer, checked on, the figures, limit, notes (kehu credit --help).

    Each row is a new check, as kehu credit records it (an id or result column is read past).
    Example: kehu import credit 信用审查.csv
    """,
    ),
    "complaints": (
        False,
        """Import complaints: customer, complaint, severity, from (a contact), raised, status, resolved.

    Each row is a new complaint, as kehu complaint add records it (and resolve, for a resolved
    one). Example: kehu import complaints 投诉.csv
    """,
    ),
    "collections": (
        False,
        """Import collection actions: customer, contract (its number), day, method, document, result, promise.

    Each row is a new action, as kehu collect records it (an id or promise status column is read
    past), but not a touch: the touch a collection was travels in kehu import touches. Example:
    kehu import collections 催款记录.csv
    """,
    ),
    "instalments": (
        False,
        """Import payment schedules: each contract's instalments (number, amount, when), as exported.

    The rows of a contract already in the book (by its number) replace its schedule: they must
    add up to its amount to the fen; one tied to delivery or acceptance is dated once that
    happened, and the payments recorded on the contract go to the new instalments oldest due
    first, as kehu pay splits them. Example: kehu import instalments 付款计划.csv
    """,
    ),
    "targets": (
        True,
        """Import monthly targets: month, owner (empty: the book's), amount, collect, new customers …

    Each row is what kehu target set does; a month and owner already set is replaced (see
    --on-conflict). Example: kehu import targets 销售目标.csv
    """,
    ),
}  # fmt: skip
for _kind, (_conflicts, _doc) in _IMPORTS.items():
    import_app.command(_kind)(_import_command(_kind, _doc, conflicts=_conflicts))


def register(root: typer.Typer) -> None:
    root.add_typer(import_app, name="import", help="Import customers, contacts, touches … from CSV.")
