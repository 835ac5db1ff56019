"""Collecting money (催款): `kehu collect` records an action and its promise, `kehu collections`
lists them."""

from datetime import date
from typing import Annotated

import typer

from kehu.cli.common import (
    ExcelOption,
    FormatOption,
    LabelsOption,
    app_context,
    chosen_format,
    print_records_or_note,
    say,
)
from kehu.cli.params import DATE, CustomerArg, optional_customer, typed_date
from kehu.domain.fields import COLLECTION_FIELDS
from kehu.i18n import _

# At 80 columns: whom, when, how, what came of it and the promise first; the stamps go first.
PRIORITY = ("customer", "happened_on", "method", "result", "promised_on", "promised_amount", "promise_status",
            "document", "paid_since", "contract", "id")  # fmt: skip
SHOWN = [f.key for f in COLLECTION_FIELDS if f.key not in ("created_at", "updated_at")]


def collect(
    ctx: typer.Context,
    customer: CustomerArg,
    method: Annotated[
        str, typer.Argument(help="phone, finance (an overdue notice), visit or legal (a collection letter).")
    ],
    result: Annotated[
        str, typer.Option("--result", "-r", help="What came of it: agreed, refused, a deadline …")
    ],
    promise: Annotated[
        tuple[str, str] | None,
        typer.Option(
            "--promise",
            "-p",
            help="The customer promised to pay AMOUNT by WHEN: --promise eom 500k.",
            metavar="WHEN AMOUNT",
        ),
    ] = None,  # fmt: skip
    contract: Annotated[
        str | None, typer.Option("--contract", "-c", help="The contract's number or id.")
    ] = None,
    document: Annotated[
        str | None,
        typer.Option(
            "--document",
            help="The document sent, if not the method's (finance: the overdue notice, legal: the collection "
            "letter).",
        ),
    ] = None,  # fmt: skip
    on: Annotated[date | None, typer.Option("--on", click_type=DATE, help="When (default today).")] = None,
) -> None:
    """Record a collection action with a customer, and any promise to pay it got.

    The method's document goes with it (finance: the overdue notice, legal: the collection
    letter); the action is also a touch, as kehu log records one. A promise comes back in kehu
    followups on its day, and as broken after it until the money is paid.
    Example: kehu collect hnkj 上门 --result "同意月底前付50%" --promise 月底 50万
    """
    from kehu.book.collections import collect as record

    app = app_context(ctx)
    promised_on = promised_amount = None
    if promise is not None:
        promised_on, promised_amount = typed_date("--promise", promise[0], app.today), promise[1]
    done = record(app.store(), customer, method, result, today=app.today, now=app.now(),
                  shift=app.due_shift(), happened_on=on, contract=contract, document=document,
                  promised_on=promised_on, promised_amount=promised_amount)  # fmt: skip
    from kehu.domain.collection import STEP
    from kehu.domain.vocabulary import COLLECTION_DOCUMENT

    text = _("collection {id} for {name}: {method}").format(id=done.action_id, name=done.customer,
                                                            method=STEP.label(done.method))  # fmt: skip
    if done.document:
        text += _(", send the {document}").format(document=COLLECTION_DOCUMENT.label(done.document))
    say(text)
    if done.promised_on is not None:
        say(_("promise of {amount} by {day}: kehu followups brings it back that day").format(
            amount=f"{done.promised_amount:.2f}", day=done.promised_on.isoformat()))  # fmt: skip


def collections(
    ctx: typer.Context,
    customer: Annotated[str | None, optional_customer("Only this customer's collection actions.")] = None,
    fmt: FormatOption = None,
    labels: LabelsOption = False,
    excel: ExcelOption = False,
) -> None:
    """List the collection actions of one customer, or of every customer you see, with each
    promise's status (open, kept once the money came, broken once its day passed without).

    Example: kehu collections hnkj      kehu collections --format csv
    """
    from kehu.book.collections import list_collections

    app = app_context(ctx)
    with app.store().read() as connection:
        rows = list_collections(connection, customer, app.today)
    keys = SHOWN if chosen_format(fmt) == "table" else None
    print_records_or_note(rows, COLLECTION_FIELDS, fmt, _("no collection actions recorded"), labels=labels,
                          excel=excel, keys=keys, priority=PRIORITY)  # fmt: skip


def register(root: typer.Typer) -> None:
    root.command("collect")(collect)
    root.command("collections")(collections)
