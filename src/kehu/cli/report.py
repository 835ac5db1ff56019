"""`kehu report`: the dashboard, and the numbers behind it one report at a time.

Every sub-report prints rows through the common renderers, so `--format csv|json` gives the
numbers behind each table; in a terminal the rows carry a bar (█) scaled to the largest value.
"""

import functools
import inspect
from collections.abc import Callable
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kehu.cli.common import (
    AllOwnersOption,
    FormatOption,
    OwnerOption,
    app_context,
    chosen_format,
    print_records,
    say,
)
from kehu.cli.params import DATE
from kehu.domain.fields import Field
from kehu.domain.vocabulary import CHANNEL, SOURCE
from kehu.i18n import _

if TYPE_CHECKING:
    from kehu.book.report import Scope
    from kehu.store.db import Store

app = typer.Typer(invoke_without_command=True)

FromOption = Annotated[
    date | None, typer.Option("--from", click_type=DATE, help="Start of the period (won, lost, activity).")
]
ToOption = Annotated[
    date | None, typer.Option("--to", click_type=DATE, help="End of the period (default today).")
]
PipelineOption = Annotated[str | None, typer.Option("--pipeline", help="Only customers in this pipeline.")]
BAR_CELLS = 20


def _bar(value, largest, cells: int = BAR_CELLS) -> str:
    if not largest or not value:
        return ""
    return "█" * max(1, round(float(value) / float(largest) * cells))


def _share(value: Fraction | None, fmt: str) -> str:
    if value is None:
        return ""
    return f"{float(value):.1%}" if fmt == "table" else f"{float(value):.4f}"


def _with_bars(rows: list[dict], key: str, fmt: str) -> list[dict]:
    if fmt == "table":
        largest = max((row[key] or 0 for row in rows), default=0)
        for row in rows:
            row["bar"] = _bar(row[key], largest)
    return rows


def _fields(fields: tuple[Field, ...], fmt: str) -> tuple[Field, ...]:
    """The fields and, in a table, the bar; a report whose bar is not the largest value's scale
    names it with a field of its own (key "bar") among `fields`."""
    if fmt != "table" or any(field.key == "bar" for field in fields):
        return fields
    return fields + (Field("bar", "", ""),)


def report_options(*, days: bool = True, pipeline: bool = True) -> Callable:
    """Give a report the options every report shares, read into one book.report.Scope: --from
    and --to (when it covers days), --owner and --all-owners, --pipeline (when it narrows to
    one), and --format last. The report function takes `(store, scope, fmt, **its own options)`."""
    shared = [("start", FromOption, None), ("end", ToOption, None)] if days else []
    shared += [("owner", OwnerOption, None), ("all_owners", AllOwnersOption, False)]
    shared += [("pipeline", PipelineOption, None)] if pipeline else []

    def decorate(func: Callable) -> Callable:
        keyword = inspect.Parameter.KEYWORD_ONLY
        own = [p.replace(kind=keyword) for p in inspect.signature(func).parameters.values()
               if p.name not in ("store", "scope", "fmt")]  # fmt: skip
        parameters = [
            inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context),
            *(
                inspect.Parameter(name, keyword, default=default, annotation=kind)
                for name, kind, default in shared
            ),
            *own,
            inspect.Parameter("fmt", keyword, default=None, annotation=FormatOption),
        ]

        @functools.wraps(func)
        def wrapper(ctx: typer.Context, **options: Any) -> None:
            if ctx.invoked_subcommand is not None:
                return  # the dashboard, the group's own callback: the named sub-report runs instead
            from kehu.book.report import Scope

            app = app_context(ctx)
            # --owner and --all-owners: in team mode the user's own customers by default.
            owner = app.owner_scope(options.pop("owner"), options.pop("all_owners"))
            scope = Scope(today=app.today, end=options.pop("end", None) or app.today,
                          start=options.pop("start", None), owner=owner,
                          pipeline=options.pop("pipeline", None))  # fmt: skip
            func(app.store(), scope, options.pop("fmt"), **options)

        wrapper.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in parameters}
        return wrapper

    return decorate


FUNNEL_FIELDS = (
    Field("stage", "阶段", "stage"), Field("probability", "赢率", "probability"),
    Field("count", "客户数", "customers", "count"), Field("value", "预计金额", "value", "money"),
    Field("weighted", "加权金额", "weighted", "money"), Field("conversion", "转化率", "conversion"),
    Field("median_days", "停留天数(中位)", "median days"), Field("idle", "停滞客户", "idle"),
)  # fmt: skip
# At 80 columns: how many, worth what weighted, and how many go on; the bar goes first.
FUNNEL_PRIORITY = ["stage", "count", "weighted", "conversion", "median_days", "value", "idle", "probability"]


def funnel_rows(funnel, fmt: str) -> list[dict]:
    """book.report.Funnel's stages as rows to print."""
    rows = [
        {"stage": r.label, "probability": f"{float(r.probability):.0%}", "count": r.count, "value": r.value,
         "weighted": r.weighted, "conversion": _share(r.conversion, fmt),
         "median_days": "" if r.median_days is None else f"{r.median_days:g}",
         "idle": "、".join(i.name for i in r.idle[:3]) + (f" +{len(r.idle) - 3}" if len(r.idle) > 3 else "")}
        for r in funnel.stages
    ]  # fmt: skip
    return _with_bars(rows, "weighted", fmt)


GRADE_FIELDS = (
    Field("grade", "等级", "grade"), Field("cadence", "跟进周期(天)", "cadence days", "count"),
    Field("count", "客户数", "customers", "count"), Field("touched", "按时跟进", "on time", "count"),
    Field("share", "按时率", "compliance"),
)  # fmt: skip
# The grades' bar is the on-time rate on a fixed scale, one block per 10% (a full bar is every
# customer on time), not scaled to the largest row as elsewhere: its header says so.
GRADE_BAR = Field("bar", "按时率（█＝10%）", "on time (█ = 10%)")


def grade_rows(compliance, fmt: str) -> list[dict]:
    from kehu.domain.cadence import cadence_days

    rows = [
        {"grade": r.grade or "-", "cadence": cadence_days(r.grade), "count": r.count, "touched": r.touched,
         "share": _share(r.share, fmt)}
        for r in compliance
    ]  # fmt: skip
    if fmt == "table":
        for row, r in zip(rows, compliance, strict=True):
            row["bar"] = _bar(r.share, 1, cells=10) if r.share else ""
    return rows


SOURCE_FIELDS = (
    Field("source", "客户来源", "source"), Field("customers", "客户数", "customers", "count"),
    Field("won", "成交数", "won", "count"), Field("win_rate", "成交率", "win rate"),
    Field("won_value", "成交金额", "won value", "money"),
)  # fmt: skip
REFERRAL_FIELDS = (
    Field("referrer", "介绍人", "referrer"), Field("referred", "介绍客户数", "referred", "count"),
    Field("referred_won", "其中成交", "of them won", "count"),
    Field("referred_won_value", "成交金额", "won value", "money"),
)  # fmt: skip


def source_rows(found, fmt: str) -> tuple[list[dict], list[dict]]:
    """book.report.Sources as the sources' rows and the referrers' rows."""
    rows = [{"source": SOURCE.label(r.source) if r.source else "-", "customers": r.customers, "won": r.won,
             "win_rate": _share(r.win_rate, fmt), "won_value": r.won_value}
            for r in found.sources]  # fmt: skip
    referrers = [{"referrer": r.referrer or f"#{r.referrer_id}", "referred": r.referred,
                  "referred_won": r.referred_won, "referred_won_value": r.referred_won_value}
                 for r in found.referrals]  # fmt: skip
    return _with_bars(rows, "won_value", fmt), referrers


PARETO_FIELDS = (
    Field("rank", "排名", "rank", "count"), Field("customer", "客户", "customer"),
    Field("won_value", "成交金额", "won value", "money"),
)  # fmt: skip


def pareto_rows(result, fmt: str) -> tuple[list[dict], str]:
    rows = [{"rank": n, "customer": c.name, "won_value": c.won_value} for n, c in enumerate(result.top, 1)]
    if result.share is None:
        summary = _("nothing won yet: no concentration to show")
    else:
        text = _("top {top} of {won} won customers bring {share} of the won value ({value} of {total})")
        summary = text.format(
            top=len(result.top), won=result.won_customers, share=f"{float(result.share):.1%}",
            value=f"{result.top_value:.2f}", total=f"{result.total_won_value:.2f}")  # fmt: skip
    return _with_bars(rows, "won_value", fmt), summary


AR_FIELDS = (Field("bucket", "账龄", "age"), Field("outstanding", "未回款", "outstanding", "money"))
AR_CUSTOMER_FIELDS = (
    Field("customer", "客户", "customer"), Field("total", "未回款", "outstanding", "money"),
    Field("oldest_days", "最长逾期(天)", "oldest overdue days", "count"),
    Field("step", "催收方式", "collection step"),
)  # fmt: skip


def ar_rows(table, fmt: str) -> tuple[list[dict], list[dict]]:
    """An aging table as the buckets' rows and the customers' rows."""
    from kehu.domain.aging import BUCKETS, bucket_label

    buckets = [{"bucket": bucket_label(key), "outstanding": table.by_bucket[key]} for key in BUCKETS]
    customers = [{"customer": c.customer, "total": c.total, "oldest_days": c.oldest_days,
                  "step": c.step.label if c.step else ""} for c in table.customers]  # fmt: skip
    return _with_bars(buckets, "outstanding", fmt), customers


ACTIVITY_FIELDS = (
    Field("week", "周(周一)", "week of", "date"), Field("total", "跟进次数", "touches", "count"),
    Field("channels", "方式", "by channel"), Field("owners", "销售员", "by owner"),
)  # fmt: skip


def activity_rows(weeks, fmt: str) -> list[dict]:
    rows = [{"week": r.week, "total": r.total,
             "channels": " ".join(f"{CHANNEL.label(k) if k else '-'}:{n}" for k, n in r.by_channel.items()),
             "owners": " ".join(f"{k or '-'}:{n}" for k, n in r.by_owner.items())}
            for r in weeks]  # fmt: skip
    return _with_bars(rows, "total", fmt)


LOST_FIELDS = (Field("reason", "丢单原因", "reason"), Field("count", "次数", "count", "count"))


def lost_rows(reasons, fmt: str) -> list[dict]:
    from kehu.domain.vocabulary import LOST_REASON

    rows = [{"reason": LOST_REASON.label(r) if r else "-", "count": n} for r, n in reasons]
    return _with_bars(rows, "count", fmt)


def _show(rows: list[dict], fields: tuple[Field, ...], fmt: str | None, title: str, priority=()) -> None:
    fmt = chosen_format(fmt)
    with_bar = any("bar" in row for row in rows)
    shown = _fields(fields, fmt) if with_bar else tuple(field for field in fields if field.key != "bar")
    print_records(rows, shown, fmt, title=title, priority=priority)


@app.callback()
@report_options()
def dashboard(store: "Store", scope: "Scope", fmt: str | None) -> None:
    """One screen: the funnel, money to collect, follow-up compliance, and what was won.

    Sub-reports: funnel, grades, sources, pareto, ar, activity, lost. Example:
    kehu report      kehu report funnel --owner 王磊      kehu report ar --format csv
    """
    from kehu.book import report
    from kehu.domain.values import format_money_for_people

    fmt = chosen_format(fmt)
    board = report.dashboard(store, scope)
    money = format_money_for_people if fmt == "table" else (lambda amount: f"{amount:.2f}")
    summary = [
        {"figure": _("customers"), "value": str(board.customers)},
        {"figure": _("open pipeline (weighted)"), "value": money(board.weighted)},
        {"figure": _("won"), "value": f"{board.won} · {money(board.won_value)}"},
        {"figure": _("lost"), "value": str(board.lost)},
        {"figure": _("to collect"), "value": money(board.outstanding)},
    ]  # fmt: skip
    if fmt != "table":
        print_records(summary, (Field("figure", "指标", "figure"), Field("value", "数值", "value")), fmt)
        return
    _show(summary, (Field("figure", "指标", "figure"), Field("value", "数值", "value")), fmt, _("Dashboard"))
    _show(funnel_rows(board.funnel, fmt), FUNNEL_FIELDS, fmt,
          _("Funnel: {name}").format(name=board.funnel.pipeline), FUNNEL_PRIORITY)  # fmt: skip
    _show(ar_rows(board.aging, fmt)[0], AR_FIELDS, fmt, _("Receivables by age"))
    grades = grade_rows(board.compliance, fmt)
    _show(grades, (*GRADE_FIELDS, GRADE_BAR), fmt, _("Follow-up compliance by grade"))


@app.command("funnel")
@report_options()
def report_funnel(store: "Store", scope: "Scope", fmt: str | None) -> None:
    """Per stage: customers, value, weighted value, conversion to the next, median days, idle ones.

    Example: kehu report funnel --pipeline key-account
    """
    from kehu.book import report

    funnel = report.funnel(store, scope)
    _show(funnel_rows(funnel, chosen_format(fmt)), FUNNEL_FIELDS, fmt,
          _("Funnel: {name}").format(name=funnel.pipeline), FUNNEL_PRIORITY)  # fmt: skip


@app.command("grades")
@report_options(days=False)
def report_grades(store: "Store", scope: "Scope", fmt: str | None) -> None:
    """Customers per grade and the share touched within their cadence.

    Example: kehu report grades --owner 李娜
    """
    from kehu.book import report

    rows = grade_rows(report.grade_compliance(store, scope), chosen_format(fmt))
    _show(rows, (*GRADE_FIELDS, GRADE_BAR), fmt, _("Follow-up compliance by grade"))


@app.command("sources")
@report_options()
def report_sources(store: "Store", scope: "Scope", fmt: str | None) -> None:
    """Customers, won, win rate and won value per source; referrals traced to the referrer.

    Example: kehu report sources --from 2026-01-01
    """
    from kehu.book import report

    rows, referrers = source_rows(report.sources(store, scope), chosen_format(fmt))
    _show(rows, SOURCE_FIELDS, fmt, _("Sources"))
    if referrers and chosen_format(fmt) == "table":  # scripts: kehu report referrals
        _show(referrers, REFERRAL_FIELDS, fmt, _("Referrals (转介绍)"))


@app.command("referrals")
@report_options()
def report_referrals(store: "Store", scope: "Scope", fmt: str | None) -> None:
    """Referrals (转介绍) traced to the referrer: how many customers each brought, and their won value.

    Example: kehu report referrals --format csv
    """
    from kehu.book import report

    _rows, referrers = source_rows(report.sources(store, scope), chosen_format(fmt))
    _show(referrers, REFERRAL_FIELDS, fmt, _("Referrals (转介绍)"))


@app.command("pareto")
@report_options()
def report_pareto(store: "Store", scope: "Scope", fmt: str | None) -> None:
    """The 80/20 rule: the share of won value from the top 20% of won customers, and who they are.

    Example: kehu report pareto
    """
    from kehu.book import report

    rows, summary = pareto_rows(report.pareto(store, scope), chosen_format(fmt))
    say(summary)
    _show(rows, PARETO_FIELDS, fmt, _("Top 20% of won customers"))


@app.command("ar")
@report_options(days=False, pipeline=False)
def report_ar(
    store: "Store",
    scope: "Scope",
    fmt: str | None,
    by_customer: Annotated[bool, typer.Option("--by-customer", help="Only the per-customer table.")] = False,
) -> None:
    """Receivables by age bucket and by customer, with the collection step each age calls for.

    In a script, the buckets (or with --by-customer the customers). Example:
    kehu report ar      kehu report ar --by-customer --format csv
    """
    from kehu.book import report

    aging = report.receivables(store, scope)
    buckets, customers = ar_rows(aging, chosen_format(fmt))
    table = chosen_format(fmt) == "table"
    if table or not by_customer:
        _show(buckets, AR_FIELDS, fmt, _("Receivables by age"))
    if (table and customers) or by_customer:
        _show(customers, AR_CUSTOMER_FIELDS, fmt, _("By customer"))
    say(_("outstanding in all: {total}").format(total=f"{aging.total:.2f}"))


@app.command("activity")
@report_options(pipeline=False)
def report_activity(store: "Store", scope: "Scope", fmt: str | None) -> None:
    """Touches per week, by channel and by owner (default: the last 8 weeks).

    Example: kehu report activity --from 2026-10-01
    """
    from kehu.book import report

    rows = activity_rows(report.activity(store, scope), chosen_format(fmt))
    _show(rows, ACTIVITY_FIELDS, fmt, _("Activity by week"))


@app.command("lost")
@report_options()
def report_lost(store: "Store", scope: "Scope", fmt: str | None) -> None:
    """Why customers were lost, most frequent first.

    Example: kehu report lost --from 2026-07-01
    """
    from kehu.book import report

    rows = lost_rows(report.lost_reasons(store, scope), chosen_format(fmt))
    _show(rows, LOST_FIELDS, fmt, _("Lost reasons"))


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="report", help="Reports: the dashboard and funnel, grades, sources, …")
