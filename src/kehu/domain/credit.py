"""Judging a credit check before the sale (信用审查, seed 001) and the customer's financial ratios
(seed 000: 流动资产率, 净利润率, 资产回报率, 存货周期, 回款周期).

The seeds name what to look at and why (seed 000: whether the customer has the cash to pay, how
profitable and how well run it is, how fast its cash turns) but give no figures to judge them by.
The thresholds below are kehu's own, chosen on the cautious side, and `kehu credit --help` says
so: a figure at or better than `pass_at` passes, one worse than `fail_at` fails, anything between
is to watch. Each is one line of THRESHOLDS, the defaults; a book sets its own in the config
file's `[credit]` table (read and checked by kehu.config with `threshold_problems`, built with
`thresholds_from_config`), and the book layer passes the thresholds in effect to `judge`.

Pure: plain values in, plain values out.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from kehu.domain.fields import Field
from kehu.domain.vocabulary import Choice, Vocabulary
from kehu.i18n import _

# How the customer has paid us so far (付款记录).
PAYMENT_HISTORY = Vocabulary(
    "payment history",
    (
        Choice("good", "良好", "good", ("按时", "好")),
        Choice("slow", "拖延", "slow", ("迟缓", "拖欠", "慢")),
        Choice("bad", "不良", "bad", ("差", "坏账", "恶劣")),
        Choice("none", "无往来", "none", ("无", "没有", "新客户")),
    ),
)

# A figure's judgement, and the check's as a whole; `missing` is a figure not given.
VERDICT = Vocabulary(
    "credit result",
    (
        Choice("pass", "通过", "pass", ("合格",)),
        Choice("watch", "关注", "watch", ("注意",)),
        Choice("fail", "不通过", "fail", ("不合格",)),
        Choice("missing", "未填", "missing"),
    ),
)

# What a check judges, in the order a judgement lists them, then the whole check.
MEASURE = Vocabulary(
    "credit measure",
    (
        Choice("registered_capital", "注册资本", "registered capital"),
        Choice("years_in_business", "经营年限", "years in business"),
        Choice("payment_history", "付款记录", "payment history"),
        Choice("collection_days", "回款天数", "days to pay us"),
        Choice("current_asset_ratio", "流动资产率", "current-asset ratio"),
        Choice("net_margin", "净利润率", "net margin"),
        Choice("return_on_assets", "资产回报率", "return on assets"),
        Choice("inventory_days", "存货周期", "inventory days"),
        Choice("receivable_days", "回款周期", "receivable days"),
        Choice("overall", "总评", "overall"),
    ),
)


@dataclass(frozen=True)
class Threshold:
    """Where a figure passes and where it fails; `higher` says which way is better."""

    pass_at: Decimal
    fail_at: Decimal
    higher: bool
    kind: str  # money, count, percent (how the figure is written)

    def judge(self, value: Decimal | int) -> str:
        value = Decimal(value)
        if self.higher:
            return "pass" if value >= self.pass_at else "fail" if value < self.fail_at else "watch"
        return "pass" if value <= self.pass_at else "fail" if value > self.fail_at else "watch"

    @property
    def pass_if(self) -> str:
        return f"{'>=' if self.higher else '<='} {_plain(self.pass_at)}"

    @property
    def fail_if(self) -> str:
        return f"{'<' if self.higher else '>'} {_plain(self.fail_at)}"


# kehu's own thresholds (the seeds give none), on the cautious side:
# - registered capital: 500万 and more passes, under 100万 fails;
# - years in business: 5 and more passes, under 2 fails (most failures come in the first years);
# - days the customer takes to pay us: within 60 passes, over 90 fails (the age buckets of
#   domain.aging: past 90 days the seed's collection goes to the legal route);
# - 流动资产率, read as current assets against current liabilities in percent: 200 (2:1) and more
#   passes, under 100 (it could not pay its short debts from its current assets) fails;
# - net margin and return on assets: 5% and more passes, a loss (under 0) fails;
# - inventory days and the customer's own receivable days (存货周期, 回款周期): within 90 passes,
#   over 180 fails (cash tied up for half a year).
THRESHOLDS: dict[str, Threshold] = {
    "registered_capital": Threshold(Decimal("5000000"), Decimal("1000000"), True, "money"),
    "years_in_business": Threshold(Decimal(5), Decimal(2), True, "count"),
    "collection_days": Threshold(Decimal(60), Decimal(90), False, "count"),
    "current_asset_ratio": Threshold(Decimal(200), Decimal(100), True, "percent"),
    "net_margin": Threshold(Decimal(5), Decimal(0), True, "percent"),
    "return_on_assets": Threshold(Decimal(5), Decimal(0), True, "percent"),
    "inventory_days": Threshold(Decimal(90), Decimal(180), False, "count"),
    "receivable_days": Threshold(Decimal(90), Decimal(180), False, "count"),
}
# Payment history with us: good passes, slow or none (no record yet) is to watch, bad fails.
HISTORY_VERDICT = {"good": "pass", "slow": "watch", "none": "watch", "bad": "fail"}
HISTORY_PASS_IF, HISTORY_FAIL_IF = "good", "bad"

# The figures a check records, in MEASURE order (payment history among them).
FIGURES = tuple(choice.code for choice in MEASURE.choices if choice.code != "overall")


@dataclass(frozen=True)
class Judged:
    """One figure against its threshold: the value (None: not given) and the verdict."""

    measure: str
    value: Any
    pass_if: str
    fail_if: str
    result: str  # a VERDICT code


def judge(check: Mapping[str, Any], thresholds: Mapping[str, Threshold]) -> list[Judged]:
    """Every figure of a check (a mapping by FIGURES key, None where not given) against its
    threshold in `thresholds` (THRESHOLDS, or the book's: thresholds_from_config), then the
    overall result: fail if any fails, else watch if any is to watch, else pass if any passed;
    missing when nothing was given."""
    judged: list[Judged] = []
    for measure in FIGURES:
        value = check.get(measure)
        if measure == "payment_history":
            result = "missing" if value is None else HISTORY_VERDICT[value]
            judged.append(Judged(measure, value, HISTORY_PASS_IF, HISTORY_FAIL_IF, result))
            continue
        threshold = thresholds[measure]
        result = "missing" if value is None else threshold.judge(value)
        judged.append(Judged(measure, value, threshold.pass_if, threshold.fail_if, result))
    judged.append(Judged("overall", None, "", "", overall([j.result for j in judged])))
    return judged


def overall(results: list[str]) -> str:
    """The check's result from its figures': the worst one given."""
    for verdict in ("fail", "watch", "pass"):
        if verdict in results:
            return verdict
    return "missing"


def over_limit(limit: Decimal | None, owed: Decimal) -> bool:
    """Whether what a customer owes (the new contract included) is more than its credit limit;
    no limit set is never over."""
    return limit is not None and owed > limit


_RATIO = re.compile(r"[+-]?\d{1,6}(\.\d{1,2})?")


def parse_ratio(text: str) -> Decimal:
    """A ratio in percent as typed: `12.5`, `-3%`, `180 ％` (two decimals at most, negative for a
    loss); ValueError says why not."""
    cleaned = text.strip().replace(" ", "").removesuffix("%").removesuffix("％")
    if not _RATIO.fullmatch(cleaned):
        raise ValueError(_("not a percentage: {text}").format(text=text))
    try:
        return Decimal(cleaned).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValueError(_("not a percentage: {text}").format(text=text)) from None


def _plain(value: Decimal) -> str:
    """A threshold as data and tables write it: 5000000, 200, 5 (no trailing zeros)."""
    return format(value.normalize(), "f")


# A credit check as `kehu credit list` shows it and `kehu import|export credit` carry it. The
# ratios are read as text and then by parse_ratio: a loss is negative, a current ratio over 100.
CREDIT_CHECK_FIELDS: tuple[Field, ...] = (
    Field("id", "编号", "id", "id", editable=False, aliases=("ID",)),
    Field("customer", "客户名称", "customer", "ref", aliases=("客户", "公司", "单位", "company")),
    Field("checked_on", "审查日期", "checked on", "date", aliases=("日期", "date", "checked")),
    Field("registered_capital", "注册资本", "registered capital", "money", aliases=("注册资金", "capital")),
    Field("years_in_business", "经营年限", "years in business", "count", aliases=("成立年限", "years")),
    Field("payment_history", "付款记录", "payment history", "choice", PAYMENT_HISTORY,
          ("付款情况", "history")),
    Field("collection_days", "回款天数", "days to pay us", "count", aliases=("collection days",)),
    Field("credit_limit", "信用额度", "credit limit", "money", aliases=("额度", "limit")),
    Field("current_asset_ratio", "流动资产率", "current-asset ratio", "text",
          aliases=("流动比率", "current asset ratio")),
    Field("net_margin", "净利润率", "net margin", "text", aliases=("利润率",)),
    Field("return_on_assets", "资产回报率", "return on assets", "text", aliases=("roa",)),
    Field("inventory_days", "存货周期", "inventory days", "count", aliases=("存货天数",)),
    Field("receivable_days", "回款周期", "receivable days", "count", aliases=("应收账款天数",)),
    Field("notes", "备注", "notes", aliases=("说明", "note", "remarks")),
)  # fmt: skip


# --- the config file's [credit] table -----------------------------------------------------------

# A problem in the table: the key path under `credit` it is at, and what is wrong, in the user's
# language.
Problem = tuple[tuple[str, ...], str]
# A figure's table: `pass` is pass_at; `watch` the last value still to watch, which is fail_at.
BOUNDS = ("pass", "watch")


def threshold_problems(table: Any) -> list[Problem]:
    """What is wrong with a `[credit]` table (a table per figure of THRESHOLDS, each giving pass
    and watch): each problem with its place in the table."""
    if not isinstance(table, dict):
        return [((), _("credit holds a table per figure, like [credit.net_margin]"))]
    problems: list[Problem] = []
    for figure, bounds in table.items():
        if figure not in THRESHOLDS:
            unknown = _("unknown figure credit.{figure}; one of: {figures}")
            problems.append(((figure,), unknown.format(figure=figure, figures=", ".join(THRESHOLDS))))
        elif not isinstance(bounds, dict):
            problems.append(((figure,), _("credit.{figure} is a table of pass and watch, like "
                                          "[credit.{figure}]").format(figure=figure)))  # fmt: skip
        else:
            problems.extend(_bound_problems(figure, bounds))
    return problems


def _bound_problems(figure: str, bounds: dict[str, Any]) -> list[Problem]:
    """What is wrong with one figure's table: a key not pass or watch, one missing, a value that
    is not a number of the figure's kind, or pass on the worse side of watch."""
    problems: list[Problem] = []
    for key in bounds:
        if key not in BOUNDS:
            unknown = _("unknown key {key} in credit.{figure}; one of: pass, watch")
            problems.append(((figure, key), unknown.format(key=key, figure=figure)))
    if any(key not in bounds for key in BOUNDS):
        problems.append(((figure,), _("credit.{figure} needs both pass and watch").format(figure=figure)))
    values: dict[str, Decimal] = {}
    for key in BOUNDS:
        if key not in bounds:
            continue
        value = _bound(THRESHOLDS[figure].kind, bounds[key])
        if value is None:
            problems.append(((figure, key), _not_a_bound(figure, key)))
        else:
            values[key] = value
    if len(values) == len(BOUNDS) and _wrong_way(THRESHOLDS[figure].higher, values["pass"], values["watch"]):
        problems.append(((figure, "watch"), _wrong_way_message(figure, values["pass"], values["watch"])))
    return problems


def _bound(kind: str, value: Any) -> Decimal | None:
    """A bound as the config file gives it, or None when it is not one: money as a number or a
    text (500万), a count (years, days) a number from 0, a percentage any number."""
    from kehu.domain.values import parse_money

    if kind == "money" and isinstance(value, str):
        try:
            return parse_money(value)
        except ValueError:
            return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    number = Decimal(str(value))
    return number if kind == "percent" or number >= 0 else None


def _not_a_bound(figure: str, key: str) -> str:
    kind = THRESHOLDS[figure].kind
    if kind == "money":
        message = _("credit.{figure}.{key} must be an amount of money, like 500万")
    elif kind == "count":
        message = _("credit.{figure}.{key} must be a number, 0 or more")
    else:
        message = _("credit.{figure}.{key} must be a number, in percent")
    return message.format(figure=figure, key=key)


def _wrong_way(higher: bool, pass_at: Decimal, watch: Decimal) -> bool:
    """Whether pass is on the worse side of watch (equal is allowed: nothing is to watch)."""
    return pass_at < watch if higher else pass_at > watch


def _wrong_way_message(figure: str, pass_at: Decimal, watch: Decimal) -> str:
    if THRESHOLDS[figure].higher:
        message = _("credit.{figure}: more is better, so pass ({pass_at}) cannot be under watch ({watch})")
    else:
        message = _("credit.{figure}: less is better, so pass ({pass_at}) cannot be over watch ({watch})")
    return message.format(figure=figure, pass_at=_plain(pass_at), watch=_plain(watch))


def thresholds_from_config(table: Mapping[str, Any] | None) -> dict[str, Threshold]:
    """The thresholds a checked `[credit]` table sets (threshold_problems found nothing wrong with
    it), each figure it leaves out as THRESHOLDS has it; no table: THRESHOLDS."""
    chosen = dict(THRESHOLDS)
    for figure, bounds in (table or {}).items():
        kind = THRESHOLDS[figure].kind
        pass_at, watch = (_bound(kind, bounds[key]) for key in BOUNDS)
        assert pass_at is not None and watch is not None  # checked by threshold_problems
        chosen[figure] = replace(THRESHOLDS[figure], pass_at=pass_at, fail_at=watch)
    return chosen


def describe(thresholds: Mapping[str, Threshold], word: Callable[[str], str] = str) -> str:
    """The thresholds in one line (`kehu info`): each figure, then where it passes and down to
    where it is to watch — `registered_capital: pass >= 5000000, watch >= 1000000; …`. With codes
    (the default) the same in every language, for data; `word` gives the words of a figure and of
    pass and watch instead, for a person (MEASURE.label, VERDICT.label)."""
    return "; ".join(
        f"{word(figure)}: {word('pass')} {'>=' if t.higher else '<='} {_plain(t.pass_at)}, "
        f"{word('watch')} {'>=' if t.higher else '<='} {_plain(t.fail_at)}"
        for figure, t in thresholds.items()
    )
