"""Contracts and money (合同, 回款): `kehu contract add|list|show`, `kehu pay`, `kehu deliver`,
`kehu accept`."""

from datetime import date
from typing import Annotated

import typer

from kehu.cli.common import FormatOption, LabelsOption, app_context, print_records_or_note, say
from kehu.cli.params import DATE, CustomerArg, optional_customer
from kehu.domain.aging import BUCKET, COLLECTION_STEP
from kehu.domain.fields import Field
from kehu.domain.schedule import INSTALMENT_FIELDS, INSTALMENT_PRIORITY
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
ContractArg = Annotated[
    str, typer.Argument(help="The contract's number or id, or a customer with one open contract.")
]


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
    schedule: Annotated[
        str | None,
        typer.Option("--schedule", help="Payment schedule instead of --due/--terms: "
                     "\"30% on signing, 60% 30 days after acceptance, 10% a year after acceptance\"."),
    ] = None,  # fmt: skip
    instalment: Annotated[
        list[str] | None,
        typer.Option("--instalment", "-i", help="One instalment, repeated: an amount or percentage and when "
                     "(\"30% signing\", \"500k 10 days after delivery\", \"20% 2027-03-31\")."),
    ] = None,  # fmt: skip
) -> None:
    """Record a signed contract; its money is then tracked until fully paid.

    Paid at once (--due or --terms) or in instalments (--schedule, or --instalment repeated):
    each due on a day, or tied to signing, delivery or acceptance with an offset; those tied to
    delivery or acceptance get their day from kehu deliver and kehu accept. Percentages add up to
    100% (the last instalment takes the rounding's fen), amounts to the contract's amount.
    Example: kehu contract add hnkj --amount 118万 --signed 今天 --terms 30天 --number HN-2026-018
    Example: kehu contract add hnkj --amount 100万 --schedule "30% 签约, 60% 验收后30天, 10% 质保1年"
    """
    from kehu.book import contracts

    app_ = app_context(ctx)
    added = contracts.add_contract(app_.store(), customer, amount, today=app_.today,
                                   now=app_.now(), signed_on=signed, due_on=due, terms=terms,
                                   number=number, schedule=schedule, instalments=instalment)  # fmt: skip
    if len(added.instalments) > 1:
        say(_("contract {id} for {name}: {amount} in {count} instalments").format(
            id=added.contract_id, name=added.customer, amount=f"{added.amount:.2f}",
            count=len(added.instalments)))  # fmt: skip
        for part in added.instalments:
            due = part.due_on.isoformat() if part.due_on else _("when it happens")
            say(f"  {part.seq}. {part.amount:.2f} {part.label} ({due})")
    else:
        say(_("contract {id} for {name}: {amount} due {due}").format(
            id=added.contract_id, name=added.customer, amount=f"{added.amount:.2f}",
            due=added.due_on.isoformat()))  # fmt: skip
    for warning in added.warnings:  # over the credit limit: said, the contract stands
        say(warning)
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
    instalments: Annotated[
        bool, typer.Option("--instalments", help="One row per instalment: amount, due, paid, outstanding.")
    ] = False,  # fmt: skip
    fmt: FormatOption = None,
    labels: LabelsOption = False,
) -> None:
    """Contracts with paid and outstanding amounts, age and the collection step due.

    A contract in instalments is due when its oldest open instalment is; --instalments lists
    each. CSV and JSON give the age and the step as stable keys (90+, legal); --labels gives words.
    Example: kehu contract list --open
    Example: kehu contract list hnkj --instalments
    """
    from kehu.book import contracts

    app_ = app_context(ctx)
    if instalments:
        parts = contracts.instalment_list(app_.store(), customer, today=app_.today, open_only=open_only)
        print_records_or_note(parts, INSTALMENT_FIELDS, fmt, _("no contracts"), priority=INSTALMENT_PRIORITY,
                              labels=labels)  # fmt: skip
        return
    rows = contracts.contract_list(app_.store(), customer, today=app_.today, open_only=open_only)
    print_records_or_note(rows, CONTRACT_FIELDS, fmt, _("no contracts"), priority=CONTRACT_PRIORITY,
                          labels=labels)  # fmt: skip


@app.command("show")
def show_contract(
    ctx: typer.Context,
    contract: ContractArg,
    fmt: FormatOption = None,
    labels: LabelsOption = False,
) -> None:
    """A contract's instalments: when each is due, what was paid, what is outstanding.

    Example: kehu contract show HN-2026-018
    """
    from kehu.book import contracts

    app_ = app_context(ctx)
    parts = contracts.instalment_list(app_.store(), today=app_.today, contract=contract)
    print_records_or_note(parts, INSTALMENT_FIELDS, fmt, _("no contracts"), priority=INSTALMENT_PRIORITY,
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

    When the last contract is fully paid, the collecting-payment stage is done and a won customer
    moves on to after-sale care. Example:
    kehu pay hnkj 500k --date yesterday
    """
    from kehu.book import contracts

    app_ = app_context(ctx)
    paid = contracts.pay(app_.store(), customer, amount, today=app_.today, now=app_.now(),
                         paid_on=when, contract_id=contract)  # fmt: skip
    say(_("{amount} received from {name}; outstanding {remaining}").format(
        amount=f"{paid.amount:.2f}", name=paid.customer, remaining=f"{paid.outstanding:.2f}"))  # fmt: skip
    if paid.moved_to is not None:
        say(_("all money collected: {name} moves on to {stage}").format(name=paid.customer,
                                                                        stage=paid.moved_to.label))
    elif paid.collected:
        say(_("all money collected: the collecting-payment stage is done"))


def deliver(
    ctx: typer.Context,
    contract: ContractArg,
    when: Annotated[
        date | None,
        typer.Option("--date", "-d", click_type=DATE, help="When it was delivered (default today)."),
    ] = None,  # fmt: skip
    note: Annotated[str | None, typer.Option("--note", help="What was delivered, how.")] = None,
) -> None:
    """Record a contract's delivery; the instalments due after delivery get their due dates.

    Example: kehu deliver HN-2026-018 --date 昨天 --note "first batch, 20 units"
    """
    from kehu.book import contracts

    app_ = app_context(ctx)
    done = contracts.record_event(app_.store(), contract, "delivery", today=app_.today, day=when, note=note)
    _say_event(done)


def accept(
    ctx: typer.Context,
    contract: ContractArg,
    when: Annotated[
        date | None,
        typer.Option("--date", "-d", click_type=DATE, help="When it was accepted (default today)."),
    ] = None,  # fmt: skip
) -> None:
    """Record a contract's acceptance; the instalments due after acceptance get their due dates.

    Accepted without a recorded delivery, the contract counts as delivered the same day.
    Example: kehu accept HN-2026-018 --date 2027-03-01
    """
    from kehu.book import contracts

    app_ = app_context(ctx)
    _say_event(contracts.record_event(app_.store(), contract, "acceptance", today=app_.today, day=when))


def _say_event(done: object) -> None:
    from kehu.book.contracts import Event

    assert isinstance(done, Event)
    name = done.number or f"#{done.contract_id}"
    if done.event == "delivery":
        say(_("contract {contract} of {name} delivered on {day}").format(
            contract=name, name=done.customer, day=done.day.isoformat()))  # fmt: skip
    else:
        say(_("contract {contract} of {name} accepted on {day}").format(
            contract=name, name=done.customer, day=done.day.isoformat()))  # fmt: skip
    if done.delivery_assumed:
        say(_("no delivery was recorded: taken as delivered the same day"))
    for seq, amount, due_on in done.dated:
        say(_("instalment {seq}: {amount} due {due}").format(seq=seq, amount=f"{amount:.2f}",
                                                             due=due_on.isoformat()))  # fmt: skip


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="contract", help="Contracts: add, list, show.")
    root.command("pay")(pay)
    root.command("deliver")(deliver)
    root.command("accept")(accept)
