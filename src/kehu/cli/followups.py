"""`kehu followups`: the morning list (whom to contact today and why) and the week's plan."""

from typing import Annotated

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
from kehu.cli.params import complete_view, read_choice, typed_date
from kehu.domain.fields import Field
from kehu.domain.vocabulary import CHANNEL, COLLECTION_DOCUMENT, GRADE, Choice, Vocabulary
from kehu.i18n import _, is_chinese, ngettext

# What an item is: its code in data (overdue, due, plan, birthday, collect), words with --labels.
ITEM_KIND = Vocabulary("item kind", (
    Choice("overdue", "逾期", "overdue"), Choice("due", "到期", "due"),
    Choice("plan", "计划拜访", "planned visit"), Choice("birthday", "生日", "birthday"),
    Choice("collect", "催收", "to collect"), Choice("complaint", "投诉", "complaint"),
    Choice("after_sale", "售后维护", "after the sale"), Choice("promise", "承诺付款", "promise to pay"),
))  # fmt: skip
ITEM_FIELDS = (
    Field("kind", "类型", "kind", "choice", ITEM_KIND),
    Field("day", "日期", "day", "date"),
    Field("customer_id", "编号", "id", "id"),
    Field("customer", "客户", "customer"),
    Field("grade", "等级", "grade", "choice", GRADE),
    Field("days_overdue", "逾期天数", "days overdue", "count"),
    Field("last_touch_on", "上次跟进", "last touch", "date"),
    Field("last_channel", "方式", "channel", "choice", CHANNEL),
    Field("next_step", "下一步", "next step"),
    Field("contact", "联系人", "contact"),
    Field("phone", "电话", "phone"),
    Field("note", "备注", "note"),
    Field("document", "催收文书", "document to send", "choice", COLLECTION_DOCUMENT),
    Field("promised_amount", "承诺金额", "promised amount", "money"),
    Field("score", "紧急度", "score"),
)
EXPLAIN_FIELDS = (
    Field("score_overdue", "逾期分", "overdue pts"),
    Field("score_grade", "等级分", "grade pts"),
    Field("score_stage", "阶段分", "stage pts"),
    Field("score_value", "金额分", "value pts"),
)


def followups(
    ctx: typer.Context,
    when: Annotated[
        str,
        typer.Argument(
            help="today, tomorrow, week, overdue, or a day (friday, 12-01 …).", autocompletion=complete_view
        ),
    ] = "today",  # fmt: skip
    owner: OwnerOption = None,
    all_owners: AllOwnersOption = False,
    grade: Annotated[str | None, typer.Option("--grade", "-g", help="Only this grade.")] = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            "-n",
            min=0,
            help="At most N of each section (default 50 in a table, all otherwise; 0 = all).",
        ),
    ] = None,  # fmt: skip
    explain: Annotated[bool, typer.Option("--explain", help="Show the urgency score and its parts.")] = False,
    fmt: FormatOption = None,
    labels: LabelsOption = False,
) -> None:
    """Whom to contact, most urgent first: overdue, due, planned visits, birthdays.

    The urgency score adds points for days overdue, the grade, the funnel stage's win
    probability and the expected value (--explain shows the parts). Example:
    kehu followups today      kehu followups week      kehu followups overdue --format csv
    """
    from kehu.book.agenda import morning
    from kehu.domain import agenda

    app = app_context(ctx)
    view = when.strip().lower()
    words = {"今天": "today", "明天": "tomorrow", "本周": "week", "这周": "week", "逾期": "overdue"}
    view = words.get(view, view)
    if view in ("today", "tomorrow", "week", "overdue"):
        span = agenda.window(view, app.today)
    else:
        span = agenda.window("day", app.today, typed_date(_("day"), when, app.today))
    grade_code = read_choice("--grade", GRADE, grade) if grade else None
    fmt = chosen_format(fmt)
    cap = limit if limit not in (None, 0) else (50 if fmt == "table" and limit is None else None)
    owner = app.owner_scope(owner, all_owners)
    found = morning(app.store(), span, owner=owner, grade=grade_code, limit=cap)
    if fmt == "table":
        from kehu.render.morning import print_morning

        print_morning(span, found, explain=explain)
    else:
        fields = ITEM_FIELDS + (EXPLAIN_FIELDS if explain else ())
        items = (*found.due, *found.plans, *found.birthdays, *found.collections, *found.complaints,
                 *found.after_sale, *found.promises)  # fmt: skip
        print_records((item.record() for item in items), fields, fmt, labels=labels)
    if found.total == 0:
        say(_("nothing due: a good day to find new customers ☕"))
        return
    say(_summary(found.counts) + (_(" (showing {shown} of {all}; --limit 0 for all)").format(
        shown=found.shown, all=found.total) if found.shown < found.total else ""))  # fmt: skip


def _summary(counts: dict[str, int]) -> str:
    """The morning in one line: the five counts a salesperson always sees, then promises,
    complaints and after-sale touches when there are any."""
    words = {
        "overdue": ngettext("{n} overdue", "{n} overdue", counts["overdue"]),
        "due": ngettext("{n} due", "{n} due", counts["due"]),
        "plan": ngettext("{n} planned visit", "{n} planned visits", counts["plan"]),
        "birthday": ngettext("{n} birthday", "{n} birthdays", counts["birthday"]),
        "collect": ngettext("{n} to collect", "{n} to collect", counts["collect"]),
        "promise": ngettext("{n} promise to pay", "{n} promises to pay", counts["promise"]),
        "complaint": ngettext("{n} complaint open", "{n} complaints open", counts["complaint"]),
        "after_sale": ngettext("{n} after-sale touch", "{n} after-sale touches", counts["after_sale"]),
    }
    always = ("overdue", "due", "plan", "birthday", "collect")
    shown = [kind for kind in words if kind in always or counts[kind]]
    return ("，" if is_chinese() else ", ").join(words[kind].format(n=counts[kind]) for kind in shown)


def register(app: typer.Typer) -> None:
    app.command("followups")(followups)
