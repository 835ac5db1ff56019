"""`kehu report`: the dashboard, and the numbers behind it one report at a time.

Every sub-report prints rows through the common renderers, so `--format csv|json` gives the
numbers behind each table; in a terminal the rows carry a bar (█) scaled to the largest value.
Data is the same in every interface language: stable English keys and codes (a stage's key, a
source's code, an age bucket), one value a field, shares and medians as numbers, money as exact
decimal strings; `--labels` asks for headers and codes in the user's words, as a table shows them.
"""

import functools
import inspect
from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kehu.cli.common import (
    AllOwnersOption,
    FormatOption,
    LabelsOption,
    OwnerOption,
    app_context,
    chosen_format,
    print_records,
    say,
)
from kehu.cli.params import DATE
from kehu.domain.aging import BUCKET, COLLECTION_STEP
from kehu.domain.fields import Field
from kehu.domain.targets import MEASURE as TARGET_MEASURE
from kehu.domain.vocabulary import CHANNEL, COLLECTION_DOCUMENT, LOST_REASON, SEVERITY, SOURCE
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


def _share(value: Fraction | None, fmt: str) -> str | Decimal | None:
    """A share as a table shows it (18.8%), or for data a number 0..1 to four places (0.1875)."""
    if value is None:
        return "" if fmt == "table" else None
    if fmt == "table":
        return f"{float(value):.1%}"
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


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
    one), and --format and --labels last. The report function takes `(store, scope, fmt,
    labels, **its own options)`."""
    shared = [("start", FromOption, None), ("end", ToOption, None)] if days else []
    shared += [("owner", OwnerOption, None), ("all_owners", AllOwnersOption, False)]
    shared += [("pipeline", PipelineOption, None)] if pipeline else []

    def decorate(func: Callable) -> Callable:
        keyword = inspect.Parameter.KEYWORD_ONLY
        own = [p.replace(kind=keyword) for p in inspect.signature(func).parameters.values()
               if p.name not in ("store", "scope", "fmt", "labels")]  # fmt: skip
        parameters = [
            inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context),
            *(
                inspect.Parameter(name, keyword, default=default, annotation=kind)
                for name, kind, default in shared
            ),
            *own,
            inspect.Parameter("fmt", keyword, default=None, annotation=FormatOption),
            inspect.Parameter("labels", keyword, default=False, annotation=LabelsOption),
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
            fmt = chosen_format(options.pop("fmt"))
            func(app.store(), scope, fmt, options.pop("labels"), **options)

        wrapper.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in parameters}
        return wrapper

    return decorate


FUNNEL_FIELDS = (
    Field("stage", "阶段", "stage"), Field("probability", "赢率", "probability", "number"),
    Field("count", "客户数", "customers", "count"), Field("value", "预计金额", "value", "money"),
    Field("weighted", "加权金额", "weighted", "money"), Field("conversion", "转化率", "conversion", "number"),
    Field("median_days", "停留天数（中位）", "median days", "number"),
    Field("idle", "停滞客户数", "idle customers", "count"), Field("idle_customers", "停滞客户", "idle"),
)  # fmt: skip
# A table names the idle customers (the first three); data also counts them.
FUNNEL_TABLE_FIELDS = tuple(field for field in FUNNEL_FIELDS if field.key != "idle")
# At 80 columns: how many, worth what weighted, and how many go on; the bar goes first.
FUNNEL_PRIORITY = ["stage", "count", "weighted", "conversion", "median_days", "value", "idle_customers",
                   "probability"]  # fmt: skip


def _number(value: float | int | None) -> float | int | None:
    """A median as data: a whole number of days as an int (25, not 25.0)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def funnel_rows(funnel, fmt: str, human: bool = False) -> list[dict]:
    """book.report.Funnel's stages as rows to print: for a table (or `human`, --labels) each
    stage by its name, for data by its key."""
    table = fmt == "table"
    rows = []
    for r in funnel.stages:
        names = [i.name for i in r.idle]
        shown = "、".join(names[:3]) + (f" +{len(names) - 3}" if len(names) > 3 else "")
        rows.append({
            "stage": r.label if human or table else r.key,
            "probability": f"{float(r.probability):.0%}" if table else r.probability,
            "count": r.count, "value": r.value, "weighted": r.weighted,
            "conversion": _share(r.conversion, fmt),
            "median_days": ("" if r.median_days is None else f"{r.median_days:g}") if table
            else _number(r.median_days),
            "idle": len(names), "idle_customers": shown if table else "; ".join(names),
        })  # fmt: skip
    return _with_bars(rows, "weighted", fmt)


GRADE_FIELDS = (
    Field("grade", "等级", "grade"), Field("cadence", "跟进周期(天)", "cadence days", "count"),
    Field("count", "客户数", "customers", "count"), Field("touched", "按时跟进", "on time", "count"),
    Field("share", "按时率", "compliance", "number"),
)  # fmt: skip
# The grades' bar is the on-time rate on a fixed scale, one block per 10% (a full bar is every
# customer on time), not scaled to the largest row as elsewhere: its header says so.
GRADE_BAR = Field("bar", "按时率（█＝10%）", "on time (█ = 10%)")


def grade_rows(compliance, fmt: str) -> list[dict]:
    from kehu.domain.cadence import cadence_days

    table = fmt == "table"
    rows = [
        {"grade": r.grade or ("-" if table else None), "cadence": cadence_days(r.grade), "count": r.count,
         "touched": r.touched, "share": _share(r.share, fmt)}
        for r in compliance
    ]  # fmt: skip
    if table:
        for row, r in zip(rows, compliance, strict=True):
            row["bar"] = _bar(r.share, 1, cells=10) if r.share else ""
    return rows


SOURCE_FIELDS = (
    Field("source", "客户来源", "source", "choice", SOURCE),
    Field("customers", "客户数", "customers", "count"),
    Field("won", "成交数", "won", "count"), Field("win_rate", "成交率", "win rate", "number"),
    Field("won_value", "成交金额", "won value", "money"),
)  # fmt: skip
REFERRAL_FIELDS = (
    Field("referrer", "介绍人", "referrer"), Field("referred", "介绍客户数", "referred", "count"),
    Field("referred_won", "其中成交", "of them won", "count"),
    Field("referred_won_value", "成交金额", "won value", "money"),
    Field("referrer_id", "介绍人编号", "referrer id", "id"),
)  # fmt: skip


def source_rows(found, fmt: str) -> tuple[list[dict], list[dict]]:
    """book.report.Sources as the sources' rows (source codes) and the referrers' rows."""
    table = fmt == "table"
    rows = [{"source": r.source or ("-" if table else None), "customers": r.customers, "won": r.won,
             "win_rate": _share(r.win_rate, fmt), "won_value": r.won_value}
            for r in found.sources]  # fmt: skip
    referrers = [{"referrer": r.referrer or (f"#{r.referrer_id}" if table else None), "referred": r.referred,
                  "referred_won": r.referred_won, "referred_won_value": r.referred_won_value,
                  "referrer_id": r.referrer_id}
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


AR_FIELDS = (
    Field("bucket", "账龄", "age", "choice", BUCKET), Field("outstanding", "未回款", "outstanding", "money"),
)  # fmt: skip
AR_CUSTOMER_FIELDS = (
    Field("customer", "客户", "customer"), Field("total", "未回款", "outstanding", "money"),
    Field("oldest_days", "最长逾期(天)", "oldest overdue days", "count"),
    Field("step", "催收方式", "collection step", "choice", COLLECTION_STEP),
    Field("document", "催收文书", "document to send", "choice", COLLECTION_DOCUMENT),
)  # fmt: skip


def ar_bucket_rows(table, fmt: str) -> list[dict]:
    """An aging table's buckets as rows (bucket keys), with their bars in a table."""
    from kehu.domain.aging import BUCKETS

    return _with_bars(
        [{"bucket": key, "outstanding": table.by_bucket[key]} for key in BUCKETS], "outstanding", fmt
    )


def ar_rows(table, fmt: str) -> tuple[list[dict], list[dict]]:
    """An aging table as the buckets' rows and the customers' rows (bucket, step and document
    keys): the step by the book's collection ladder, for the amount overdue at its age."""
    from kehu.book.collections import ladder

    steps = {c.customer_id: c.step_by(ladder()) for c in table.customers}
    customers = [{"customer": c.customer, "total": c.total, "oldest_days": c.oldest_days,
                  "step": steps[c.customer_id].key if steps[c.customer_id] else None,
                  "document": steps[c.customer_id].document if steps[c.customer_id] else None}
                 for c in table.customers]  # fmt: skip
    return ar_bucket_rows(table, fmt), customers


ACTIVITY_FIELDS = (
    Field("week", "周(周一)", "week of", "date"), Field("total", "跟进次数", "touches", "count"),
    Field("channels", "方式", "by channel"), Field("owners", "销售员", "by owner"),
)  # fmt: skip
ACTIVITY_OWNER_FIELDS = (
    Field("week", "周(周一)", "week of", "date"), Field("owner", "销售员", "owner"),
    Field("touches", "跟进次数", "touches", "count"),
)  # fmt: skip
NO_CHANNEL = Field("no_channel", "未填方式", "no channel", "count")


def activity_rows(weeks, fmt: str) -> list[dict]:
    """Touches per week. A table packs the channels and owners into a line each; data has one
    column per channel code (every channel of the list, then any other code met), no packing."""
    if fmt == "table":
        rows = [{"week": r.week, "total": r.total,
                 "channels": " ".join(f"{CHANNEL.label(k) if k else '-'}:{n}"
                                      for k, n in r.by_channel.items()),
                 "owners": " ".join(f"{k or '-'}:{n}" for k, n in r.by_owner.items())}
                for r in weeks]  # fmt: skip
        return _with_bars(rows, "total", fmt)
    channels = [field.key for field in activity_fields(weeks)[2:]]
    return [{"week": r.week, "total": r.total, **dict.fromkeys(channels, 0),
             **{k or NO_CHANNEL.key: n for k, n in r.by_channel.items()}}
            for r in weeks]  # fmt: skip


def activity_fields(weeks) -> tuple[Field, ...]:
    """The data's columns: the week, the total and a count per channel (code as key)."""
    known = {choice.code for choice in CHANNEL.choices}
    others = sorted({k for r in weeks for k in r.by_channel if k is not None and k not in known})
    fields = [Field(c.code, c.zh, c.en, "count") for c in CHANNEL.choices]
    fields += [Field(code, code, code, "count") for code in others]
    if any(None in r.by_channel for r in weeks):
        fields.append(NO_CHANNEL)
    return (*ACTIVITY_FIELDS[:2], *fields)


def activity_owner_rows(weeks) -> list[dict]:
    """Touches per week and owner, one row each (owners with touches that week)."""
    return [{"week": r.week, "owner": owner, "touches": n} for r in weeks for owner, n in r.by_owner.items()]


LOST_FIELDS = (
    Field("reason", "丢单原因", "reason", "choice", LOST_REASON), Field("count", "次数", "count", "count"),
)  # fmt: skip


def lost_rows(reasons, fmt: str) -> list[dict]:
    rows = [{"reason": r or ("-" if fmt == "table" else None), "count": n} for r, n in reasons]
    return _with_bars(rows, "count", fmt)


def _show(
    rows: list[dict], fields: tuple[Field, ...], fmt: str, title: str, priority=(), labels=False
) -> None:
    with_bar = any("bar" in row for row in rows)
    shown = _fields(fields, fmt) if with_bar else tuple(field for field in fields if field.key != "bar")
    print_records(rows, shown, fmt, title=title, priority=priority, labels=labels)


DASHBOARD_FIELDS = (
    Field("customers", "客户数", "customers", "count"),
    Field("open_weighted", "在谈机会（加权）", "open pipeline (weighted)", "money"),
    Field("won", "成交数", "won", "count"), Field("won_value", "成交金额", "won value", "money"),
    Field("repeat_value", "重复采购金额", "repeat business", "money"),
    Field("lost", "丢单数", "lost", "count"), Field("outstanding", "待回款", "to collect", "money"),
)  # fmt: skip


@app.callback()
@report_options()
def dashboard(store: "Store", scope: "Scope", fmt: str, labels: bool) -> None:
    """One screen: the funnel, money to collect, follow-up compliance, and what was won.

    In a script, one record of the figures. Sub-reports: funnel, grades, sources, pareto, ar,
    activity, lost, rivals, complaints, repeat. Example:
    kehu report      kehu report funnel --owner 王磊      kehu report ar --format csv
    """
    from kehu.book import report
    from kehu.domain.values import format_money_for_people

    board = report.dashboard(store, scope)
    if fmt != "table":
        figures = {
            "customers": board.customers,
            "open_weighted": board.weighted,
            "won": board.won,
            "won_value": board.won_value,
            "repeat_value": board.repeat_value,
            "lost": board.lost,
            "outstanding": board.outstanding,
        }
        print_records([figures], DASHBOARD_FIELDS, fmt, labels=labels)  # fmt: skip
        return
    money = format_money_for_people
    summary = [
        {"figure": _("customers"), "value": str(board.customers)},
        {"figure": _("open pipeline (weighted)"), "value": money(board.weighted)},
        {"figure": _("won"), "value": f"{board.won} · {money(board.won_value)}"},
        {"figure": _("repeat business"), "value": money(board.repeat_value)},
        {"figure": _("lost"), "value": str(board.lost)},
        {"figure": _("to collect"), "value": money(board.outstanding)},
    ]  # fmt: skip
    _show(summary, (Field("figure", "指标", "figure"), Field("value", "数值", "value")), fmt, _("Dashboard"))
    _show(funnel_rows(board.funnel, fmt), FUNNEL_TABLE_FIELDS, fmt,
          _("Funnel: {name}").format(name=board.funnel.pipeline), FUNNEL_PRIORITY)  # fmt: skip
    # The buckets only: the customers' collection steps are not on the dashboard.
    _show(ar_bucket_rows(board.aging, fmt), AR_FIELDS, fmt, _("Receivables by age"))
    grades = grade_rows(board.compliance, fmt)
    _show(grades, (*GRADE_FIELDS, GRADE_BAR), fmt, _("Follow-up compliance by grade"))


@app.command("funnel")
@report_options()
def report_funnel(store: "Store", scope: "Scope", fmt: str, labels: bool) -> None:
    """Per stage: customers, value, weighted value, conversion to the next, median days, idle ones.

    Example: kehu report funnel --pipeline key-account
    """
    from kehu.book import report

    funnel = report.funnel(store, scope)
    fields = FUNNEL_TABLE_FIELDS if fmt == "table" else FUNNEL_FIELDS
    _show(funnel_rows(funnel, fmt, labels), fields, fmt, _("Funnel: {name}").format(name=funnel.pipeline),
          FUNNEL_PRIORITY, labels)  # fmt: skip


@app.command("grades")
@report_options(days=False)
def report_grades(store: "Store", scope: "Scope", fmt: str, labels: bool) -> None:
    """Customers per grade and the share touched within their cadence.

    Example: kehu report grades --owner 李娜
    """
    from kehu.book import report

    rows = grade_rows(report.grade_compliance(store, scope), fmt)
    _show(rows, (*GRADE_FIELDS, GRADE_BAR), fmt, _("Follow-up compliance by grade"), labels=labels)


@app.command("sources")
@report_options()
def report_sources(store: "Store", scope: "Scope", fmt: str, labels: bool) -> None:
    """Customers, won, win rate and won value per source; referrals traced to the referrer.

    Example: kehu report sources --from 2026-01-01
    """
    from kehu.book import report

    rows, referrers = source_rows(report.sources(store, scope), fmt)
    _show(rows, SOURCE_FIELDS, fmt, _("Sources"), labels=labels)
    if referrers and fmt == "table":  # scripts: kehu report referrals
        _show(referrers, REFERRAL_FIELDS, fmt, _("Referrals"))


@app.command("referrals")
@report_options()
def report_referrals(store: "Store", scope: "Scope", fmt: str, labels: bool) -> None:
    """Referrals traced to the referrer: how many customers each brought, and their won value.

    Example: kehu report referrals --format csv
    """
    from kehu.book import report

    _rows, referrers = source_rows(report.sources(store, scope), fmt)
    _show(referrers, REFERRAL_FIELDS, fmt, _("Referrals"), labels=labels)


@app.command("pareto")
@report_options()
def report_pareto(store: "Store", scope: "Scope", fmt: str, labels: bool) -> None:
    """The 80/20 rule: the share of won value from the top 20% of won customers, and who they are.

    Example: kehu report pareto
    """
    from kehu.book import report

    rows, summary = pareto_rows(report.pareto(store, scope), fmt)
    say(summary)
    _show(rows, PARETO_FIELDS, fmt, _("Top 20% of won customers"), labels=labels)


@app.command("ar")
@report_options(days=False, pipeline=False)
def report_ar(
    store: "Store",
    scope: "Scope",
    fmt: str,
    labels: bool,
    by_customer: Annotated[bool, typer.Option("--by-customer", help="Only the per-customer table.")] = False,
) -> None:
    """Receivables by age bucket and by customer, with the collection step each age calls for.

    In a script, the buckets (or with --by-customer the customers), by key: not_due, 1-30,
    31-60, 61-90, 90+; steps phone, notice, visit, legal. Example:
    kehu report ar      kehu report ar --by-customer --format csv
    """
    from kehu.book import report

    aging = report.receivables(store, scope)
    buckets, customers = ar_rows(aging, fmt)
    table = fmt == "table"
    if table or not by_customer:
        _show(buckets, AR_FIELDS, fmt, _("Receivables by age"), labels=labels)
    if (table and customers) or by_customer:
        _show(customers, AR_CUSTOMER_FIELDS, fmt, _("By customer"), labels=labels)
    say(_("outstanding in all: {total}").format(total=f"{aging.total:.2f}"))


@app.command("activity")
@report_options(pipeline=False)
def report_activity(
    store: "Store",
    scope: "Scope",
    fmt: str,
    labels: bool,
    by_owner: Annotated[
        bool,
        typer.Option("--by-owner", help="Touches per week and owner, a row each, instead of by channel."),
    ] = False,  # fmt: skip
) -> None:
    """Touches per week, by channel and by owner (default: the last 8 weeks).

    In a script, a row per week with a column per channel (phone, visit, …), or with
    --by-owner a row per week and owner. Example: kehu report activity --from 2026-10-01
    """
    from kehu.book import report

    weeks = report.activity(store, scope)
    if by_owner:
        _show(activity_owner_rows(weeks), ACTIVITY_OWNER_FIELDS, fmt, _("Activity by week"), labels=labels)
    elif fmt == "table":
        _show(activity_rows(weeks, fmt), ACTIVITY_FIELDS, fmt, _("Activity by week"))
    else:
        _show(activity_rows(weeks, fmt), activity_fields(weeks), fmt, _("Activity by week"), labels=labels)


@app.command("lost")
@report_options()
def report_lost(
    store: "Store",
    scope: "Scope",
    fmt: str,
    labels: bool,
    by_rival: Annotated[
        bool, typer.Option("--by-rival", help="Only the rivals the customers were lost to (kehu lost --to).")
    ] = False,  # fmt: skip
) -> None:
    """Why customers were lost, most frequent first, and to which rival.

    In a script, the reasons by code (or with --by-rival the rivals, empty: lost to no rival
    named). Example: kehu report lost --from 2026-07-01      kehu report lost --by-rival -f csv
    """
    from kehu.book import report

    found = report.lost(store, scope)
    table = fmt == "table"
    if table or not by_rival:
        _show(lost_rows(found.reasons, fmt), LOST_FIELDS, fmt, _("Lost reasons"), labels=labels)
    if (table and found.rivals) or by_rival:
        _show(lost_rival_rows(found.rivals, fmt), LOST_RIVAL_FIELDS, fmt, _("Lost to"), labels=labels)


LOST_RIVAL_FIELDS = (
    Field("rival", "竞争对手", "rival"), Field("count", "次数", "count", "count"),
)  # fmt: skip


def lost_rival_rows(rivals, fmt: str) -> list[dict]:
    rows = [{"rival": r or ("-" if fmt == "table" else None), "count": n} for r, n in rivals]
    return _with_bars(rows, "count", fmt)


RIVAL_FIELDS = (
    Field("rival", "竞争对手", "rival"),
    Field("customers", "出现客户数", "customers", "count"),
    Field("open", "在谈客户数", "open", "count"),
    Field("they_won", "对手赢单", "they won", "count"),
    Field("we_won", "我方赢单", "we won", "count"),
    Field("open_value", "在谈金额", "open value", "money"),
)  # fmt: skip


@app.command("rivals")
@report_options()
def report_rivals(store: "Store", scope: "Scope", fmt: str, labels: bool) -> None:
    """Per rival (the same name at every customer): where present, how many of those are open and
    worth what, how many they won from us and we won against them.

    Won and lost count within the days (--from, --to); presence and open value are as of now.
    Example: kehu report rivals      kehu report rivals --owner 王磊 --format csv
    """
    from kehu.book import report

    rows = [{"rival": r.rival, "customers": r.customers, "open": r.open, "they_won": r.they_won,
             "we_won": r.we_won, "open_value": r.open_value}
            for r in report.rivals(store, scope)]  # fmt: skip
    _show(_with_bars(rows, "open_value", fmt), RIVAL_FIELDS, fmt, _("Rivals"), labels=labels,
          priority=("rival", "customers", "they_won", "we_won", "open_value", "open"))  # fmt: skip


COMPLAINT_REPORT_FIELDS = (
    Field("severity", "严重程度", "severity", "choice", SEVERITY),
    Field("raised", "投诉数", "raised", "count"), Field("resolved", "已解决", "resolved", "count"),
    Field("open", "待处理", "still open", "count"),
    Field("average_days", "平均解决天数", "average days to resolve", "number"),
)  # fmt: skip
COMPLAINT_CUSTOMER_FIELDS = (
    Field("customer", "客户", "customer"), Field("open", "待处理", "open", "count"),
    Field("resolved", "已解决", "resolved", "count"), Field("customer_id", "客户编号", "customer id", "id"),
)  # fmt: skip


def complaint_rows(found, fmt: str, human: bool = False) -> list[dict]:
    """Per severity (its code in data) and the total row (code "total"; in a table or with
    --labels, the word): raised, resolved, open, average days to resolve (a number in data)."""
    from kehu.domain.reports import TOTAL

    table = fmt == "table"
    rows = []
    for r in found.severities:
        severity = r.severity or ("-" if table else None)
        if r.severity == TOTAL and (table or human):
            severity = _("total")
        average = ("" if r.average_days is None else str(r.average_days)) if table else r.average_days
        rows.append({"severity": severity, "raised": r.raised, "resolved": r.resolved, "open": r.open,
                     "average_days": average})  # fmt: skip
    return rows


@app.command("complaints")
@report_options()
def report_complaints(
    store: "Store",
    scope: "Scope",
    fmt: str,
    labels: bool,
    by_customer: Annotated[
        bool, typer.Option("--by-customer", help="Per customer: complaints open and resolved.")
    ] = False,  # fmt: skip
) -> None:
    """Complaints raised within the days, per severity and in all: how many were resolved by the
    end of the days, how many are still open, and the average days to resolve one.

    In a script, the severities by code (low, medium, high, critical; empty: none said) and a
    last row "total"; with --by-customer a row per customer. Example:
    kehu report complaints --from 2026-10-01      kehu report complaints --by-customer -f csv
    """
    from kehu.book import report

    found = report.complaints(store, scope)
    if by_customer:
        rows = [{"customer": c.customer, "open": c.open, "resolved": c.resolved, "customer_id": c.customer_id}
                for c in found.customers]  # fmt: skip
        _show(rows, COMPLAINT_CUSTOMER_FIELDS, fmt, _("Complaints by customer"), labels=labels)
        return
    _show(complaint_rows(found, fmt, labels), COMPLAINT_REPORT_FIELDS, fmt, _("Complaints"), labels=labels,
          priority=("severity", "raised", "open", "resolved", "average_days"))  # fmt: skip


REPEAT_FIELDS = (
    Field("customer", "客户", "customer"), Field("owner", "销售员", "owner"),
    Field("since", "新一单始于", "new deal since", "date"),
    Field("contracts", "合同数", "contracts", "count"),
    Field("value", "重复采购金额", "repeat value", "money"),
    Field("customer_id", "客户编号", "customer id", "id"),
)  # fmt: skip


@app.command("repeat")
@report_options()
def report_repeat(store: "Store", scope: "Scope", fmt: str, labels: bool) -> None:
    """Repeat business: customers on a second or later deal (kehu reopen --new-deal),
    with the contracts they signed within the days since their first new deal, and their value.

    The dashboard's repeat business is their total. Example:
    kehu report repeat --from 2026-01-01      kehu report repeat --format csv
    """
    from kehu.book import report

    table = fmt == "table"
    rows = [{"customer": r.customer, "owner": r.owner or ("-" if table else None), "since": r.since,
             "contracts": r.contracts, "value": r.value, "customer_id": r.customer_id}
            for r in report.repeat(store, scope)]  # fmt: skip
    fields = REPEAT_FIELDS[:-1] if table else REPEAT_FIELDS  # a table names the customer, data ids it too
    _show(_with_bars(rows, "value", fmt), fields, fmt, _("Repeat business"), labels=labels,
          priority=("customer", "value", "contracts", "since", "owner"))  # fmt: skip
    total = sum((r["value"] for r in rows), start=Decimal("0.00"))
    say(_("repeat business in all: {total}").format(total=f"{total:.2f}"))


TARGET_REPORT_FIELDS = (
    Field("month", "月份", "month"), Field("owner", "销售员", "owner"),
    Field("measure", "指标", "measure", "choice", TARGET_MEASURE),
    Field("actual", "实际", "actual"), Field("target", "目标", "target"),
    Field("rate", "完成率", "completion", "number"),
    Field("bar", "完成率（█＝10%）", "completion (█ = 10%)"),
)  # fmt: skip


def target_rows(found, fmt: str) -> list[dict]:
    """Each month's measures against the targets: money, counts and touches a day as written in
    data (1000000.00, 7, 4.50), or for people (1,000,000.00); the rate a share (_share)."""
    from kehu.domain.values import format_money_for_people

    table = fmt == "table"

    def shown(measure: str, value):
        if value is None:
            return "" if table else None
        if measure in ("signed", "collected") and table:
            return format_money_for_people(value)
        return str(value) if table else value

    rows = [{"month": r.month, "owner": r.owner or ("-" if table else ""), "measure": r.measure,
             "actual": shown(r.measure, r.actual), "target": shown(r.measure, r.target),
             "rate": _share(r.rate, fmt)} for r in found]  # fmt: skip
    if table:  # a fixed scale, as the grades' bar: a block per 10%, a full target ten of them
        for row, r in zip(rows, found, strict=True):
            row["bar"] = _bar(min(r.rate, 2), 1, cells=10) if r.rate else ""
    return rows


@app.command("targets")
@report_options(days=False, pipeline=False)
def report_targets(
    store: "Store",
    scope: "Scope",
    fmt: str,
    labels: bool,
    first: Annotated[str | None, typer.Option("--from", help="The first month (2027-01), or a day.")] = None,
    last: Annotated[str | None, typer.Option("--to", help="The last month (default this month).")] = None,
) -> None:
    """Each month's results against its targets (kehu target set): the amount signed (contracts
    signed in the month), collected (payments), new customers (cards added) and touches a working
    day (so far, in this month), each with the target and the completion rate.

    Without --from and --to, the months that have a target. A seller's own in team mode; the
    book's total and each seller with a target otherwise (--owner: one seller's). In a script the
    rate is a number (0.7500). Example: kehu report targets --from 2027-01 --to 2027-03
    """
    from kehu.book import report
    from kehu.book.targets import read_month

    first = read_month("--from", first, scope.today) if first else None
    last = read_month("--to", last, scope.today) if last else None
    rows = target_rows(report.targets(store, scope, first, last), fmt)
    _show(rows, TARGET_REPORT_FIELDS, fmt, _("Targets against results"), labels=labels,
          priority=("month", "owner", "measure", "actual", "target", "rate"))  # fmt: skip


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="report", help="Reports: the dashboard and funnel, grades, sources, …")
