"""Contracts and money (合同, 回款): `kehu contract add|list`, `kehu pay`."""

from datetime import date
from typing import Annotated

import typer

from kehu.cli.common import FormatOption, app_context, print_records_or_note, say
from kehu.cli.params import DATE, CustomerArg
from kehu.domain.fields import Field
from kehu.errors import Conflict, KehuError, UsageError
from kehu.i18n import _

app = typer.Typer(no_args_is_help=True)

CONTRACT_FIELDS = (
    Field("id", "编号", "id", "id"), Field("customer", "客户", "customer"),
    Field("number", "合同号", "number"),
    Field("signed_on", "签订日期", "signed", "date"), Field("due_on", "到期日", "due", "date"),
    Field("amount", "合同金额", "amount", "money"), Field("paid", "已回款", "paid", "money"),
    Field("outstanding", "未回款", "outstanding", "money"), Field("bucket", "账龄", "age"),
    Field("step", "催收方式", "collection step"),
)  # fmt: skip


def _money(option: str, text: str):
    from kehu.domain.values import parse_money

    try:
        value = parse_money(text)
    except ValueError as error:
        raise UsageError(f"{option}: {error}") from None
    if value <= 0:
        raise UsageError(_("{option}: must be more than zero").format(option=option))
    return value


@app.command("add")
def add_contract(
    ctx: typer.Context,
    customer: CustomerArg,
    amount: Annotated[str, typer.Option("--amount", "-a", help="Contract amount: 118万, 1,180,000.00 …")],
    signed: Annotated[
        date | None, typer.Option("--signed", click_type=DATE, help="Signing date (default today): 11-20 …")
    ] = None,  # fmt: skip
    due: Annotated[date | None, typer.Option("--due", click_type=DATE, help="When the money is due.")] = None,
    terms: Annotated[
        str | None, typer.Option("--terms", help="Payment terms instead of --due: 30天, net 45, 货到付款.")
    ] = None,  # fmt: skip
    number: Annotated[str | None, typer.Option("--number", "-n", help="Contract number.")] = None,
) -> None:
    """Record a signed contract; its money is then tracked until fully paid.

    Example: kehu contract add hnkj --amount 118万 --signed 今天 --terms 30天 --number HN-2026-018
    """
    from datetime import timedelta

    from kehu.domain.aging import parse_terms
    from kehu.store import contracts
    from kehu.store.lookup import resolve_customer

    app_ = app_context(ctx)
    value = _money("--amount", amount)
    signed_on = signed or app_.today
    if (due is None) == (terms is None):
        raise UsageError(_("give either --due or --terms"))
    terms_days = None
    if terms is not None:
        try:
            terms_days = parse_terms(terms)
        except ValueError as error:
            raise UsageError(f"--terms: {error}") from None
        due_on = signed_on + timedelta(days=terms_days)
    else:
        due_on = due
    if due_on < signed_on:
        raise UsageError(_("--due is before the signing date"))
    with app_.store().write() as connection:
        card = resolve_customer(connection, customer)
        if number and contracts.number_taken(connection, number):
            raise Conflict(_("contract number {number} is already used").format(number=number))
        contract_id = contracts.add_contract(connection, {
            "customer_id": card["id"], "number": number, "amount": value, "currency": card["currency"],
            "signed_on": signed_on, "due_on": due_on, "terms_days": terms_days, "created_at": app_.now(),
        })  # fmt: skip
    say(_("contract {id} for {name}: {amount} due {due}").format(
        id=contract_id, name=card["name"], amount=f"{value:.2f}", due=due_on.isoformat()))  # fmt: skip


@app.command("list")
def list_contracts(
    ctx: typer.Context,
    customer: Annotated[str | None, typer.Argument(help="Only this customer's contracts.")] = None,
    open_only: Annotated[bool, typer.Option("--open", help="Only those with money outstanding.")] = False,
    fmt: FormatOption = None,
) -> None:
    """Contracts with paid and outstanding amounts, age and the collection step due.

    Example: kehu contract list --open
    """
    from kehu.domain.aging import bucket, bucket_label, collection_step, days_overdue
    from kehu.store import contracts
    from kehu.store.lookup import resolve_customer

    app_ = app_context(ctx)
    with app_.store().read() as connection:
        customer_id = (
            resolve_customer(connection, customer, include_archived=True)["id"] if customer else None
        )
        rows = contracts.contracts(connection, customer_id, open_only=open_only)
    for row in rows:
        if row["outstanding"] > 0:
            step = collection_step(days_overdue(row["due_on"], app_.today))
            row["bucket"] = bucket_label(bucket(row["due_on"], app_.today))
            row["step"] = step.label if step else ""
    print_records_or_note(rows, CONTRACT_FIELDS, fmt, _("no contracts"))


def pay(
    ctx: typer.Context,
    customer: CustomerArg,
    amount: Annotated[str, typer.Argument(help="The amount received: 50万, 300000.00 …")],
    when: Annotated[
        date | None, typer.Option("--date", "-d", click_type=DATE, help="When it came in (default today).")
    ] = None,  # fmt: skip
    contract: Annotated[
        int | None, typer.Option("--contract", "-c", help="Contract id (default: the oldest due first).")
    ] = None,  # fmt: skip
) -> None:
    """Record money received (回款); without --contract it pays the oldest due contracts first.

    When the last contract is fully paid, 回收账款 (collecting payment) is done. Example:
    kehu pay hnkj 50万 --date 昨天
    """
    from kehu.domain.aging import allocate_payment
    from kehu.store import contracts, funnel
    from kehu.store.lookup import resolve_customer

    app_ = app_context(ctx)
    value = _money("amount", amount)
    paid_on = when or app_.today
    with app_.store().write() as connection:
        card = resolve_customer(connection, customer, include_archived=True)
        contracts.lock_for_payment(connection, card["id"])
        open_ = contracts.contracts(connection, card["id"], open_only=True)
        if contract is not None:
            open_ = [c for c in open_ if c["id"] == contract]
        if not open_:
            raise KehuError(_("{name} has no contract with money outstanding").format(name=card["name"]))
        try:
            parts = allocate_payment([(c["id"], c["outstanding"], c["due_on"]) for c in open_], value)
        except ValueError as error:
            raise KehuError(str(error)) from None
        contracts.add_payments(connection, card["id"], parts, paid_on, app_.now())
        remaining = sum((c["outstanding"] for c in contracts.contracts(connection, card["id"])), start=0)
        if remaining == 0:
            state = funnel.funnel_state(connection, card["id"])
            funnel.move(connection, card["id"], pipeline=state["pipeline"], from_stage=state["stage"],
                        to_stage=state["stage"], event="collected", on=paid_on, evidence=None,
                        now=app_.now())  # fmt: skip
    say(_("{amount} received from {name}; outstanding {remaining}").format(
        amount=f"{value:.2f}", name=card["name"], remaining=f"{remaining:.2f}"))  # fmt: skip
    if remaining == 0:
        say(_("all money collected: 回收账款 is done"))


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="contract", help="Contracts (合同): add, list.")
    root.command("pay")(pay)
