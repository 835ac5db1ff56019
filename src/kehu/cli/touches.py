"""The day's work: `kehu log`, `kehu plan`, `kehu done`, `kehu history`, `kehu snooze`."""

from typing import Annotated

import typer

from kehu.cli.common import FormatOption, app_context, print_records_or_note, say
from kehu.cli.params import CustomerArg, date_and_step, read_channel, typed_date
from kehu.domain.fields import Field
from kehu.domain.vocabulary import CHANNEL
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
    from kehu.book import touches

    app = app_context(ctx)
    happened_on = typed_date("--date", when, app.today) if when else app.today
    next_on, next_step = date_and_step(next_, app.today)
    logged = touches.log(app.store(), customer, summary, today=app.today, now=app.now(),
                         shift=app.due_shift(), happened_on=happened_on, channel=read_channel(channel),
                         contact=contact, outcome=outcome, next_step_on=next_on,
                         next_step=next_step)  # fmt: skip
    due = logged.next_due
    say(_("logged for {name}; next due {due}").format(
        name=logged.customer, due=due.isoformat() if due else _("never (grade E)")))  # fmt: skip


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
    from kehu.book import touches

    app = app_context(ctx)
    planned_on = typed_date(_("visit day"), when, app.today)
    planned = touches.plan(app.store(), customer, planned_on, purpose, today=app.today, now=app.now(),
                           contact=contact, people=people, preparation=preparation, content=content,
                           expected=expected, next_follow_up=next_follow_up)  # fmt: skip
    say(_("planned visit {id} to {name} on {day}").format(
        id=planned.plan_id, name=planned.customer, day=planned.planned_on.isoformat()))  # fmt: skip


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
    from kehu.book import touches

    app = app_context(ctx)
    next_on, next_step = date_and_step(next_, app.today)
    finished = touches.done(app.store(), customer, summary, today=app.today, now=app.now(),
                            shift=app.due_shift(), plan_id=plan_id, outcome=outcome,
                            next_step_on=next_on, next_step=next_step)  # fmt: skip
    say(_("visit plan {id} done and logged").format(id=finished.plan_id))


def history(
    ctx: typer.Context,
    customer: CustomerArg,
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=1, help="At most N touches.")] = None,
    fmt: FormatOption = None,
) -> None:
    """List a customer's touches, newest first.

    Example: kehu history hnkj --limit 10
    """
    from kehu.book import touches

    app = app_context(ctx)
    past = touches.history(app.store(), customer, limit)
    empty = _("no touches with {name} yet").format(name=past.customer)
    print_records_or_note(past.touches, HISTORY_FIELDS, fmt, empty, title=past.customer)


def snooze(
    ctx: typer.Context,
    customer: CustomerArg,
    when: Annotated[str, typer.Argument(help="The new due date: 下周一, 3天后, 12-05 …")],
) -> None:
    """Move one customer's due date without logging a touch (until the next touch).

    Example: kehu snooze hnkj 下周一
    """
    from kehu.book import touches

    app = app_context(ctx)
    until = typed_date(_("new due date"), when, app.today)
    snoozed = touches.snooze(app.store(), customer, until, shift=app.due_shift())
    say(_("{name} snoozed; next due {due}").format(name=snoozed.customer, due=snoozed.next_due.isoformat()))


def register(app: typer.Typer) -> None:
    app.command("log")(log)
    app.command("plan")(plan)
    app.command("done")(done)
    app.command("history")(history)
    app.command("snooze")(snooze)
