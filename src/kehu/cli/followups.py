"""`kehu followups`: the morning list (whom to contact today and why) and the week's plan."""

from datetime import date
from typing import Annotated

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
from kehu.cli.params import read_choice, typed_date
from kehu.domain.fields import Field
from kehu.domain.vocabulary import CHANNEL, GRADE
from kehu.i18n import _, is_chinese, ngettext

WEEKDAYS_ZH = "一二三四五六日"
WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

KIND_LABELS = {"overdue": ("逾期", "overdue"), "due": ("今日到期", "due"), "plan": ("计划拜访", "visit"),
               "birthday": ("生日", "birthday")}  # fmt: skip
ITEM_FIELDS = (
    Field("kind", "类型", "kind"),
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
    Field("score", "紧急度", "score"),
)
EXPLAIN_FIELDS = (
    Field("score_overdue", "逾期分", "overdue pts"),
    Field("score_grade", "等级分", "grade pts"),
    Field("score_stage", "阶段分", "stage pts"),
    Field("score_value", "金额分", "value pts"),
)
TABLE_KEYS = ["customer", "grade", "when", "last", "next_step", "contact", "phone"]
TABLE_FIELDS = (
    Field("customer", "客户", "customer"),
    Field("grade", "等级", "grade"),
    Field("when", "到期", "due"),
    Field("last", "上次跟进", "last touch"),
    Field("next_step", "下一步", "next step"),
    Field("contact", "关键联系人", "key contact"),
    Field("phone", "电话", "phone"),
)


def _weekday(day: date) -> str:
    if is_chinese():
        return f"周{WEEKDAYS_ZH[day.weekday()]} {day.month}月{day.day}日"
    return f"{WEEKDAYS_EN[day.weekday()]} {day.isoformat()}"


def _table_row(item, explain: bool) -> dict:
    if item.kind in ("overdue", "plan", "collect") and (item.days_overdue or 0) > 0:  # missed visits too
        when = ngettext("{days} day overdue", "{days} days overdue", item.days_overdue).format(
            days=item.days_overdue
        )
    elif item.kind == "due":
        when = _("today") if item.days_overdue == 0 else item.day.isoformat()
    else:
        when = item.day.isoformat()
    last = ""
    if item.last_touch_on:
        last = f"{item.last_touch_on.isoformat()} {CHANNEL.label(item.last_channel)}".strip()
    next_step = item.next_step or ""
    if item.kind == "plan":
        next_step = _("visit: {purpose}").format(purpose=item.note)
    elif item.kind == "birthday":
        next_step = _("lunar birthday") if item.note == "lunar" else _("birthday")
    elif item.kind == "collect":
        next_step = _("collect {amount}: {step}").format(
            amount=f"{item.extra['outstanding']:.2f}", step=item.note
        )
    row = {"customer": item.customer, "grade": item.grade or "-", "when": when, "last": last,
           "next_step": next_step, "contact": item.contact or "", "phone": item.phone or ""}  # fmt: skip
    if explain and item.score is not None:
        parts = item.score
        row["score"] = (f"{parts.total:g} = {parts.overdue:g}+{parts.grade:g}"
                        f"+{parts.stage:g}+{parts.value:g}")  # fmt: skip
    return row


def followups(
    ctx: typer.Context,
    when: Annotated[
        str, typer.Argument(help="today, tomorrow, week, overdue, or a day (周五, 12-01 …).")
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
    due, plans, birthdays, collections = found.due, found.plans, found.birthdays, found.collections
    if fmt == "table":
        _print_tables(span, due, plans, birthdays, collections, explain)
    else:
        fields = ITEM_FIELDS + (EXPLAIN_FIELDS if explain else ())
        print_records((item.record() for item in (*due, *plans, *birthdays, *collections)), fields, fmt)
    if found.total == 0:
        say(_("nothing due: a good day to find new customers ☕"))
        return
    say(_("{overdue} overdue, {due} due, {plan} planned visits, {birthday} birthdays, {collect} to collect")
        .format(**found.counts)
        + (_(" (showing {shown} of {all}; --limit 0 for all)").format(shown=found.shown, all=found.total)
           if found.shown < found.total else ""))  # fmt: skip


def _print_tables(span, due, plans, birthdays, collections, explain: bool) -> None:
    # The score goes next to the name: a narrow terminal drops the rightmost columns first.
    fields = TABLE_FIELDS[:1] + ((Field("score", "紧急度", "score"),) if explain else ()) + TABLE_FIELDS[1:]
    if span.name == "week":
        overdue = [i for i in due if i.kind == "overdue"] + [p for p in plans if p.day < span.start]
        if overdue:
            print_records([_table_row(i, explain) for i in overdue], fields, "table", title=_("Overdue"))
        if collections:
            print_records(
                [_table_row(i, explain) for i in collections], fields, "table", title=_("To collect")
            )
        for day in span.days():
            items = [i for i in due if i.kind == "due" and i.day == day]
            items += [i for i in (*plans, *birthdays) if i.day == day]
            if items:
                print_records([_table_row(i, explain) for i in items], fields, "table", title=_weekday(day))
        return
    sections = (
        (_("Overdue"), [i for i in due if i.kind == "overdue"]),
        (_("Due"), [i for i in due if i.kind == "due"]),
        (_("To collect"), collections),
        (_("Planned visits"), plans),
        (_("Birthdays"), birthdays),
    )
    for title, items in sections:
        if items:
            print_records([_table_row(i, explain) for i in items], fields, "table", title=title)
    if explain:
        from kehu.domain.urgency import WEIGHTS_DOC

        say(WEIGHTS_DOC)


def register(app: typer.Typer) -> None:
    app.command("followups")(followups)
