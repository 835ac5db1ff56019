"""Monthly targets (销售目标): `kehu target set|list|remove`; `kehu report targets` compares them."""

from typing import Annotated

import typer

from kehu.cli.common import FormatOption, LabelsOption, app_context, print_records_or_note, say
from kehu.domain.targets import TARGET_FIELDS
from kehu.i18n import _

app = typer.Typer(no_args_is_help=True)

MonthArg = Annotated[str, typer.Argument(metavar="MONTH", help="The month: 2027-01, or a day in it.")]
OwnerOption = Annotated[
    str | None, typer.Option("--owner", help="One seller's target (default: the whole book's).")
]


@app.command("set")
def set_target(
    ctx: typer.Context,
    month: MonthArg,
    amount: Annotated[str | None, typer.Option("--amount", "-a", help="Amount to sign: 3M, 300k …")] = None,
    collect: Annotated[str | None, typer.Option("--collect", help="Money to collect (payments).")] = None,
    new_customers: Annotated[
        str | None, typer.Option("--new-customers", help="New customers to add.")
    ] = None,
    touches_per_day: Annotated[
        str | None, typer.Option("--touches-per-day", help="Touches a working day: 5, 4.5 …")
    ] = None,  # fmt: skip
    owner: OwnerOption = None,
) -> None:
    """Set a month's targets, for the whole book or one seller; setting them again replaces them.

    Example: kehu target set 2027-01 --amount 300万 --collect 200万 --new-customers 10 --touches-per-day 5
    """
    from kehu.book import targets

    app_ = app_context(ctx)
    figures = {"amount": amount, "collect_amount": collect, "new_customers": new_customers,
               "touches_per_day": touches_per_day}  # fmt: skip
    written = targets.set_target(app_.store(), month, figures, today=app_.today, now=app_.now(), owner=owner)
    whose = written.owner or _("the book")
    message = (
        _("replaced the target of {month} ({whose})")
        if written.replaced
        else _("set the target of {month} ({whose})")
    )
    say(message.format(month=written.month, whose=whose))


@app.command("list")
def list_targets(
    ctx: typer.Context, owner: OwnerOption = None, fmt: FormatOption = None, labels: LabelsOption = False
) -> None:
    """List the monthly targets, by month, the book's first (with --owner: one seller's and the book's).

    Example: kehu target list      kehu target list --format csv
    """
    from kehu.book import targets

    app_ = app_context(ctx)
    # A seller asking for a colleague's would see only the book's: refused, as `kehu list --owner`.
    owner = app_.owner_scope(owner, all_owners=False) if owner is not None else None
    found = targets.targets(app_.store(), owner)
    priority = ("month", "owner", "amount", "collect_amount", "new_customers")
    print_records_or_note(found, TARGET_FIELDS, fmt, _("no targets"), labels=labels, priority=priority)


@app.command("remove")
def remove(ctx: typer.Context, month: MonthArg, owner: OwnerOption = None) -> None:
    """Remove a month's targets (the whole book's, or one seller's with --owner).

    Example: kehu target remove 2027-01      kehu target remove 2027-01 --owner 王磊
    """
    from kehu.book import targets

    app_ = app_context(ctx)
    removed = targets.remove_target(app_.store(), month, today=app_.today, owner=owner)
    say(
        _("removed the target of {month} ({whose})").format(
            month=removed.month, whose=removed.owner or _("the book")
        )
    )


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="target", help="Monthly targets: set, list, remove (kehu report targets).")
