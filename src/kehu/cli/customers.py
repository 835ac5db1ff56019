"""Customer cards: add, list, edit, archive, restore (`kehu show` is cli/show.py)."""

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
from kehu.cli.params import CustomerArg
from kehu.domain.fields import CUSTOMER_FIELDS, FIELDS_BY_KEY
from kehu.i18n import _

EDITABLE = [f for f in CUSTOMER_FIELDS if f.editable and f.kind not in ("timestamp", "name")]
TABLE_KEYS = ["id", "name", "grade", "industry", "region", "owner",
              "expected_value", "expected_close", "phone"]  # fmt: skip
CUSTOMER = FIELDS_BY_KEY["customer"]
FILTER_KEYS = ("grade", "kind", "industry", "owner", "nature", "source", "ka_type", "currency")


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
    sort: Annotated[
        str | None,
        typer.Option(
            "--sort",
            help="Field to sort by; -field for "
            "descending; several separated by commas (e.g. -expected_value,name).",
        ),
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=0, help="At most N rows.")] = None,
    archived: Annotated[bool, typer.Option("--archived", help="Only archived customers.")] = False,
    include_all: Annotated[bool, typer.Option("--all", "-a", help="Active and archived.")] = False,
    all_owners: Annotated[bool, typer.Option("--all-owners", help=ALL_OWNERS_HELP)] = False,
    columns: Annotated[
        str | None,
        typer.Option("--columns", "-c", help="Columns to print, e.g. name,grade,phone (keys or labels)."),
    ] = None,
    fmt: FormatOption = None,
    labels: LabelsOption = False,
    excel: ExcelOption = False,
) -> None:
    """List customers, filtered by field, text search, sorted and limited.

    Example: kehu list --grade A --region 浙江 --sort -expected_value --limit 20
    """
    from kehu.store.customers import CustomerQuery, list_cards

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
    )
    fmt = chosen_format(fmt)
    keys = parse_columns(columns, CUSTOMER_FIELDS) or (TABLE_KEYS if fmt == "table" else None)
    with app.store().read() as connection:
        count = print_records(list_cards(connection, query), CUSTOMER_FIELDS, fmt,
                              labels=labels, excel=excel, keys=keys)  # fmt: skip
    if count == 0:
        say(_("no customers match"))


def _parse_sort(text: str | None) -> list[tuple[str, bool]]:
    if not text:
        return []
    keys = parse_columns(text.replace("-", ""), CUSTOMER_FIELDS) or []
    directions = [word.strip().startswith("-") for word in text.split(",")]
    return list(zip(keys, directions, strict=True))


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


def register(app: typer.Typer) -> None:
    panel = _("Card fields")
    app.command("add")(with_field_options(EDITABLE, panel)(add))
    app.command("list")(
        with_field_options([CUSTOMER[k] for k in (*FILTER_KEYS, "region", "address")], _("Filters"))(
            list_customers
        )  # fmt: skip
    )
    app.command("edit")(with_field_options(EDITABLE, panel)(edit))
    app.command("archive")(archive)
    app.command("restore")(restore)
