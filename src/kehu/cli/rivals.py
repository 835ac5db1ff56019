"""Rivals at a customer (竞争信息): add, list, edit, remove."""

from typing import Annotated

import typer

from kehu.cli.common import (
    ExcelOption,
    FormatOption,
    LabelsOption,
    app_context,
    chosen_format,
    parse_changes,
    parse_given,
    parse_new_name,
    print_records_or_note,
    say,
    with_field_options,
)
from kehu.cli.params import CustomerArg, optional_customer
from kehu.domain.fields import RIVAL_FIELDS
from kehu.i18n import _

app = typer.Typer(no_args_is_help=True)
EDITABLE = [f for f in RIVAL_FIELDS
            if f.editable and f.kind not in ("timestamp", "name", "ref", "id")]  # fmt: skip
RivalArg = Annotated[str, typer.Argument(help="The rival's id, name or part of the name.")]
PANEL = _("Rival fields")
# At 80 columns: who, where, and what they hold there first; notes and stamps go first.
PRIORITY = ("name", "customer", "share", "price", "won_on", "strengths", "weaknesses", "their_contact")
SHOWN = [f.key for f in RIVAL_FIELDS if f.key not in ("created_at", "updated_at")]


@app.command("add")
@with_field_options(EDITABLE, PANEL)
def add(
    ctx: typer.Context,
    customer: CustomerArg,
    name: Annotated[str, typer.Argument(help="The rival's name (a company).")],
    values: dict,
) -> None:
    """Record a competitor at a customer: their salesperson, since when, share, price, strengths.

    Example: kehu rival add hnkj 金蝶 --share 30% --price 120万 --strengths "老关系" --since 2025-03-01
    """
    from kehu.book.rivals import add_rival

    app_ = app_context(ctx)
    clean_name = parse_new_name(name)
    rival = parse_given(EDITABLE, values, app_.today)
    with app_.store().write() as connection:
        added = add_rival(connection, customer, clean_name, rival, now=app_.now())
    say(_("added rival {id}: {name} ({customer})").format(
        id=added.rival_id, name=added.name, customer=added.customer))  # fmt: skip


@app.command("list")
def list_rivals(
    ctx: typer.Context,
    customer: Annotated[str | None, optional_customer("Only this customer's rivals.")] = None,
    fmt: FormatOption = None,
    labels: LabelsOption = False,
    excel: ExcelOption = False,
) -> None:
    """List the rivals of one customer, or at every customer you see.

    Example: kehu rival list hnkj      kehu rival list --format csv
    """
    from kehu.book.rivals import list_rivals as rivals_of

    app_ = app_context(ctx)
    with app_.store().read() as connection:
        rows = rivals_of(connection, customer)
    keys = SHOWN if chosen_format(fmt) == "table" else None  # data: the stamps too, as an export
    print_records_or_note(rows, RIVAL_FIELDS, fmt, _("no rivals recorded"), labels=labels, excel=excel,
                          keys=keys, priority=PRIORITY)  # fmt: skip


@app.command("edit")
@with_field_options(EDITABLE, PANEL)
def edit(
    ctx: typer.Context,
    customer: CustomerArg,
    rival: RivalArg,
    values: dict,
    new_name: Annotated[str | None, typer.Option("--name", help="Rename the rival.")] = None,
) -> None:
    """Change fields of a rival (an empty value clears a field).

    Example: kehu rival edit hnkj 金蝶 --share 40 --weaknesses "实施慢"
    """
    from kehu.book.rivals import edit_rival

    app_ = app_context(ctx)
    changes = parse_changes(EDITABLE, values, new_name, app_.today)
    with app_.store().write() as connection:
        edited = edit_rival(connection, customer, rival, changes, now=app_.now())
    say(_("updated rival {id}: {name}").format(id=edited.rival_id, name=edited.name))


@app.command("remove")
def remove(ctx: typer.Context, customer: CustomerArg, rival: RivalArg) -> None:
    """Remove a rival recorded by mistake.

    Example: kehu rival remove hnkj 金蝶
    """
    from kehu.book.rivals import remove_rival

    app_ = app_context(ctx)
    with app_.store().write() as connection:
        removed = remove_rival(connection, customer, rival)
    say(_("removed rival {id}: {name} ({customer})").format(
        id=removed.rival_id, name=removed.name, customer=removed.customer))  # fmt: skip


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="rival", help="Competitors at a customer: add, list, edit, remove.")
