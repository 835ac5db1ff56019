"""Grades A–E (客户等级): set with a reason, history, suggest, review."""

from typing import Annotated

import typer
from typer.core import TyperGroup

from kehu.cli.common import (
    FormatOption,
    LabelsOption,
    app_context,
    chosen_format,
    print_records,
    print_records_or_note,
    say,
)
from kehu.cli.params import CustomerArg, WordType, optional_customer
from kehu.domain.fields import Field
from kehu.domain.vocabulary import GRADE
from kehu.i18n import _, ngettext


class GradeGroup(TyperGroup):
    """`kehu grade CUSTOMER B` is `kehu grade set CUSTOMER B`: the everyday form stays short."""

    def parse_args(self, ctx, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["set", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(cls=GradeGroup, no_args_is_help=True)

HISTORY_FIELDS = (
    Field("changed_on", "日期", "date", "date"),
    Field("old_grade", "原等级", "from"),
    Field("new_grade", "新等级", "to"),
    Field("reason", "原因", "reason"),
)
SUGGESTION_FIELDS = (
    Field("id", "编号", "id", "id"),
    Field("name", "客户名称", "name"),
    Field("grade", "当前等级", "grade"),
    Field("suggested", "建议等级", "suggested"),
    Field("reason", "原因", "reason"),
)
# Data is the same in every language: which rule, by its code, instead of the reason's sentence
# (--labels gives the sentence, as a table does).
SUGGESTION_DATA_FIELDS = (*SUGGESTION_FIELDS[:4], Field("rule", "规则", "rule"))
# At 80 columns: who, from what to what, and why (the reason wraps); the id goes first.
SUGGESTION_PRIORITY = ["name", "suggested", "reason", "grade", "id"]


@app.command("set")
def set_grade(
    ctx: typer.Context,
    customer: CustomerArg,
    grade: Annotated[str, typer.Argument(click_type=WordType(GRADE), help="A B C D or E.")],
    reason: Annotated[str | None, typer.Option("--reason", "-r", help="Why (kept in the history).")] = None,
) -> None:
    """Set a customer's grade (A daily … D monthly, E no follow-up); the change is kept.

    With a reason, the grade review leaves it alone until something it rested on changes; the
    grade it already has, with a reason, is kept as a confirmation.
    Example: kehu grade hnkj A --reason "预算已批，月底签"
    """
    from kehu.book import grades

    app_ = app_context(ctx)
    graded = grades.set_grade(app_.store(), customer, grade, reason, now=app_.now(), shift=app_.due_shift())
    if graded.changed:
        say(
            _("{name}: grade {old} → {new}").format(
                name=graded.customer, old=graded.old or "-", new=graded.new
            )
        )
    elif graded.confirmed:
        say(_("{name}: grade {grade} confirmed").format(name=graded.customer, grade=graded.new))
    else:
        say(_("{name} is already grade {grade}").format(name=graded.customer, grade=graded.new))


@app.command("history")
def grade_history(
    ctx: typer.Context, customer: CustomerArg, fmt: FormatOption = None, labels: LabelsOption = False
) -> None:
    """Every grade change of a customer, newest first.

    Example: kehu grade history hnkj
    """
    from kehu.book import grades

    past = grades.history(app_context(ctx).store(), customer)
    empty = _("no grade changes recorded for {name}").format(name=past.customer)
    print_records_or_note(past.changes, HISTORY_FIELDS, fmt, empty, title=past.customer, labels=labels)


@app.command("suggest")
def suggest(
    ctx: typer.Context,
    customer: Annotated[str | None, optional_customer("One customer (default: all active).")] = None,
    fmt: FormatOption = None,
    labels: LabelsOption = False,
) -> None:
    """The grade the A–E rule gives from the expected close date, with the reason.

    Example: kehu grade suggest hnkj
    """
    from kehu.book import grades

    app_ = app_context(ctx)
    found = grades.suggestions(app_.store(), today=app_.today, customer=customer)
    print_records(found, _suggestion_fields(fmt, labels), fmt, priority=SUGGESTION_PRIORITY, labels=labels)


def _suggestion_fields(fmt: str | None, labels: bool) -> tuple[Field, ...]:
    return SUGGESTION_FIELDS if labels or chosen_format(fmt) == "table" else SUGGESTION_DATA_FIELDS


@app.command("review")
def review(
    ctx: typer.Context,
    apply: Annotated[
        bool, typer.Option("--apply", help="Apply the suggestions (kept in the history with their reasons).")
    ] = False,  # fmt: skip
    fmt: FormatOption = None,
    labels: LabelsOption = False,
) -> None:
    """Customers whose grade no longer fits (close date passed, no touch for months, …).

    A grade set by hand with a reason is left alone until its close date passes, the card is
    edited, or it goes untouched for two of its cadences.
    Example: kehu grade review   then   kehu grade review --apply
    """
    from kehu.book import grades

    app_ = app_context(ctx)
    reviewed = grades.review(app_.store(), today=app_.today, apply=apply,
                             now=app_.now() if apply else None, shift=app_.due_shift())  # fmt: skip
    print_records_or_note(reviewed.misfits, _suggestion_fields(fmt, labels), fmt, _("every grade fits"),
                          priority=SUGGESTION_PRIORITY, labels=labels)  # fmt: skip
    if apply:
        say(ngettext("applied {count} grade change", "applied {count} grade changes", reviewed.applied)
            .format(count=reviewed.applied))  # fmt: skip


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="grade", help="Grades A–E: set, history, suggest, review.")
