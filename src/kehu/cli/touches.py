"""The day's work: `kehu log`, `kehu plan`, `kehu done`, `kehu history`, `kehu snooze`."""

from typing import Annotated

import typer

from kehu.cli.common import FormatOption, app_context, print_records_or_note, say
from kehu.cli.params import CustomerArg, date_and_step, read_channel, typed_date
from kehu.domain.fields import Field
from kehu.domain.vocabulary import CHANNEL
from kehu.errors import Ambiguous, NotFound, UsageError
from kehu.i18n import _

ChannelOption = Annotated[str | None, typer.Option("--channel", "-c", help="电话 拜访 微信 邮件 短信 "
                          "会议 展会 传真 (or English); default: the last touch's.")]  # fmt: skip
ContactOption = Annotated[str | None, typer.Option("--contact", help="The contact spoken to "
                          "(name or part); default: the last touch's.")]  # fmt: skip
NextOption = Annotated[str | None, typer.Option("--next", help="Date and next step in one string: "
                       "\"下周三 送样品\".")]  # fmt: skip

HISTORY_FIELDS = (
    Field("happened_on", "日期", "date", "date"),
    Field("channel", "方式", "channel", "choice", CHANNEL),
    Field("contact", "联系人", "contact"),
    Field("summary", "内容", "what happened"),
    Field("outcome", "结果", "outcome"),
    Field("next_step_on", "下次日期", "next date", "date"),
    Field("next_step", "下一步", "next step"),
)


# The shared readers of dates and words (kehu.cli.params), under the names these commands use.
_next_step, _channel = date_and_step, read_channel


def log(
    ctx: typer.Context,
    customer: CustomerArg,
    summary: Annotated[str, typer.Argument(help="What happened (沟通内容).")],
    channel: ChannelOption = None,
    contact: ContactOption = None,
    outcome: Annotated[str | None, typer.Option("--outcome", "-o", help="The result.")] = None,
    next_: NextOption = None,
    when: Annotated[
        str | None, typer.Option("--date", "-d", help="When it happened (default today): 昨天, 周一, 11-20 …")
    ] = None,  # fmt: skip
) -> None:
    """Record a touch (跟进) with a customer; sets when they are next due.

    Example: kehu log hnkj "电话沟通报价，对方要样品" --channel 电话 --next "下周三 送样品"
    """
    from kehu.domain.values import parse_text
    from kehu.store import followups
    from kehu.store.lookup import resolve_contact, resolve_customer

    app = app_context(ctx)
    happened_on = typed_date("--date", when, app.today) if when else app.today
    if happened_on > app.today:
        raise UsageError(_("--date: a touch cannot be in the future; use kehu plan for that"))
    next_on, next_step = _next_step(next_, app.today)
    if next_on is not None and next_on < happened_on:
        raise UsageError(_("--next: the next step is before the touch itself"))
    if not summary.strip():
        raise UsageError(_("say what happened"))
    chosen_channel = _channel(channel)
    with app.store().write() as connection:
        card = resolve_customer(connection, customer)
        state = followups.follow_up_state(connection, card["id"])
        contact_id = (
            resolve_contact(connection, card["id"], contact)["id"] if contact
            else state["last_contact_id"]
        )  # fmt: skip
        touch = {
            "happened_on": happened_on, "channel": chosen_channel or state["last_channel"],
            "contact_id": contact_id, "summary": parse_text(summary.strip()), "outcome": outcome,
            "next_step_on": next_on, "next_step": next_step, "created_at": app.now(),
        }  # fmt: skip
        followups.log_touch(connection, card["id"], touch, app.due_shift())
        due = followups.follow_up_state(connection, card["id"])["next_due"]
    say(_("logged for {name}; next due {due}").format(
        name=card["name"], due=due.isoformat() if due else _("never (grade E)")))  # fmt: skip


def plan(
    ctx: typer.Context,
    customer: CustomerArg,
    when: Annotated[str, typer.Argument(help="The day of the visit: 周五, 下周二, 12-03 …")],
    purpose: Annotated[str, typer.Option("--purpose", "-p", help="Purpose of the visit (目的).")],
    contact: ContactOption = None,
    people: Annotated[str | None, typer.Option("--people", help="Who goes (人员).")] = None,
    preparation: Annotated[
        str | None, typer.Option("--preparation", help="What to prepare (准备).")
    ] = None,  # fmt: skip
    content: Annotated[str | None, typer.Option("--content", help="What to discuss (内容).")] = None,
    expected: Annotated[
        str | None, typer.Option("--expected", help="Expected result (预期结果).")
    ] = None,  # fmt: skip
    next_follow_up: Annotated[
        str | None, typer.Option("--next-follow-up", help="Planned next follow-up (下次跟进).")
    ] = None,  # fmt: skip
) -> None:
    """Plan a visit (走访计划); it appears in `kehu followups` on its day.

    Example: kehu plan hnkj 周五 --purpose "技术交流" --contact 吴晓丽 --preparation "样品, 方案"
    """
    from kehu.store import followups
    from kehu.store.lookup import resolve_contact, resolve_customer

    app = app_context(ctx)
    planned_on = typed_date(_("visit day"), when, app.today)
    if planned_on < app.today:
        raise UsageError(_("a visit cannot be planned in the past ({day}); record it with kehu log").format(
            day=planned_on.isoformat()))  # fmt: skip
    with app.store().write() as connection:
        card = resolve_customer(connection, customer)
        contact_id = resolve_contact(connection, card["id"], contact)["id"] if contact else None
        now = app.now()
        plan_id = followups.insert_plan(connection, {
            "customer_id": card["id"], "contact_id": contact_id, "planned_on": planned_on,
            "purpose": purpose, "people": people, "preparation": preparation, "content": content,
            "expected_result": expected, "next_follow_up": next_follow_up, "created_at": now,
            "updated_at": now,
        })  # fmt: skip
    say(_("planned visit {id} to {name} on {day}").format(
        id=plan_id, name=card["name"], day=planned_on.isoformat()))  # fmt: skip


def done(
    ctx: typer.Context,
    customer: CustomerArg,
    summary: Annotated[str | None, typer.Argument(help="What happened (default: the purpose).")] = None,
    plan_id: Annotated[
        int | None,
        typer.Option(
            "--plan", help="Which open plan, when the customer has several (the ids are listed then)."
        ),
    ] = None,  # fmt: skip
    outcome: Annotated[str | None, typer.Option("--outcome", "-o", help="The result.")] = None,
    next_: NextOption = None,
) -> None:
    """Turn a customer's planned visit into a logged touch (channel 拜访, on today's date).

    Example: kehu done hnkj "看了样品，下周报价" --next "下周一 报价"
    """
    from kehu.store import followups
    from kehu.store.lookup import resolve_customer

    app = app_context(ctx)
    next_on, next_step = _next_step(next_, app.today)
    if next_on is not None and next_on < app.today:
        raise UsageError(_("--next: the next step is before the touch itself"))
    with app.store().write() as connection:
        card = resolve_customer(connection, customer)
        plans = followups.open_plans(connection, card["id"])
        if plan_id is not None:
            plans = [p for p in plans if p["id"] == plan_id]
            if not plans:
                raise NotFound(_("{name} has no open visit plan {id}").format(name=card["name"], id=plan_id))
        if not plans:
            raise NotFound(_("{name} has no open visit plan").format(name=card["name"]))
        if len(plans) > 1:
            raise Ambiguous(_("{name} has {count} open plans; pick one with --plan:").format(
                name=card["name"], count=len(plans)),
                [f"  {p['id']}\t{p['planned_on']}\t{p['purpose']}" for p in plans])  # fmt: skip
        plan_row = plans[0]
        now = app.now()
        touch = {
            "happened_on": app.today, "channel": "visit", "contact_id": plan_row["contact_id"],
            "summary": summary or plan_row["purpose"], "outcome": outcome,
            "next_step_on": next_on, "next_step": next_step, "created_at": now,
        }  # fmt: skip
        touch_id = followups.log_touch(connection, plan_row["customer_id"], touch, app.due_shift())
        followups.close_plan(connection, plan_row["id"], touch_id, "done", now)
    say(_("visit plan {id} done and logged").format(id=plan_row["id"]))


def history(
    ctx: typer.Context,
    customer: CustomerArg,
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=1, help="At most N touches.")] = None,
    fmt: FormatOption = None,
) -> None:
    """List a customer's touches, newest first.

    Example: kehu history hnkj --limit 10
    """
    from kehu.store import followups
    from kehu.store.lookup import resolve_customer

    app = app_context(ctx)
    with app.store().read() as connection:
        card = resolve_customer(connection, customer, include_archived=True)
        rows = followups.touches(connection, card["id"], limit)
    empty = _("no touches with {name} yet").format(name=card["name"])
    print_records_or_note(rows, HISTORY_FIELDS, fmt, empty, title=card["name"])


def snooze(
    ctx: typer.Context,
    customer: CustomerArg,
    when: Annotated[str, typer.Argument(help="The new due date: 下周一, 3天后, 12-05 …")],
) -> None:
    """Move one customer's due date without logging a touch (until the next touch).

    Example: kehu snooze hnkj 下周一
    """
    from kehu.store import customers as customer_store
    from kehu.store import followups
    from kehu.store.lookup import resolve_customer

    app = app_context(ctx)
    until = typed_date(_("new due date"), when, app.today)
    with app.store().write() as connection:
        card = resolve_customer(connection, customer)
        customer_store.update_card(connection, card["id"], {"snoozed_until": until})
        followups.refresh_due(connection, [card["id"]], app.due_shift())
        due = followups.follow_up_state(connection, card["id"])["next_due"]
    say(_("{name} snoozed; next due {due}").format(name=card["name"], due=due.isoformat()))


def register(app: typer.Typer) -> None:
    app.command("log")(log)
    app.command("plan")(plan)
    app.command("done")(done)
    app.command("history")(history)
    app.command("snooze")(snooze)
