"""Proposals and quotes (建议书, 报价): `kehu proposal|quote add|list|edit|status|remove`."""

from datetime import date
from typing import Annotated

import typer

from kehu.cli.common import (
    FormatOption,
    LabelsOption,
    app_context,
    chosen_format,
    print_records_or_note,
    say,
)
from kehu.cli.params import DATE, CustomerArg, complete_words, optional_customer
from kehu.domain.fields import PROPOSAL_FIELDS, QUOTE_FIELDS, QUOTE_SHOWN_FIELDS
from kehu.domain.values import format_money_for_people
from kehu.domain.vocabulary import OFFER_STATUS
from kehu.i18n import _

proposal_app = typer.Typer(no_args_is_help=True)
quote_app = typer.Typer(no_args_is_help=True)

# At 80 columns: whose, which proposal and version, how much, where it stands; then the rest.
PROPOSAL_PRIORITY = ("customer", "title", "version", "amount", "status", "sent_on", "id", "file", "notes")
QUOTE_PRIORITY = (
    "customer",
    "amount",
    "status",
    "valid_until",
    "version",
    "id",
    "discount",
    "sent_on",
    "notes",
)

AmountOption = Annotated[str | None, typer.Option("--amount", "-a", help="Amount: 1.18M, 300k, 1,180,000 …")]
SentOption = Annotated[
    date | None, typer.Option("--sent", click_type=DATE, help="When it was sent (sets the status sent).")
]
StatusOption = Annotated[
    str | None,
    typer.Option("--status", help="{field:proposal.status}.", autocompletion=complete_words(OFFER_STATUS)),
]
NotesOption = Annotated[str | None, typer.Option("--notes", help="Notes.")]
StatusArg = Annotated[
    str, typer.Argument(help="{field:proposal.status}.", autocompletion=complete_words(OFFER_STATUS))
]
LatestOption = Annotated[bool, typer.Option("--latest", help="Only the latest version (of each title).")]
KeepValueOption = Annotated[
    bool, typer.Option("--keep-value", help="Leave the customer's expected value as it is.")
]


# --- proposals ---------------------------------------------------------------------------------

ProposalId = Annotated[int, typer.Argument(metavar="ID", help="The proposal's id (kehu proposal list).")]
TitleOption = Annotated[
    str | None,
    typer.Option("--title", "-t", help="Its title; the same title again is its next version (default: "
                 "the customer's latest proposal's, else \"建议书\")."),
]  # fmt: skip
FileOption = Annotated[
    str | None, typer.Option("--file", help="The proposal's file (kept as its full path).")
]


@proposal_app.command("add")
def add_proposal(
    ctx: typer.Context,
    customer: CustomerArg,
    title: TitleOption = None,
    amount: AmountOption = None,
    sent: SentOption = None,
    file: FileOption = None,
    status: StatusOption = None,
    notes: NotesOption = None,
) -> None:
    """Add a proposal, or the next version of one with the same title.

    Example: kehu proposal add hzkj --title 仓储方案 --amount 120万 --sent 今天 --file 方案v2.pdf
    """
    from kehu.book import offers

    app_ = app_context(ctx)
    added = offers.add_proposal(app_.store(), customer, today=app_.today, now=app_.now(), title=title,
                                amount=amount, sent_on=sent, file=file, status=status,
                                notes=notes)  # fmt: skip
    say(_("added proposal {id} of {name}: {title} v{version} ({status})").format(
        id=added.offer_id, name=added.customer, title=added.title, version=added.version,
        status=OFFER_STATUS.label(added.status)))  # fmt: skip


@proposal_app.command("list")
def list_proposals(
    ctx: typer.Context,
    customer: Annotated[str | None, optional_customer("Only this customer's proposals.")] = None,
    status: StatusOption = None,
    latest: LatestOption = False,
    fmt: FormatOption = None,
    labels: LabelsOption = False,
) -> None:
    """List proposals: per customer the latest version of each title first, then the earlier ones.

    Example: kehu proposal list hzkj      kehu proposal list --latest --format csv
    """
    from kehu.book import offers

    app_ = app_context(ctx)
    found = offers.offers(app_.store(), "proposal", customer, today=app_.today, status=status, latest=latest)
    print_records_or_note(found, PROPOSAL_FIELDS, fmt, _("no proposals"), priority=PROPOSAL_PRIORITY,
                          labels=labels)  # fmt: skip


@proposal_app.command("edit")
def edit_proposal(
    ctx: typer.Context,
    proposal_id: ProposalId,
    title: Annotated[str | None, typer.Option("--title", "-t", help="Its title (the version stays).")] = None,
    amount: AmountOption = None,
    sent: Annotated[date | None, typer.Option("--sent", click_type=DATE, help="When it was sent.")] = None,
    file: FileOption = None,
    status: StatusOption = None,
    notes: NotesOption = None,
) -> None:
    """Change a proposal (an empty value clears --amount, --file or --notes).

    Example: kehu proposal edit 4 --amount 115万 --notes "去掉二期"
    """
    from kehu.book import offers

    app_ = app_context(ctx)
    given = {
        "title": title,
        "amount": amount,
        "sent_on": sent,
        "file": file,
        "status": status,
        "notes": notes,
    }
    changes = {key: value for key, value in given.items() if value is not None}
    edited = offers.edit_offer(
        app_.store(), "proposal", proposal_id, changes, today=app_.today, now=app_.now()
    )
    say(_("updated proposal {id} of {name}").format(id=proposal_id, name=edited.customer))


@proposal_app.command("status")
def proposal_status(ctx: typer.Context, proposal_id: ProposalId, status: StatusArg) -> None:
    """Mark a proposal draft, sent, accepted or rejected (sent without a day: sent today).

    Example: kehu proposal status 4 已接受
    """
    _set_status(ctx, "proposal", proposal_id, status)


@proposal_app.command("remove")
def remove_proposal(ctx: typer.Context, proposal_id: ProposalId) -> None:
    """Remove a proposal added by mistake.

    Example: kehu proposal remove 4
    """
    from kehu.book import offers

    removed = offers.remove_offer(app_context(ctx).store(), "proposal", proposal_id)
    say(_("removed proposal {id} of {name}").format(id=proposal_id, name=removed.customer))


# --- quotes ------------------------------------------------------------------------------------

QuoteId = Annotated[int, typer.Argument(metavar="ID", help="The quote's id (kehu quote list).")]
DiscountOption = Annotated[
    str | None, typer.Option("--discount", help="Percent off the list price: 10, 15% …")
]
ValidOption = Annotated[
    date | None, typer.Option("--valid-until", click_type=DATE, help="The last day the price holds.")
]


@quote_app.command("add")
def add_quote(
    ctx: typer.Context,
    customer: CustomerArg,
    amount: Annotated[str, typer.Option("--amount", "-a", help="The price quoted: 1.18M, 1,180,000 …")],
    valid_until: ValidOption = None,
    discount: DiscountOption = None,
    sent: SentOption = None,
    status: StatusOption = None,
    keep_value: KeepValueOption = False,
    notes: NotesOption = None,
) -> None:
    """Add a quote, the customer's next version; its amount becomes the expected value.

    Example: kehu quote add hzkj --amount 118万 --valid-until 12月31日 --discount 5 --sent 今天
    """
    from kehu.book import offers

    app_ = app_context(ctx)
    added = offers.add_quote(app_.store(), customer, amount, today=app_.today, now=app_.now(),
                             valid_until=valid_until, discount=discount, sent_on=sent, status=status,
                             notes=notes, keep_value=keep_value)  # fmt: skip
    say(_("added quote {id} of {name}: v{version} ({status})").format(
        id=added.offer_id, name=added.customer, version=added.version,
        status=OFFER_STATUS.label(added.status)))  # fmt: skip
    _say_value(added)


def _say_value(written) -> None:
    """What happened to the customer's expected value (预计成交额)."""
    if written.moved is not None:
        moved = written.moved
        if moved.old == moved.new:
            say(_("expected value of {name} stays {amount} (the latest quote)").format(
                name=moved.customer, amount=format_money_for_people(moved.new)))  # fmt: skip
        else:
            say(_("expected value of {name}: {old} → {new} (the latest quote; --keep-value keeps it)").format(
                name=moved.customer, old=format_money_for_people(moved.old) or "-",
                new=format_money_for_people(moved.new)))  # fmt: skip
    elif written.kept is not None:
        say(_("expected value of {name} kept as it was (--keep-value)").format(name=written.customer))


@quote_app.command("list")
def list_quotes(
    ctx: typer.Context,
    customer: Annotated[str | None, optional_customer("Only this customer's quotes.")] = None,
    status: StatusOption = None,
    latest: LatestOption = False,
    fmt: FormatOption = None,
    labels: LabelsOption = False,
) -> None:
    """List quotes, each customer's latest version first; a table shows a draft or sent quote past
    its valid-until day as expired (CSV and JSON keep its status and the day).

    Example: kehu quote list hzkj      kehu quote list --latest --format json
    """
    from kehu.book import offers

    app_ = app_context(ctx)
    found = offers.offers(app_.store(), "quote", customer, today=app_.today, status=status, latest=latest)
    fields = QUOTE_FIELDS
    if chosen_format(fmt) == "table":
        fields = QUOTE_SHOWN_FIELDS
        found = [{**row, "status": "expired"} if row["expired"] else row for row in found]
    print_records_or_note(found, fields, fmt, _("no quotes"), priority=QUOTE_PRIORITY, labels=labels)


@quote_app.command("edit")
def edit_quote(
    ctx: typer.Context,
    quote_id: QuoteId,
    amount: AmountOption = None,
    valid_until: ValidOption = None,
    discount: DiscountOption = None,
    sent: Annotated[date | None, typer.Option("--sent", click_type=DATE, help="When it was sent.")] = None,
    status: StatusOption = None,
    keep_value: KeepValueOption = False,
    notes: NotesOption = None,
) -> None:
    """Change a quote (an empty value clears --discount or --notes); a new amount of the latest
    quote becomes the expected value unless --keep-value.

    Example: kehu quote edit 5 --amount 112万 --valid-until 1月15日
    """
    from kehu.book import offers

    app_ = app_context(ctx)
    given = {"amount": amount, "discount": discount, "valid_until": valid_until, "sent_on": sent,
             "status": status, "notes": notes}  # fmt: skip
    changes = {key: value for key, value in given.items() if value is not None}
    edited = offers.edit_offer(app_.store(), "quote", quote_id, changes, today=app_.today, now=app_.now(),
                               keep_value=keep_value)  # fmt: skip
    say(_("updated quote {id} of {name}").format(id=quote_id, name=edited.customer))
    _say_value(edited)


@quote_app.command("status")
def quote_status(ctx: typer.Context, quote_id: QuoteId, status: StatusArg) -> None:
    """Mark a quote draft, sent, accepted or rejected (sent without a day: sent today).

    Example: kehu quote status 5 accepted
    """
    _set_status(ctx, "quote", quote_id, status)


@quote_app.command("remove")
def remove_quote(ctx: typer.Context, quote_id: QuoteId) -> None:
    """Remove a quote added by mistake (the expected value stays as it is).

    Example: kehu quote remove 5
    """
    from kehu.book import offers

    removed = offers.remove_offer(app_context(ctx).store(), "quote", quote_id)
    say(_("removed quote {id} of {name}").format(id=quote_id, name=removed.customer))


def _set_status(ctx: typer.Context, table: str, offer_id: int, status: str) -> None:
    from kehu.book import offers

    app_ = app_context(ctx)
    changed = offers.set_status(app_.store(), table, offer_id, status, today=app_.today, now=app_.now())
    what = (
        _("proposal {id} of {name}: {status}") if table == "proposal" else _("quote {id} of {name}: {status}")
    )
    say(what.format(id=offer_id, name=changed.customer, status=OFFER_STATUS.label(changed.status)))


def register(root: typer.Typer) -> None:
    root.add_typer(
        proposal_app, name="proposal", help="Proposals in versions: add, list, edit, status, remove."
    )
    root.add_typer(quote_app, name="quote", help="Quotes in versions: add, list, edit, status, remove.")
