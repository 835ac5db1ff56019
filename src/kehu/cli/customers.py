"""Customer cards: add, list, edit, archive, restore (`kehu show` is cli/show.py)."""

import inspect
import itertools
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Annotated

import typer

from kehu.cli.common import (
    ALL_OWNERS_HELP,
    ExcelOption,
    FormatOption,
    LabelsOption,
    app_context,
    chosen_format,
    parse_changes,
    parse_columns,
    parse_given,
    parse_new_name,
    print_records,
    say,
    with_field_options,
)
from kehu.cli.params import DATE, CustomerArg, WordType, complete_stage
from kehu.domain.fields import CUSTOMER_FIELDS, CUSTOMER_LIST_FIELDS, FIELDS_BY_KEY
from kehu.domain.vocabulary import STATUS
from kehu.errors import UsageError
from kehu.i18n import _, labelled

EDITABLE = [f for f in CUSTOMER_FIELDS if f.editable and f.kind not in ("timestamp", "name")]
TABLE_KEYS = ["id", "name", "grade", "industry", "region", "owner",
              "expected_value", "expected_close", "phone"]  # fmt: skip
CUSTOMER = FIELDS_BY_KEY["customer"]
FILTER_KEYS = ("grade", "kind", "industry", "owner", "nature", "source", "ka_type", "currency")
# Every column a list shows sorts (the card's and where it stands); -key sorts descending.
SORTABLE = tuple(f.key for f in CUSTOMER_LIST_FIELDS)
# The options of where customers stand, shown in a help panel of their own (named in register:
# in the interface language).
STANDING = ("stage", "status", "pipeline", "min_value", "max_value", "due_before", "touched_before", "rival")


def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Customer name.")],
    values: dict,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Add it even when its name looks like a customer's "
            "(\"杭州海纳科技\" beside \"杭州海纳科技有限公司\").",
        ),
    ] = False,
) -> None:
    """Add a customer card.

    Example: kehu add 杭州海纳科技有限公司 --industry 软件 --grade B --source 展会 --owner 王磊
    """
    from kehu.book.cards import add_card
    from kehu.domain.names import load_pinyin

    app = app_context(ctx)
    clean_name = parse_new_name(name)
    card = parse_given(EDITABLE, values, app.today)
    load_pinyin()  # not under the write lock
    with app.store().write() as connection:
        new_id = add_card(connection, clean_name, card, today=app.today, now=app.now(),
                          owner=app.new_owner(), shift=app.due_shift(), force=force)  # fmt: skip
    say(_("added customer {id}: {name}").format(id=new_id, name=clean_name))


def list_customers(
    ctx: typer.Context,
    values: dict,
    search: Annotated[
        str | None,
        typer.Option("--search", "-s", help="Text in the name, pinyin, contacts, phone, address or notes."),
    ] = None,
    stage: Annotated[
        str | None,
        typer.Option("--stage", help="In this stage: its name, key or number (e.g. 呈现价值, 4); of "
                     "--pipeline, else of the book's pipeline.", autocompletion=complete_stage),
    ] = None,
    status: Annotated[
        str | None,
        typer.Option("--status", click_type=WordType(STATUS), help="Deal status: {words:status}."),
    ] = None,
    pipeline: Annotated[
        str | None,
        typer.Option("--pipeline", help="In this pipeline (its key, see kehu pipeline list)."),
    ] = None,
    min_value: Annotated[
        str | None,
        typer.Option("--min-value", help="Expected value at least this (e.g. 50万, 500k)."),
    ] = None,
    max_value: Annotated[
        str | None,
        typer.Option("--max-value", help="Expected value at most this."),
    ] = None,
    due_before: Annotated[
        date | None,
        typer.Option("--due-before", click_type=DATE, help="Next follow-up due before this day "
                     "(e.g. 下周一, 2026-12-31)."),
    ] = None,
    touched_before: Annotated[
        date | None,
        typer.Option("--touched-before", click_type=DATE, help="Last touched before this day, or "
                     "never touched."),
    ] = None,
    rival: Annotated[
        str | None,
        typer.Option("--rival", help="Where this rival is recorded (kehu rival add)."),
    ] = None,
    sort: Annotated[
        str | None,
        typer.Option(
            "--sort",
            help="Column to sort by (any column listed: stage, status, next_due, last_touch_on …); "
            "-column for descending; several separated by commas (e.g. -expected_value,name). "
            "Empty values go last.",
        ),
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=0, help="At most N rows.")] = None,
    archived: Annotated[bool, typer.Option("--archived", help="Only archived customers.")] = False,
    include_all: Annotated[bool, typer.Option("--all", "-a", help="Active and archived.")] = False,
    all_owners: Annotated[bool, typer.Option("--all-owners", help=ALL_OWNERS_HELP)] = False,
    columns: Annotated[
        str | None,
        typer.Option("--columns", "-c", help="Columns to print, e.g. name,grade,stage,next_due (keys or "
                     "labels)."),
    ] = None,
    fmt: FormatOption = None,
    labels: LabelsOption = False,
    excel: ExcelOption = False,
) -> None:
    """List customers: filtered by field, text, stage, status, value, due date, last touch or
    rival; sorted by any column; limited. CSV and JSON carry each customer's pipeline, stage,
    status (codes), next due and last touch (ISO dates).

    Example: kehu list --stage 呈现价值 --status open --min-value 50万 --sort -expected_value
    """
    from kehu.book.cards import list_customers as listed
    from kehu.book.cards import pipeline_words, stage_words
    from kehu.domain.fields import customer_state_fields
    from kehu.store.customers import CustomerQuery

    app = app_context(ctx)
    values = {**values, "owner": app.owner_scope(values.get("owner"), all_owners)}
    filters = {k: v for k, v in values.items() if v is not None}
    parsed = parse_given([CUSTOMER[k] for k in filters if k not in ("region", "address")],
                         {k: v for k, v in filters.items() if k not in ("region", "address")},
                         app.today)  # fmt: skip
    query = CustomerQuery(
        equals=parsed,
        contains={k: filters[k] for k in ("region", "address") if k in filters},
        search=search,
        archived="all" if include_all else ("archived" if archived else "active"),
        sort=_parse_sort(sort),
        limit=limit,
        status=status,
        min_value=_amount("--min-value", min_value),
        max_value=_amount("--max-value", max_value),
        due_before=due_before,
        touched_before=touched_before,
    )
    if query.min_value is not None and query.max_value is not None and query.min_value > query.max_value:
        raise UsageError(_("--min-value is more than --max-value"))
    fmt = chosen_format(fmt)
    keys = parse_columns(columns, CUSTOMER_LIST_FIELDS) or (TABLE_KEYS if fmt == "table" else None)
    with app.store().read() as connection:
        rows = listed(connection, query, stage=stage, pipeline=pipeline, rival=rival)
        # Stages in words only where words are shown: codes need no pipeline files read.
        words = fmt == "table" or labels
        fields = CUSTOMER_LIST_FIELDS
        if words:
            fields = (*CUSTOMER_FIELDS, *customer_state_fields(stage_words(connection), pipeline_words()))
        first = next(rows, None)  # none: a table has nothing to draw; a script still gets its header
        count = 0
        if first is not None or fmt != "table":
            rows = itertools.chain([first], rows) if first is not None else rows
            count = print_records(rows, fields, fmt, labels=labels, excel=excel, keys=keys)
    if count == 0:
        say(_("no customers match"))


def _amount(option: str, text: str | None) -> Decimal | None:
    from kehu.book.money import read_money

    return None if text is None else read_money(option, text)


def _parse_sort(text: str | None) -> list[tuple[str, bool]]:
    """`--sort -expected_value,name`: (key, descending) pairs; keys or labels of any listed
    column; an unknown one is the usage error naming those that sort."""
    if text is None:
        return []
    from kehu.domain.fields import header_index
    from kehu.domain.vocabulary import fold

    index = header_index(CUSTOMER_LIST_FIELDS)
    order = []
    for word in text.split(","):
        word = word.strip()
        descending = word.startswith("-")
        found = index.get(fold(word.removeprefix("-").removeprefix("+")))
        if found is None:
            raise UsageError(labelled("--sort", _("unknown column {name!r}; sortable: {keys}").format(
                name=word, keys=", ".join(SORTABLE))))  # fmt: skip
        order.append((found.key, descending))
    return order


def edit(
    ctx: typer.Context,
    customer: CustomerArg,
    values: dict,
    new_name: Annotated[str | None, typer.Option("--name", help="Rename the customer.")] = None,
) -> None:
    """Change fields of a customer card (an empty value clears a field).

    Example: kehu edit hzkj --grade A --expected-close 月底 --phone ""
    """
    from kehu.book.cards import edit_card
    from kehu.domain.names import load_pinyin

    app = app_context(ctx)
    changes = parse_changes(EDITABLE, values, new_name, app.today)
    if "name" in changes:
        load_pinyin()
    with app.store().write() as connection:
        edited = edit_card(connection, customer, changes, now=app.now(), shift=app.due_shift())
    say(_("updated customer {id}: {name}").format(id=edited.customer_id, name=edited.name))


def archive(
    ctx: typer.Context,
    customer: CustomerArg,
) -> None:
    """Archive a customer: hidden from lists, kept with all its history (never deleted).

    Example: kehu archive 12
    """
    _set_archived(ctx, customer, archive=True)


def restore(
    ctx: typer.Context,
    customer: CustomerArg,
) -> None:
    """Bring an archived customer back into the lists.

    Example: kehu restore 12
    """
    _set_archived(ctx, customer, archive=False)


def _set_archived(ctx: typer.Context, reference: str, *, archive: bool) -> None:
    from kehu.book.cards import set_archived

    app = app_context(ctx)
    with app.store().write() as connection:
        card, changed = set_archived(connection, reference, archive=archive, now=app.now())
    if not changed:
        message = _("customer {id} is already archived") if archive else _("customer {id} is not archived")
        say(message.format(id=card["id"]))
        return
    done = _("archived customer {id}: {name}") if archive else _("restored customer {id}: {name}")
    say(done.format(id=card["id"], name=card["name"]))


def _in_panel(command: Callable, names: tuple[str, ...], panel: str) -> Callable:
    """The command with these options shown under `panel` in its help."""
    for parameter in inspect.signature(command).parameters.values():
        if parameter.name in names:
            for info in getattr(parameter.annotation, "__metadata__", ()):
                info.rich_help_panel = panel
    return command


def register(app: typer.Typer) -> None:
    panel = _("Card fields")
    _in_panel(list_customers, STANDING, _("Where they stand"))
    app.command("add")(with_field_options(EDITABLE, panel)(add))
    app.command("list")(
        with_field_options([CUSTOMER[k] for k in (*FILTER_KEYS, "region", "address")], _("Filters"))(
            list_customers
        )  # fmt: skip
    )
    app.command("edit")(with_field_options(EDITABLE, panel)(edit))
    app.command("archive")(archive)
    app.command("restore")(restore)
