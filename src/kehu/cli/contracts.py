"""Contracts and money (合同, 回款): `kehu contract add|list`, `kehu pay`."""

from datetime import date
from typing import Annotated

import typer

from kehu.cli.common import FormatOption, LabelsOption, app_context, print_records_or_note, say
from kehu.cli.params import DATE, CustomerArg, optional_customer
from kehu.domain.aging import BUCKET, COLLECTION_STEP
from kehu.domain.fields import Field
from kehu.i18n import _

app = typer.Typer(no_args_is_help=True)

CONTRACT_FIELDS = (
    Field("id", "编号", "id", "id"), Field("customer", "客户", "customer"),
    Field("number", "合同号", "number"),
    Field("signed_on", "签订日期", "signed", "date"), Field("due_on", "到期日", "due", "date"),
    Field("amount", "合同金额", "amount", "money"), Field("paid", "已回款", "paid", "money"),
    Field("outstanding", "未回款", "outstanding", "money"), Field("bucket", "账龄", "age", "choice", BUCKET),
    Field("step", "催收方式", "collection step", "choice", COLLECTION_STEP),
)  # fmt: skip
# At 80 columns the money stays: whose contract, how much, paid, outstanding, when due.
CONTRACT_PRIORITY = ["customer", "amount", "outstanding", "paid", "due_on", "step", "number", "bucket", "id"]


@app.command("add")
def add_contract(
    ctx: typer.Context,
    customer: CustomerArg,
    amount: Annotated[str, typer.Option("--amount", "-a", help="Contract amount: 1.18M, 1,180,000.00 …")],
    signed: Annotated[
        date | None, typer.Option("--signed", click_type=DATE, help="Signing date (default today): 11-20 …")
    ] = None,  # fmt: skip
    due: Annotated[date | None, typer.Option("--due", click_type=DATE, help="When the money is due.")] = None,
    terms: Annotated[
        str | None,
        typer.Option("--terms", help="Payment terms instead of --due: net 30, net 45, cash on delivery."),
    ] = None,  # fmt: skip
    number: Annotated[str | None, typer.Option("--number", "-n", help="Contract number.")] = None,
) -> None:
    """Record a signed contract; its money is then tracked until fully paid.

    Example: kehu contract add hnkj --amount 118万 --signed 今天 --terms 30天 --number HN-2026-018
    """
    from kehu.book import contracts

    app_ = app_context(ctx)
    added = contracts.add_contract(app_.store(), customer, amount, today=app_.today,
                                   now=app_.now(), signed_on=signed, due_on=due, terms=terms,
                                   number=number)  # fmt: skip
    say(_("contract {id} for {name}: {amount} due {due}").format(
        id=added.contract_id, name=added.customer, amount=f"{added.amount:.2f}",
        due=added.due_on.isoformat()))  # fmt: skip
    if added.early:
        stage, signing = added.early
        say(_("{name} is still at {stage}, before {signing}; if the deal is signed, mark it won: "
              "kehu won {customer}").format(name=added.customer, stage=stage, signing=signing,
                                            customer=_shell_word(added.customer)))  # fmt: skip


def _shell_word(text: str) -> str:
    """`text` as one word of a command to copy: quoted only when the shell would split it (a
    Chinese name stays as typed)."""
    import shlex

    if text and not any(c.isspace() or c in "'\"\\$`;&|<>()*?[]#~!{}" for c in text):
        return text
    return shlex.quote(text)


@app.command("list")
def list_contracts(
    ctx: typer.Context,
    customer: Annotated[str | None, optional_customer("Only this customer's contracts.")] = None,
    open_only: Annotated[bool, typer.Option("--open", help="Only those with money outstanding.")] = False,
    fmt: FormatOption = None,
    labels: LabelsOption = False,
) -> None:
    """Contracts with paid and outstanding amounts, age and the collection step due.

    CSV and JSON give the age and the step as stable keys (90+, legal); --labels gives words.
    Example: kehu contract list --open
    """
    from kehu.book import contracts

    app_ = app_context(ctx)
    rows = contracts.contract_list(app_.store(), customer, today=app_.today, open_only=open_only)
    print_records_or_note(rows, CONTRACT_FIELDS, fmt, _("no contracts"), priority=CONTRACT_PRIORITY,
                          labels=labels)  # fmt: skip


def pay(
    ctx: typer.Context,
    customer: CustomerArg,
    amount: Annotated[str, typer.Argument(help="The amount received: 500k, 300000.00 …")],
    when: Annotated[
        date | None, typer.Option("--date", "-d", click_type=DATE, help="When it came in (default today).")
    ] = None,  # fmt: skip
    contract: Annotated[
        int | None, typer.Option("--contract", "-c", help="Contract id (default: the oldest due first).")
    ] = None,  # fmt: skip
) -> None:
    """Record money received; without --contract it pays the oldest due contracts first.

    When the last contract is fully paid, the collecting-payment stage is done. Example:
    kehu pay hnkj 500k --date yesterday
    """
    from kehu.book import contracts

    app_ = app_context(ctx)
    paid = contracts.pay(app_.store(), customer, amount, today=app_.today, now=app_.now(),
                         paid_on=when, contract_id=contract)  # fmt: skip
    say(_("{amount} received from {name}; outstanding {remaining}").format(
        amount=f"{paid.amount:.2f}", name=paid.customer, remaining=f"{paid.outstanding:.2f}"))  # fmt: skip
    if paid.collected:
        say(_("all money collected: the collecting-payment stage is done"))


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="contract", help="Contracts: add, list.")
    root.command("pay")(pay)
