"""The day's work: `kehu log`, `kehu done`, `kehu history`, `kehu snooze` (`kehu plan`: cli/plans.py)."""

from typing import Annotated

import typer

from kehu.cli.common import FormatOption, LabelsOption, app_context, chosen_format, print_records_or_note, say
from kehu.cli.params import (
    ContactOption,
    CustomerArg,
    complete_words,
    date_and_step,
    read_channel,
    typed_date,
)
from kehu.domain.fields import TOUCH_SHOWN_FIELDS
from kehu.domain.vocabulary import CHANNEL
from kehu.i18n import _

ChannelOption = Annotated[str | None, typer.Option("--channel", "-c", help="How: {words:channel}; "
                          "default: the last touch's.",
                          autocompletion=complete_words(CHANNEL))]  # fmt: skip
NextOption = Annotated[str | None, typer.Option("--next", help="Date and next step in one string: "
                       "\"下周三 送样品\"; \"\" clears the one set earlier.")]  # fmt: skip


def log(
    ctx: typer.Context,
    customer: CustomerArg,
    summary: Annotated[str, typer.Argument(help="What happened.")],
    channel: ChannelOption = None,
    contact: ContactOption = None,
    outcome: Annotated[str | None, typer.Option("--outcome", "-o", help="The result.")] = None,
    next_: NextOption = None,
    when: Annotated[
        str | None,
        typer.Option("--date", "-d", help="When it happened (default today): yesterday, monday, 11-20 …"),
    ] = None,  # fmt: skip
) -> None:
    """Record a touch with a customer (a call, a visit, a message); sets when they are next due.

    Example: kehu log hnkj "电话沟通报价，对方要样品" --channel 电话 --next "下周三 送样品"
    """
    from kehu.book import touches

    app = app_context(ctx)
    happened_on = typed_date("--date", when, app.today) if when else app.today
    clearing = next_ is not None and not next_.strip()
    next_on, next_step = date_and_step(None if clearing else next_, app.today)
    logged = touches.log(app.store(), customer, summary, today=app.today, now=app.now(),
                         shift=app.due_shift(), happened_on=happened_on, channel=read_channel(channel),
                         contact=contact, outcome=outcome, next_step_on=next_on,
                         next_step=next_step, keep_next=next_ is None)  # fmt: skip
    if logged.kept_next is not None:
        on, step = logged.kept_next
        say(_("the next step stays {day} {step} (--next \"\" clears it)").format(
            day=on.isoformat(), step=step or "").replace("  (", " ("))  # fmt: skip
    say(_("logged for {name}; next due {due}").format(name=logged.customer, due=_due_text(logged.next_due)))


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
    labels: LabelsOption = False,
) -> None:
    """List a customer's touches, newest first.

    Example: kehu history hnkj --limit 10
    """
    from kehu.book import touches

    app = app_context(ctx)
    past = touches.history(app.store(), customer, limit)
    empty = _("no touches with {name} yet").format(name=past.customer)
    if chosen_format(fmt) == "table":
        from kehu.render import history as screen

        shown = screen.on_screen(past.touches)
        print_records_or_note(shown, screen.SCREEN_FIELDS, fmt, empty, title=past.customer,
                              priority=screen.SCREEN_PRIORITY, labels=labels)  # fmt: skip
        return
    print_records_or_note(past.touches, TOUCH_SHOWN_FIELDS, fmt, empty, title=past.customer, labels=labels)


def snooze(
    ctx: typer.Context,
    customer: CustomerArg,
    when: Annotated[str, typer.Argument(help="The new due date: next monday, in 3 days, 12-05 …")],
) -> None:
    """Move one customer's due date without logging a touch (until the next touch).

    Example: kehu snooze hnkj 下周一
    """
    from kehu.book import touches

    app = app_context(ctx)
    until = typed_date(_("new due date"), when, app.today)
    snoozed = touches.snooze(app.store(), customer, until, shift=app.due_shift())
    say(_("{name} snoozed; next due {due}").format(name=snoozed.customer, due=snoozed.next_due.isoformat()))


touch_app = typer.Typer(no_args_is_help=True)
TouchId = Annotated[int, typer.Argument(metavar="ID", help="The touch's id (kehu history shows it).")]


@touch_app.command("edit")
def edit_touch(
    ctx: typer.Context,
    touch_id: TouchId,
    summary: Annotated[str | None, typer.Option("--summary", "-s", help="What happened.")] = None,
    channel: Annotated[
        str | None,
        typer.Option("--channel", "-c", help="How: {words:channel}.", autocompletion=complete_words(CHANNEL)),
    ] = None,
    contact: Annotated[
        str | None, typer.Option("--contact", help='The contact spoken to; "" for none.')
    ] = None,
    outcome: Annotated[str | None, typer.Option("--outcome", "-o", help="The result.")] = None,
    when: Annotated[
        str | None, typer.Option("--date", "-d", help="When it happened: yesterday, 11-20 …")
    ] = None,
    next_: NextOption = None,
) -> None:
    """Correct a logged touch; the customer's next due day is worked out again.

    Example: kehu touch edit 225 --summary "跟进法务审核进度，周一答复" --next "周一 电话确认"
    """
    from kehu.book import touches

    app = app_context(ctx)
    happened_on = typed_date("--date", when, app.today) if when else None
    clearing = next_ is not None and not next_.strip()
    next_on, next_step = date_and_step(None if clearing else next_, app.today)
    changed = touches.edit_touch(app.store(), touch_id, today=app.today, shift=app.due_shift(), now=app.now(),
                                 summary=summary, channel=read_channel(channel), contact=contact,
                                 outcome=outcome, happened_on=happened_on, next_step_on=next_on,
                                 next_step=next_step, clear_next=clearing)  # fmt: skip
    say(_("touch {id} of {name} corrected; next due {due}").format(
        id=touch_id, name=changed.customer, due=_due_text(changed.next_due)))  # fmt: skip


@touch_app.command("remove")
def remove_touch(ctx: typer.Context, touch_id: TouchId) -> None:
    """Remove a touch logged by mistake; the customer's next due day is worked out again.

    Example: kehu touch remove 225
    """
    from kehu.book import touches

    app = app_context(ctx)
    removed = touches.remove_touch(app.store(), touch_id, now=app.now(), shift=app.due_shift())
    for plan_id in removed.plans_reopened:
        say(_("visit plan {id} is open again (kehu plan list)").format(id=plan_id))
    say(_("touch {id} of {name} removed; next due {due}").format(
        id=touch_id, name=removed.customer, due=_due_text(removed.next_due)))  # fmt: skip


def _due_text(due) -> str:
    return due.isoformat() if due else _("never (grade E)")


def register(app: typer.Typer) -> None:
    app.command("log")(log)
    app.command("done")(done)
    app.command("history")(history)
    app.command("snooze")(snooze)
    app.add_typer(touch_app, name="touch", help="Correct the record: edit or remove a logged touch.")
