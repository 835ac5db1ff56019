"""Visit plans (走访计划): `kehu plan CUSTOMER WHEN --purpose …`, `plan list`, `plan move`, `plan cancel`."""

from typing import Annotated

import typer
from typer.core import TyperGroup

from kehu.cli.common import FormatOption, LabelsOption, app_context, print_records_or_note, say
from kehu.cli.params import ContactOption, CustomerArg, optional_customer, typed_date
from kehu.domain.fields import Field
from kehu.domain.vocabulary import PLAN_STATUS
from kehu.i18n import _


class PlanGroup(TyperGroup):
    """`kehu plan CUSTOMER WHEN` is `kehu plan add CUSTOMER WHEN`: the everyday form stays short,
    options first too (`kehu plan --purpose 技术交流 hnkj 周五`, as before plan had subcommands)."""

    def parse_args(self, ctx, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = ["add", *args]
        return super().parse_args(ctx, args)

    def shell_complete(self, ctx, incomplete: str) -> list:
        """A tab after `kehu plan` offers the subcommands and the customers (`kehu plan hzh<TAB>`)."""
        from kehu.cli.params import CustomerType

        offered = super().shell_complete(ctx, incomplete)
        if incomplete.startswith("-"):
            return offered
        return offered + CustomerType().shell_complete(ctx, self.commands["add"].params[0], incomplete)


app = typer.Typer(cls=PlanGroup, no_args_is_help=True)

PLAN_FIELDS = (
    Field("id", "编号", "id", "id"),
    Field("planned_on", "日期", "day", "date"),
    Field("customer", "客户", "customer"),
    Field("contact", "联系人", "contact"),
    Field("purpose", "目的", "purpose"),
    Field("status", "状态", "status", "choice", PLAN_STATUS),
    Field("cancel_reason", "取消原因", "why cancelled"),
)
PLAN_PRIORITY = ("id", "planned_on", "customer", "purpose", "contact", "status", "cancel_reason")
# With --all the status tells a cancelled or done visit from one still to make: it outranks the contact.
ALL_PLANS_PRIORITY = ("id", "planned_on", "customer", "purpose", "status", "contact", "cancel_reason")


@app.command("add")
def add(
    ctx: typer.Context,
    customer: CustomerArg,
    when: Annotated[str, typer.Argument(help="The day of the visit: friday, next tuesday, 12-03 …")],
    purpose: Annotated[str, typer.Option("--purpose", "-p", help="Purpose of the visit.")],
    contact: ContactOption = None,
    people: Annotated[str | None, typer.Option("--people", help="Who goes.")] = None,
    preparation: Annotated[
        str | None, typer.Option("--preparation", help="What to prepare.")
    ] = None,  # fmt: skip
    content: Annotated[str | None, typer.Option("--content", help="What to discuss.")] = None,
    expected: Annotated[
        str | None, typer.Option("--expected", help="Expected result.")
    ] = None,  # fmt: skip
    next_follow_up: Annotated[
        str | None, typer.Option("--next-follow-up", help="Planned next follow-up.")
    ] = None,  # fmt: skip
) -> None:
    """Plan a visit; it appears in `kehu followups` on its day (`kehu plan add` in full).

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


@app.command("list")
def list_plans(
    ctx: typer.Context,
    customer: Annotated[str | None, optional_customer("Only this customer's plans.")] = None,
    everything: Annotated[bool, typer.Option("--all", "-a", help="Done and cancelled plans too.")] = False,
    fmt: FormatOption = None,
    labels: LabelsOption = False,
) -> None:
    """List visit plans, earliest first: the open ones (missed ones too), or --all.

    Example: kehu plan list      kehu plan list hnkj --all --format csv
    """
    from kehu.book import visits

    app_ = app_context(ctx)
    found = visits.plans(app_.store(), customer, everything=everything)
    priority = ALL_PLANS_PRIORITY if everything else PLAN_PRIORITY
    print_records_or_note(found, PLAN_FIELDS, fmt, _("no visit plans"), priority=priority, labels=labels)


@app.command("move")
def move(
    ctx: typer.Context,
    plan_id: Annotated[int, typer.Argument(metavar="ID", help="The plan's id (kehu plan list).")],
    when: Annotated[str, typer.Argument(help="The new day: friday, next tuesday, 12-03 …")],
) -> None:
    """Move a visit plan to another day.

    Example: kehu plan move 7 下周二
    """
    from kehu.book import visits

    app_ = app_context(ctx)
    day = typed_date(_("visit day"), when, app_.today)
    moved = visits.move(app_.store(), plan_id, day, today=app_.today, now=app_.now())
    say(
        _("visit plan {id} to {name} moved to {day}").format(
            id=plan_id, name=moved.customer, day=day.isoformat()
        )
    )


@app.command("cancel")
def cancel(
    ctx: typer.Context,
    plan_id: Annotated[int, typer.Argument(metavar="ID", help="The plan's id (kehu plan list).")],
    reason: Annotated[str | None, typer.Option("--reason", "-r", help="Why it will not happen.")] = None,
) -> None:
    """Cancel a visit plan; it is kept (status cancelled) with the reason.

    Example: kehu plan cancel 7 --reason "客户出差，改电话沟通"
    """
    from kehu.book import visits

    app_ = app_context(ctx)
    cancelled = visits.cancel(app_.store(), plan_id, reason, now=app_.now())
    say(_("visit plan {id} to {name} cancelled").format(id=plan_id, name=cancelled.customer))


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="plan", help="Visit plans: plan a visit, list, move, cancel.")
