"""Credit before the sale (信用审查): `kehu credit CUSTOMER [--figures]`, `kehu credit list`."""

from datetime import date
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from kehu.cli.common import FormatOption, LabelsOption, app_context, chosen_format, print_records_or_note, say
from kehu.cli.params import DATE, CustomerArg, complete_words, optional_customer
from kehu.domain.credit import CREDIT_CHECK_FIELDS, MEASURE, PAYMENT_HISTORY, VERDICT
from kehu.domain.fields import Field
from kehu.i18n import _


class CreditGroup(TyperGroup):
    """`kehu credit CUSTOMER …` is `kehu credit check CUSTOMER …`: the everyday form stays short."""

    def parse_args(self, ctx, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = ["check", *args]
        return super().parse_args(ctx, args)

    def shell_complete(self, ctx, incomplete: str) -> list:
        from kehu.cli.params import CustomerType

        offered = super().shell_complete(ctx, incomplete)
        if incomplete.startswith("-"):
            return offered
        return offered + CustomerType().shell_complete(ctx, self.commands["check"].params[0], incomplete)


app = typer.Typer(cls=CreditGroup, no_args_is_help=True)

RESULT_FIELD = Field("result", "结果", "result", "choice", VERDICT, ("总评",), editable=False)
LIST_FIELDS = (*CREDIT_CHECK_FIELDS, RESULT_FIELD)
# At 80 columns: whose check, when, the limit and the result; then the figures.
LIST_PRIORITY = ("customer", "checked_on", "result", "credit_limit", "payment_history", "id",
                 "registered_capital", "years_in_business", "collection_days")  # fmt: skip
JUDGED_FIELDS = (
    Field("measure", "项目", "measure", "choice", MEASURE),
    Field("value", "数值", "value"),
    Field("pass_if", "通过", "pass if"),
    Field("fail_if", "不通过", "fail if"),
    Field("result", "结果", "result", "choice", VERDICT),
)
JUDGED_PRIORITY = ("measure", "value", "result", "pass_if", "fail_if")


def _option(name: str, help_text: str, **extra: Any) -> Any:
    return Annotated[str | None, typer.Option(name, help=help_text, show_default=False, **extra)]


@app.command("check")
def check(
    ctx: typer.Context,
    customer: CustomerArg,
    capital: _option(
        "--capital", "Registered capital, an amount (20M …); passes at 5,000,000, fails under 1,000,000."
    ) = None,
    years: _option("--years", "Years in business; passes at 5, fails under 2.") = None,
    history: _option(
        "--history",
        "How it has paid us: good, slow, bad, none (no record yet: to watch).",
        autocompletion=complete_words(PAYMENT_HISTORY),
    ) = None,
    collection_days: _option(
        "--collection-days", "Days it takes to pay us; passes within 60, fails over 90."
    ) = None,
    limit: _option("--limit", "The credit limit: a contract taking what it owes over it warns.") = None,
    current_asset_ratio: _option(
        "--current-asset-ratio",
        "Current-asset ratio, current assets against current "
        "liabilities in percent; passes at 200, fails under 100.",
    ) = None,
    net_margin: _option(
        "--net-margin", "Net margin in percent (a loss is negative); passes at 5, fails under 0."
    ) = None,
    roa: _option("--roa", "Return on assets in percent; passes at 5, fails under 0.") = None,
    inventory_days: _option("--inventory-days", "Inventory days; passes within 90, fails over 180.") = None,
    receivable_days: _option(
        "--receivable-days", "Its own receivable days; passes within 90, fails over 180."
    ) = None,
    notes: _option("--notes", "Notes: where the figures come from.") = None,
    on: Annotated[
        date | None, typer.Option("--on", click_type=DATE, help="The day of the check (default today).")
    ] = None,  # fmt: skip
    fmt: FormatOption = None,
    labels: LabelsOption = False,
) -> None:
    """Record a credit check of a customer, or with no figures show its latest and the judgement.

    Each figure is judged pass, watch or fail against its threshold; the check as a whole by its
    worst figure. The seeds name what to check (seed 000, 001) but give no figures: the thresholds
    in the options' help are kehu's own, cautious defaults. A book sets its own in the config
    file, a table per figure (credit.net_margin with pass = 8 and watch = 3, see the README);
    kehu info shows the file and the thresholds in effect. Examples:
    kehu credit hnkj --capital 2000万 --years 12 --history good --limit 150万 --net-margin 6.5
    kehu credit hnkj
    """
    from kehu.book import credit

    app_ = app_context(ctx)
    given = {
        "registered_capital": capital,
        "years_in_business": years,
        "payment_history": history,
        "collection_days": collection_days,
        "credit_limit": limit,
        "current_asset_ratio": current_asset_ratio,
        "net_margin": net_margin,
        "return_on_assets": roa,
        "inventory_days": inventory_days,
        "receivable_days": receivable_days,
    }
    figures = {key: value for key, value in given.items() if value is not None}
    if figures or notes is not None or on is not None:
        written = credit.record_check(app_.store(), customer, figures, today=app_.today, now=app_.now(),
                                      checked_on=on, notes=notes)  # fmt: skip
        say(_("credit check {id} of {name} on {day}: {result}").format(
            id=written.check_id, name=written.customer, day=written.checked_on.isoformat(),
            result=VERDICT.label(written.result)))  # fmt: skip
        return
    standing = credit.standing(app_.store(), customer)
    if standing.check is None:
        print_records_or_note([], JUDGED_FIELDS, fmt, _("{name} has no credit check yet").format(
            name=standing.customer), labels=labels)  # fmt: skip
        return
    print_judgement(standing, fmt, labels)


def print_judgement(standing: Any, fmt: str | None, labels: bool) -> None:
    """A latest check's figures against their thresholds, titled with the day and the limit."""
    from kehu.cli.common import print_records

    check = standing.check
    table = chosen_format(fmt) == "table"
    rows = [
        {
            "measure": j.measure,
            "value": _value(j.measure, j.value, table),
            "pass_if": _threshold(j.measure, j.pass_if, table),
            "fail_if": _threshold(j.measure, j.fail_if, table),
            "result": j.result,
        }
        for j in standing.judged
    ]
    title = _("{name}: credit checked {day}, limit {limit}").format(
        name=standing.customer, day=check["checked_on"].isoformat(),
        limit=_money(check["credit_limit"], table) or "-")  # fmt: skip
    print_records(rows, JUDGED_FIELDS, fmt, labels=labels, title=title, priority=JUDGED_PRIORITY)
    if table and check["notes"]:
        say(check["notes"])


def _money(value: Any, table: bool) -> str:
    from kehu.domain.values import format_money, format_money_for_people

    return (format_money_for_people if table else format_money)(value)


def _value(measure: str, value: Any, table: bool) -> str | None:
    """A figure as a table shows it (1,000,000.00; 12.50%; good in words) or as data (plain)."""
    from kehu.domain.credit import THRESHOLDS

    if value is None:
        return "" if table else None
    if measure == "payment_history":
        return PAYMENT_HISTORY.label(value) if table else value
    if not table:
        return str(value)
    kind = THRESHOLDS[measure].kind
    return _money(value, True) if kind == "money" else f"{value}%" if kind == "percent" else str(value)


def _threshold(measure: str, text: str, table: bool) -> str:
    """A threshold as data writes it (>= 5000000, good) or a table (>= 5,000,000; >= 5%; 良好)."""
    from decimal import Decimal

    from kehu.domain.credit import THRESHOLDS

    if not table or not text:
        return text
    if measure == "payment_history":
        return PAYMENT_HISTORY.label(text)
    operator, number = text.split(" ")
    kind = THRESHOLDS[measure].kind
    shown = f"{Decimal(number):,}" if kind == "money" else f"{number}%" if kind == "percent" else number
    return f"{operator} {shown}"


@app.command("list")
def list_checks(
    ctx: typer.Context,
    customer: Annotated[str | None, optional_customer("Only this customer's checks.")] = None,
    fmt: FormatOption = None,
    labels: LabelsOption = False,
) -> None:
    """List credit checks, of one customer or of all, the latest first, each with its result.

    Example: kehu credit list hnkj      kehu credit list --format csv
    """
    from kehu.book import credit

    found = credit.checks(app_context(ctx).store(), customer)
    print_records_or_note(
        found, LIST_FIELDS, fmt, _("no credit checks"), priority=LIST_PRIORITY, labels=labels
    )


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="credit", help="Credit before the sale: record a check and judge it, list.")
