"""The customer card as a person reads it (Rich) and as a script reads it (one JSON object)."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from kehu.domain.decision_chain import by_role
from kehu.domain.fields import (
    COMPLAINT_FIELDS,
    CONTACT_FIELDS,
    CUSTOMER_FIELDS,
    NEED_FIELDS,
    PROPOSAL_FIELDS,
    QUOTE_FIELDS,
    RIVAL_FIELDS,
    TOUCH_SHOWN_FIELDS,
    Field,
    format_value,
)
from kehu.domain.values import format_money_for_people
from kehu.domain.vocabulary import CHANNEL, COMMUNICATION_STYLE, INSIDER_LEVEL, PURCHASE_ROLE, RELATIONSHIP
from kehu.i18n import _, labelled, ngettext
from kehu.render.columns import columns_for
from kehu.render.formats import Column, json_value
from kehu.render.table import console_for, safe_text, write_table
from kehu.render.visible import json_visible

if TYPE_CHECKING:
    from kehu.book.card_view import CardView

_CONTACT_KEYS = ("name", "title", "role", "relationship", "style", "insider", "phone", "wechat", "birthday")
# The card's latest touches: history's columns less the outcome and the next step's date.
RECENT_TOUCH_FIELDS = tuple(f for f in TOUCH_SHOWN_FIELDS if f.key not in ("outcome", "next_step_on"))
PLAN_FIELDS = (
    Field("id", "编号", "id", "id"),
    Field("planned_on", "日期", "day", "date"),
    Field("purpose", "目的", "purpose"),
)
CONTRACT_FIELDS = (
    Field("id", "编号", "id", "id"),
    Field("number", "合同号", "number"),
    Field("signed_on", "签订日期", "signed", "date"),
    Field("due_on", "应收日期", "due", "date"),
    Field("amount", "金额", "amount", "money"),
    Field("paid", "已收", "paid", "money"),
    Field("outstanding", "未收", "outstanding", "money"),
    Field("days_overdue", "逾期天数", "days overdue", "count"),
    Field("step", "催收", "collection", "text"),
    Field("step_label", "催收", "collection"),
)


def print_card(view: CardView) -> None:
    """The card before a call, in the order a salesperson reads it: who the customer is, when and
    how it was last touched and what comes next, the money, the visits planned, the latest
    touches, the stage and its questions, and the people."""
    card = view.card
    console = console_for(sys.stdout)
    grid = _grid()
    _add_follow_up(grid, view)
    grid.add_row("", "")
    _add_fields(grid, card, view.funnel)
    console.print(Panel(grid, title=_title(card), title_align="left"))
    _print_money(console, view)
    if view.plans:
        _heading(console, _("Planned visits"))
        write_table(
            view.plans, columns_for(PLAN_FIELDS, "table"), sys.stdout, priority=("purpose", "planned_on")
        )
    if view.touches:
        _heading(
            console,
            ngettext(
                "Latest touch ({shown} of {count})", "Latest touches ({shown} of {count})", len(view.touches)
            ).format(shown=len(view.touches), count=view.touch_count),
        )
        write_table(
            view.touches,
            columns_for(RECENT_TOUCH_FIELDS, "table", labels=True),
            sys.stdout,
            priority=("summary", "happened_on", "next_step", "contact"),
        )
    _print_stage(console, view.funnel)
    _print_rivals(console, view)
    _print_needs_and_offers(console, view)
    if view.complaints:
        _heading(console, _("Open complaints"))
        write_table(view.complaints, columns_for(COMPLAINT_FIELDS, "table", keys=list(_COMPLAINT_CARD_KEYS)),
                    sys.stdout, priority=("description", "severity", "raised_on"))  # fmt: skip
    contacts = view.contacts
    if not contacts:
        console.print(_("no contacts yet: kehu contact add {id} NAME").format(id=card["id"]))
        return
    _heading(console, _("Contacts"))
    columns = columns_for(CONTACT_FIELDS, "table", keys=list(_CONTACT_KEYS))
    marked = [{**c, "name": f"{c['name']} ★" if c.get("is_key") else c["name"]} for c in contacts]
    write_table(marked, columns, sys.stdout, priority=("name", "phone", "title", "role", "relationship"))
    console.print(_decision_chain(card["name"], contacts))
    for gap in view.funnel["gaps"]:
        console.print(safe_text("⚠ " + gap))


def _title(card: Mapping[str, Any]) -> Text:
    title = safe_text(f"#{card['id']}  {card['name']}")
    if card.get("archived_at") is not None:
        title.append("  [" + _("archived") + "]")
    return title


def _grid() -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")  # notes and addresses wrap, never cut
    return grid


def _add_fields(grid: Table, card: Mapping[str, Any], funnel: Mapping[str, Any]) -> None:
    for field in CUSTOMER_FIELDS:
        value = card.get(field.key)
        if value is None or field.key == "name" or value == "":
            continue
        grid.add_row(field.label, safe_text(format_value(field, value, labels=True, human=True)))
    grid.add_row(_("stage"), safe_text(_funnel_line(funnel)))


def _add_follow_up(grid: Table, view: CardView) -> None:
    """When the customer was last touched, when the next touch is due and what, whom to call,
    and what the customer owes: what to know before picking up the phone."""
    card, today = view.follow_up, view.today
    if card.get("last_touch_on"):
        last = f"{card['last_touch_on'].isoformat()} {CHANNEL.label(card.get('last_channel'))}".strip()
        if view.touches:
            latest = view.touches[0]
            said = latest["summary"]
            last += f" · {labelled(latest['contact'], said) if latest.get('contact') else said}"
        grid.add_row(_("last touch"), safe_text(last))
    else:
        grid.add_row(_("last touch"), Text(_("never"), style="yellow"))
    due = card.get("next_due")
    if due is not None:
        late = (today - due).days
        if late > 0:
            text = Text(
                due.isoformat()
                + "  "
                + ngettext("{days} day overdue", "{days} days overdue", late).format(days=late),
                style="red",
            )
        else:
            text = Text(
                due.isoformat() + ("  " + _("today") if late == 0 else ""),
                style="yellow" if late == 0 else "",
            )
        grid.add_row(_("next due"), text)
    if card.get("next_step") or card.get("next_step_on"):
        on = card["next_step_on"].isoformat() + "  " if card.get("next_step_on") else ""
        grid.add_row(_("next step"), safe_text(on + (card.get("next_step") or "")))
    if card.get("snoozed_until") and card["snoozed_until"] >= today:
        grid.add_row(_("snoozed until"), safe_text(card["snoozed_until"].isoformat()))
    key = next((c for c in view.contacts if c.get("is_key")), view.contacts[0] if view.contacts else None)
    if key is not None:
        whom = " ".join(p for p in (key["name"], key.get("title") or "", key.get("phone") or "") if p)
        grid.add_row(_("whom to call"), safe_text(whom))
    if view.outstanding > 0:
        owed = format_money_for_people(view.outstanding)
        late = max(c["days_overdue"] for c in view.contracts)
        if late > 0:
            owed += "  " + ngettext(
                "{amount} overdue, the oldest {days} day", "{amount} overdue, the oldest {days} days", late
            ).format(amount=format_money_for_people(view.overdue), days=late)
        grid.add_row(_("owes us"), Text(owed, style="bold red" if late > 0 else ""))


def _print_money(console, view: CardView) -> None:
    if not view.contracts:
        return
    _heading(console, _("Contracts"))
    keys = [f.key for f in CONTRACT_FIELDS if f.key != "step"]
    write_table(view.contracts, columns_for(CONTRACT_FIELDS, "table", keys=keys), sys.stdout,
                priority=("number", "amount", "outstanding", "due_on", "step_label", "paid"),
                styles=["red" if c["days_overdue"] > 0 else None for c in view.contracts])  # fmt: skip
    _print_instalments(console, view)


def _print_instalments(console, view: CardView) -> None:
    """Each contract paid in instalments: seq, when, amount, due, paid, outstanding (overdue in red)."""
    from kehu.domain.schedule import INSTALMENT_FIELDS

    keys = ["seq", "label", "amount", "due_on", "paid", "outstanding"]
    for contract in view.contracts:
        parts = contract.get("instalments") or []
        if len(parts) < 2:
            continue
        name = contract["number"] or f"#{contract['id']}"
        _heading(console, _("Instalments of {contract}").format(contract=name))
        late = ["red" if p["bucket"] not in (None, "not_due") else None for p in parts]
        write_table(parts, columns_for(INSTALMENT_FIELDS, "table", keys=keys), sys.stdout,
                    priority=("seq", "amount", "outstanding", "due_on", "label", "paid"),
                    styles=late)  # fmt: skip


def _print_stage(console, funnel: Mapping[str, Any]) -> None:
    stage = funnel.get("stage_object")
    if stage is None or funnel["status"] != "open":
        return
    _heading(console, _("Stage"))
    grid = _grid()
    grid.add_row(_("now"), safe_text(_funnel_line(funnel)))
    days = funnel.get("days_in_stage")
    if days is not None:
        since = ngettext("{day} ({days} day)", "{day} ({days} days)", days)
        grid.add_row(_("since"), safe_text(since.format(day=funnel["stage_since"].isoformat(), days=days)))
    grid.add_row(_("to move on"), safe_text(stage.end_marker))
    # Each question marked ✓ once answered, its answer below it; both fold under the question's
    # text, never under its number, and are never cut.
    answers = funnel.get("answers", {})
    questions = Table.grid(padding=(0, 1))
    questions.add_column(no_wrap=True, justify="right")
    questions.add_column(overflow="fold")
    for number, question in enumerate(stage.questions, 1):
        given = answers.get(number)
        mark = Text("✓ ", style="green") if given else Text("  ")
        questions.add_row(mark + Text(f"{number}."), safe_text(question))
        if given:
            questions.add_row("", safe_text(given["answer"], style="dim"))
    if stage.questions:
        grid.add_row(_("ask"), questions)
    console.print(grid)


# The card's rivals: on a line after the name what they hold there, then what to say about them.
_RIVAL_BY_KEY = {f.key: f for f in RIVAL_FIELDS}
_RIVAL_FIGURES = tuple(_RIVAL_BY_KEY[key] for key in ("share", "price", "since", "their_contact"))
_RIVAL_SAYINGS = tuple(_RIVAL_BY_KEY[key] for key in ("strengths", "weaknesses", "notes"))
_RIVAL_NAME_WIDTH = 20  # a long name folds: the details keep the rest of 80 columns


def _print_rivals(console, view: CardView) -> None:
    """The competitors at the customer (竞争信息): each one's share, price, since when and their
    salesperson on a line, their strengths and weaknesses wrapped below, and the one that took
    the deal marked."""
    if not view.rivals:
        return
    _heading(console, _("Rivals"))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", overflow="fold", max_width=_RIVAL_NAME_WIDTH)
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for rival in view.rivals:
        figures = [labelled(f.label, format_value(f, rival[f.key], labels=True, human=True))
                   for f in _RIVAL_FIGURES if rival.get(f.key) not in (None, "")]  # fmt: skip
        grid.add_row(safe_text(rival["name"]), "", safe_text(" · ".join(figures)))
        for field in _RIVAL_SAYINGS:
            if rival.get(field.key):
                grid.add_row("", field.label, safe_text(rival[field.key]))
        if rival.get("won_on") is not None:
            took = _("took the deal on {day}").format(day=rival["won_on"].isoformat())
            grid.add_row("", "", Text(took, style="bold red"))
    console.print(grid)


# The card's needs and offers (挖掘需求, 呈现价值): the open needs as a table, then a line each for
# the latest proposal and the latest quote.
_NEED_CARD_KEYS = ["description", "kind", "priority", "contact"]
_NEED_CARD_FIELDS = tuple(f for f in NEED_FIELDS if f.key not in ("customer",))
_PROPOSAL_CARD_FIELDS = tuple(f for f in PROPOSAL_FIELDS if f.key != "customer")
_QUOTE_CARD_FIELDS = tuple(f for f in QUOTE_FIELDS if f.key != "customer")


def _print_needs_and_offers(console, view: CardView) -> None:
    """The customer's open needs (what, which kind, how pressing, whose), and the latest proposal
    and quote: version, amount, status, when sent, how long the price holds."""
    if not (view.needs or view.proposal or view.quote):
        return
    _heading(console, _("Needs and offers"))
    if view.needs:
        write_table(view.needs, columns_for(NEED_FIELDS, "table", keys=_NEED_CARD_KEYS), sys.stdout,
                    priority=("description", "priority", "contact", "kind"))  # fmt: skip
    grid = _grid()
    if view.proposal is not None:
        grid.add_row(_("proposal"), safe_text(_offer_line(view.proposal, PROPOSAL_FIELDS)))
    if view.quote is not None:
        line = Text(_offer_line(view.quote, QUOTE_FIELDS))
        if view.quote["expired"]:
            line.append("  " + _("expired"), style="red")
        grid.add_row(_("quote"), line)
    console.print(grid)


def _offer_line(offer: Mapping[str, Any], fields: tuple[Field, ...]) -> str:
    """`仓储方案 v2 · 1,180,000.00 · sent 2026-11-20 · valid until 2026-12-31 · 5% off`."""
    by_key = {f.key: f for f in fields}

    def shown(key: str) -> str:
        return format_value(by_key[key], offer.get(key), labels=True, human=True)

    head = f"{offer['title']} v{offer['version']}" if offer.get("title") else f"v{offer['version']}"
    parts = [head]
    if offer.get("amount") is not None:
        parts.append(shown("amount"))
    status = shown("status")
    parts.append(labelled(status, shown("sent_on")) if offer.get("sent_on") else status)
    if offer.get("valid_until") is not None:
        parts.append(labelled(by_key["valid_until"].label, shown("valid_until")))
    if offer.get("discount") is not None:
        parts.append(labelled(by_key["discount"].label, shown("discount")))
    return " · ".join(parts)


def _heading(console, text: str) -> None:
    console.print(Text(text, style="bold"))


def _funnel_line(funnel: Mapping[str, Any]) -> str:
    line = _("{stage} ({probability:.0%}) · {pipeline}").format(
        stage=funnel["stage_label"], probability=funnel["probability"], pipeline=funnel["pipeline_label"]
    )
    if funnel["status"] == "won":
        line += " · " + _("won")
    elif funnel["status"] == "lost":
        line += " · " + _("lost")
    return line


def _decision_chain(name: str, contacts: list[Mapping[str, Any]]) -> Tree:
    """The contacts drawn by purchase role (组织结构): who initiates, decides, evaluates, buys."""
    tree = Tree(safe_text(_("Decision chain of {name}").format(name=name)), guide_style="dim")
    for role, group in by_role(contacts):
        branch = tree.add(Text(PURCHASE_ROLE.label(role) if role else _("role unknown"), style="bold"))
        for contact in group:
            parts = [contact["name"], contact.get("title") or ""]
            if contact.get("insider"):
                parts.append(_("insider: {level}").format(level=INSIDER_LEVEL.label(contact["insider"])))
            if contact.get("style"):
                parts.append(COMMUNICATION_STYLE.label(contact["style"]))
            if contact.get("relationship"):
                parts.append(RELATIONSHIP.label(contact["relationship"]))
            branch.add(safe_text(" · ".join(p for p in parts if p)))
    return tree


def _object(record: Mapping[str, Any], fields, labels: bool) -> dict[str, Any]:
    result = {}
    for field in fields:
        column = Column(field.key, field.label if labels else field.key, field.label,
                        lambda v, f=field: format_value(f, v, labels=labels),
                        "count" if field.kind in ("count", "id", "percent") else field.kind)  # fmt: skip
        result[column.header] = json_value(column, record.get(field.key))
    return result


def card_json(view: CardView, *, labels: bool) -> str:
    """The whole card as one JSON object: the same facts as the table, with stable keys and codes
    (the stage's evidence and questions in both languages, as the pipeline defines them)."""
    funnel = view.funnel
    stage = funnel.get("stage_object")
    data = _object(view.card, CUSTOMER_FIELDS, labels)
    card = view.follow_up
    data["follow_up"] = {
        "last_touch_on": _day(card.get("last_touch_on")), "last_channel": card.get("last_channel"),
        "next_due": _day(card.get("next_due")), "next_step_on": _day(card.get("next_step_on")),
        "next_step": card.get("next_step"), "snoozed_until": _day(card.get("snoozed_until")),
    }  # fmt: skip
    data["contacts"] = [_object(c, CONTACT_FIELDS, labels) for c in view.contacts]
    data["funnel"] = {
        "pipeline": funnel["pipeline"], "stage": funnel["stage"], "probability": funnel["probability"],
        "stage_since": _day(funnel["stage_since"]), "days_in_stage": funnel.get("days_in_stage"),
        "status": funnel["status"], "gaps": funnel["gaps"],
        "exit_evidence": {"zh": stage.end_marker_zh, "en": stage.end_marker_en} if stage else None,
        "questions": {"zh": list(stage.questions_zh), "en": list(stage.questions_en)} if stage else None,
        "answers": [{"question": number, "answer": row["answer"], "answered_on": _day(row["answered_on"])}
                    for number, row in sorted(funnel.get("answers", {}).items())],
    }  # fmt: skip
    data["recent_touches"] = [_object(t, RECENT_TOUCH_FIELDS, False) for t in view.touches]
    data["touch_count"] = view.touch_count
    data["plans"] = [_object(p, PLAN_FIELDS, False) for p in view.plans]
    data["rivals"] = [_object(r, _RIVAL_CARD_FIELDS, labels) for r in view.rivals]
    data["needs"] = [_object(n, _NEED_CARD_FIELDS, labels) for n in view.needs]
    data["complaints"] = [_object(c, _COMPLAINT_CARD_FIELDS, labels) for c in view.complaints]
    data["proposal"] = _object(view.proposal, _PROPOSAL_CARD_FIELDS, labels) if view.proposal else None
    data["quote"] = None
    if view.quote:
        data["quote"] = {**_object(view.quote, _QUOTE_CARD_FIELDS, labels), "expired": view.quote["expired"]}
    data["contracts"] = [_object(c, [f for f in CONTRACT_FIELDS if f.key != "step_label"], False)
                         for c in view.contracts]  # fmt: skip
    data["outstanding"] = f"{view.outstanding:.2f}"
    data["overdue"] = f"{view.overdue:.2f}"
    return json_visible(json.dumps(data, ensure_ascii=False, indent=2))


_COMPLAINT_CARD_KEYS = ("id", "raised_on", "severity", "description", "contact")
_COMPLAINT_CARD_FIELDS = tuple(f for f in COMPLAINT_FIELDS if f.key != "customer")
_RIVAL_CARD_FIELDS = tuple(f for f in RIVAL_FIELDS if f.key not in ("customer", "created_at", "updated_at"))


def _day(value) -> str | None:
    return value.isoformat() if value is not None else None
