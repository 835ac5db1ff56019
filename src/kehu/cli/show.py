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
    """Show a whole customer card: follow-up, money, visits, latest touches, stage, contacts.

    --format json gives all of it as one object; csv/tsv give the card's fields (jsonl: the card,
    then its contacts).

    Example: kehu show hzkj
    """
    from kehu.book.card_view import show as card_before_a_call
    from kehu.domain.fields import CONTACT_FIELDS

    app = app_context(ctx)
    fmt = chosen_format(fmt)
    with app.store().read() as connection:
        view = card_before_a_call(connection, customer, app.today)
    if fmt == "table":
        from kehu.render.card import print_card

        print_card(view)
    elif fmt == "json":
        from kehu.render.card import card_json

        typer.echo(card_json(view, labels=labels))
    else:
        print_records([view.card], CUSTOMER_FIELDS, fmt, labels=labels)
        if view.contacts and fmt == "jsonl":
            print_records(view.contacts, CONTACT_FIELDS, fmt, labels=labels)


def register(app: typer.Typer) -> None:
    app.command("show")(show)
