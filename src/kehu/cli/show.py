"""`kehu show`: the card before a call."""

import typer

from kehu.cli.common import FormatOption, LabelsOption, app_context, chosen_format, print_records
from kehu.cli.params import CustomerArg
from kehu.domain.fields import CUSTOMER_FIELDS


def show(
    ctx: typer.Context,
    customer: CustomerArg,
    fmt: FormatOption = None,
    labels: LabelsOption = False,
) -> None:
    """Show a whole customer card with its contacts.

    Example: kehu show hzkj
    """
    from kehu.book.card_view import card_view
    from kehu.domain.fields import CONTACT_FIELDS

    app = app_context(ctx)
    fmt = chosen_format(fmt)
    with app.store().read() as connection:
        card, contacts, funnel = card_view(connection, customer)
    if fmt == "table":
        from kehu.render.card import print_card

        print_card(card, contacts, funnel)
    elif fmt == "json":
        from kehu.render.card import card_json

        typer.echo(card_json(card, contacts, funnel, labels=labels))
    else:
        print_records([card], CUSTOMER_FIELDS, fmt, labels=labels)
        if contacts and fmt == "jsonl":
            print_records(contacts, CONTACT_FIELDS, fmt, labels=labels)


def register(app: typer.Typer) -> None:
    app.command("show")(show)
