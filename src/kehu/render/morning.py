"""The morning list as a person reads it: one table per section, each row saying whom to call,
what to do and how urgent it is.

At 80 columns every row keeps the customer, the action (next step, visit purpose, whose
birthday, the collection step), the contact and the phone; the due column, the grade and the
last touch give way first (render/table.py). Colour carries urgency — overdue red, due today
yellow, visits cyan, birthdays magenta — and only on a terminal (NO_COLOR turns it off).
Scripts get the items themselves (`--format csv|json`), never these texts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from kehu.domain.agenda import Item, Window
from kehu.domain.fields import Field
from kehu.domain.vocabulary import CHANNEL
from kehu.i18n import _, is_chinese, ngettext

if TYPE_CHECKING:
    from kehu.book.agenda import Morning

WEEKDAYS_ZH = "一二三四五六日"
WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

FIELDS = (
    Field("customer", "客户", "customer"),
    Field("score", "紧急度", "score"),
    Field("grade", "等级", "grade"),
    Field("when", "到期", "due"),
    Field("action", "要做的事", "to do"),
    Field("contact", "联系人", "contact"),
    Field("phone", "电话", "phone"),
    Field("last", "上次跟进", "last touch"),
)
# What stays on a narrow terminal, most important first.
PRIORITY = ("customer", "score", "action", "contact", "phone", "when", "grade", "last")
STYLES = {"overdue": "red", "due": "yellow", "plan": "cyan", "birthday": "magenta", "collect": "bold red",
          "complaint": "bold red", "after_sale": "green", "promise": "bold red"}  # fmt: skip


def print_morning(span: Window, found: Morning, *, explain: bool) -> None:
    """The tables of `kehu followups`: by section for a day, by day for the week."""
    sections = {"overdue": [i for i in found.due if i.kind == "overdue"], "plan": found.plans,
                "due": [i for i in found.due if i.kind == "due"], "birthday": found.birthdays,
                "collect": found.collections}  # fmt: skip
    if span.name == "week":
        overdue = sections["overdue"] + [p for p in sections["plan"] if p.day < span.start]
        _print(_("Overdue"), overdue, span, explain, "red")
        _print(_("To collect"), sections["collect"], span, explain, "bold red")
        _print(_("Promises to pay"), found.promises, span, explain, "bold red")
        _print_after_sale(found, span, explain)
        for day in span.days():
            items = [i for i in (*sections["due"], *sections["plan"], *sections["birthday"]) if i.day == day]
            # The day is the table's title: its rows need no date of their own.
            _print(weekday(day), items, span, explain, "bold", show_when=False)
        return
    single_day = span.name != "overdue"
    _print(_("Overdue"), sections["overdue"], span, explain, "red")
    _print(_("Due"), sections["due"], span, explain, "yellow", show_when=not single_day)
    _print(_("To collect"), sections["collect"], span, explain, "bold red")
    _print(_("Promises to pay"), found.promises, span, explain, "bold red")
    missed = [p for p in sections["plan"] if p.day < span.start]
    visits = [p for p in sections["plan"] if p not in missed] + missed
    _print(_("Planned visits"), visits, span, explain, "cyan", show_when=bool(missed) or not single_day)
    _print(_("Birthdays"), sections["birthday"], span, explain, "magenta", show_when=not single_day)
    _print_after_sale(found, span, explain)
    if explain:
        from kehu.cli.common import say
        from kehu.domain.urgency import WEIGHTS_DOC

        say(_(WEIGHTS_DOC))


def _print(title: str, items: Sequence[Item], span: Window, explain: bool, title_style: str,
           *, show_when: bool = True) -> None:  # fmt: skip
    if not items:
        return
    from kehu.render.columns import columns_for
    from kehu.render.formats import render

    keys = [f.key for f in FIELDS if (f.key != "score" or explain) and (f.key != "when" or show_when)]
    columns = columns_for(FIELDS, "table", keys=keys)
    rows = [row(item, span, explain) for item in items]
    render(rows, columns, "table", title=title, title_style=title_style, priority=PRIORITY,
           styles=[style(item, span) for item in items])  # fmt: skip


def _print_after_sale(found: Morning, span: Window, explain: bool) -> None:
    """Open complaints (due until resolved) and the after-sale touches suggested (维护)."""
    _print(_("Complaints"), found.complaints, span, explain, "bold red")
    _print(_("After the sale"), found.after_sale, span, explain, "green")


def style(item: Item, span: Window) -> str | None:
    if item.kind == "plan" and item.day < span.today:
        return "red"  # a missed visit
    if item.kind == "due" and item.day > span.today:
        return None  # due later this week: not yet urgent
    return STYLES.get(item.kind)


def row(item: Item, span: Window, explain: bool) -> dict[str, str]:
    last = ""
    if item.last_touch_on:
        last = f"{item.last_touch_on.isoformat()} {CHANNEL.label(item.last_channel)}".strip()
    found = {"customer": item.customer, "grade": item.grade or "-", "when": when(item, span),
             "action": action(item), "contact": item.contact or "", "phone": item.phone or "",
             "last": last}  # fmt: skip
    if explain and item.score is not None:
        parts = item.score
        found["score"] = (
            f"{parts.total:g} = {parts.overdue:g}+{parts.grade:g}+{parts.stage:g}+{parts.value:g}"
        )
    return found


def when(item: Item, span: Window) -> str:
    late = item.days_overdue or 0
    if item.kind == "plan" and item.day < span.today:
        return ngettext("missed {days} day ago", "missed {days} days ago", late).format(days=late)
    if item.kind == "complaint":
        return ngettext("open {days} day", "open {days} days", late).format(days=late)
    if item.kind in ("overdue", "collect", "promise") and late > 0:
        return ngettext("{days} day overdue", "{days} days overdue", late).format(days=late)
    if item.day == span.today:
        return _("today")
    return item.day.isoformat()


def action(item: Item) -> str:
    """What to do about the item, in words: the reason it is on the list."""
    if item.kind == "plan":
        if item.extra.get("stale"):
            return _("missed visit: {purpose} — kehu plan move {id} WHEN, or kehu plan cancel {id}").format(
                purpose=item.note, id=item.extra.get("plan_id")
            )
        return _("visit: {purpose}").format(purpose=item.note)
    if item.kind == "birthday":
        whose, age = item.contact or "", item.extra.get("age")
        if age is not None:  # only a birthday kept with its year tells an age
            if item.note == "lunar":
                return _("{name}'s birthday (lunar, turns {age})").format(name=whose, age=age)
            return _("{name}'s birthday (turns {age})").format(name=whose, age=age)
        if item.note == "lunar":
            return _("{name}'s birthday (lunar)").format(name=whose)
        return _("{name}'s birthday").format(name=whose)
    if item.kind == "collect":
        from kehu.domain.aging import COLLECTION_STEP
        from kehu.domain.values import format_money_for_people

        text = _("collect {amount}: {step}").format(
            amount=format_money_for_people(item.extra["outstanding"]), step=COLLECTION_STEP.label(item.note)
        )
        if item.extra.get("document"):
            from kehu.domain.vocabulary import COLLECTION_DOCUMENT

            document = COLLECTION_DOCUMENT.label(item.extra["document"])
            text += _(", send the {document}").format(document=document)
        return text
    if item.kind == "promise":
        return promise_action(item)
    if item.kind == "complaint":
        from kehu.domain.vocabulary import SEVERITY

        severity = SEVERITY.label(item.note) if item.note else _("complaint")
        return _("{severity}: {complaint} — kehu complaint resolve {id}").format(
            severity=severity, complaint=item.extra["description"], id=item.extra["complaint_id"]
        )
    if item.kind == "after_sale":
        return after_sale_action(item)
    return item.next_step or _("follow up")


def promise_action(item: Item) -> str:
    """A promise to pay come back: to check on its day, or broken (its day past, no money)."""
    from kehu.domain.values import format_money_for_people

    amount = item.extra.get("promised_amount")
    words = {"amount": format_money_for_people(amount) if amount is not None else _("payment"),
             "day": f"{item.day.month:02d}-{item.day.day:02d}"}  # fmt: skip
    if item.note == "broken":
        return _("promised {amount} by {day}: broken, collect again (kehu collect)").format(**words)
    return _("promised {amount} by {day}: check").format(**words)


def after_sale_action(item: Item) -> str:
    """The after-sale touch suggested, with its reason (seed 002's 维护策略)."""
    if item.note == "satisfaction":
        return _("satisfaction visit: how is the delivery working out?")
    if item.note == "thank_referrer":
        return _("thank {referrer}, who referred them").format(referrer=item.extra.get("referrer"))
    if item.note == "ask_referral":
        return _("ask for a referral: whom else could we help?")
    return _("next purchase: a year since the last contract")


def weekday(day: date) -> str:
    if is_chinese():
        return f"周{WEEKDAYS_ZH[day.weekday()]} {day.month}月{day.day}日"
    return f"{WEEKDAYS_EN[day.weekday()]} {day.isoformat()}"
