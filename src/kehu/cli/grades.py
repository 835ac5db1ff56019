"""Grades A–E (客户等级): set with a reason, history, suggest, review."""

from typing import Annotated

import typer
from typer.core import TyperGroup

from kehu.cli.common import FormatOption, app_context, print_records, print_records_or_note, say
from kehu.cli.params import CustomerArg, WordType
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


@app.command("set")
def set_grade(
    ctx: typer.Context,
    customer: CustomerArg,
    grade: Annotated[str, typer.Argument(click_type=WordType(GRADE), help="A B C D or E.")],
    reason: Annotated[str | None, typer.Option("--reason", "-r", help="Why (kept in the history).")] = None,
) -> None:
    """Set a customer's grade (A daily … D monthly, E no follow-up); the change is kept.

    Example: kehu grade hnkj A --reason "预算已批，月底签"
    """
    from kehu.store import followups
    from kehu.store.lookup import resolve_customer

    app_ = app_context(ctx)
    with app_.store().write() as connection:
        card = resolve_customer(connection, customer)
        changed = followups.set_grade(connection, card, grade, reason, app_.now(), app_.due_shift())
    if changed:
        say(_("{name}: grade {old} → {new}").format(name=card["name"], old=card["grade"] or "-", new=grade))
    else:
        say(_("{name} is already grade {grade}").format(name=card["name"], grade=grade))


@app.command("history")
def grade_history(ctx: typer.Context, customer: CustomerArg, fmt: FormatOption = None) -> None:
    """Every grade change of a customer, newest first.

    Example: kehu grade history hnkj
    """
    from kehu.store import followups
    from kehu.store.lookup import resolve_customer

    app_ = app_context(ctx)
    with app_.store().read() as connection:
        card = resolve_customer(connection, customer, include_archived=True)
        rows = followups.grade_history(connection, card["id"])
    empty = _("no grade changes recorded for {name}").format(name=card["name"])
    print_records_or_note(rows, HISTORY_FIELDS, fmt, empty, title=card["name"])


def _suggestion_rows(connection, today, card_id: int | None, review: bool) -> list[dict]:
    from kehu.domain.grades import review_grade, suggest_grade
    from kehu.store.customers import CustomerQuery, get_card, list_cards

    cards = [get_card(connection, card_id)] if card_id else list_cards(connection, CustomerQuery())
    states = _touch_states(connection)
    rows = []
    for card in cards:
        if review:
            suggestion = review_grade(
                current=card["grade"], expected_close=card["expected_close"],
                last_touch_on=states.get(card["id"]), added_on=card["created_at"].astimezone().date(),
                today=today,
            )  # fmt: skip
        else:
            suggestion = suggest_grade(current=card["grade"], expected_close=card["expected_close"],
                                       today=today)  # fmt: skip
        if suggestion is not None:
            rows.append({"id": card["id"], "name": card["name"], "grade": card["grade"],
                         "suggested": suggestion.grade, "reason": suggestion.reason})  # fmt: skip
    return rows


def _touch_states(connection) -> dict[int, object]:
    from kehu.store.report_data import last_touches

    return last_touches(connection)


@app.command("suggest")
def suggest(
    ctx: typer.Context,
    customer: Annotated[str | None, typer.Argument(help="One customer (default: all active).")] = None,
    fmt: FormatOption = None,
) -> None:
    """The grade the A–E rule gives from the expected close date, with the reason.

    Example: kehu grade suggest hnkj
    """
    from kehu.store.lookup import resolve_customer

    app_ = app_context(ctx)
    with app_.store().read() as connection:
        card_id = resolve_customer(connection, customer)["id"] if customer else None
        rows = _suggestion_rows(connection, app_.today, card_id, review=False)
    print_records(rows, SUGGESTION_FIELDS, fmt)


@app.command("review")
def review(
    ctx: typer.Context,
    apply: Annotated[
        bool, typer.Option("--apply", help="Apply the suggestions (kept in the history with their reasons).")
    ] = False,  # fmt: skip
    fmt: FormatOption = None,
) -> None:
    """Customers whose grade no longer fits (close date passed, no touch for months, …).

    Example: kehu grade review   then   kehu grade review --apply
    """
    from kehu.store import followups
    from kehu.store.customers import get_card

    app_ = app_context(ctx)
    store = app_.store()
    with store.write() if apply else store.read() as connection:
        rows = _suggestion_rows(connection, app_.today, None, review=True)
        applied = 0
        if apply:
            shift = app_.due_shift()
            for row in rows:
                card = get_card(connection, row["id"])
                applied += followups.set_grade(
                    connection, card, row["suggested"], row["reason"], app_.now(), shift
                )
    print_records_or_note(rows, SUGGESTION_FIELDS, fmt, _("every grade fits"))
    if apply:
        say(
            ngettext("applied {count} grade change", "applied {count} grade changes", applied).format(
                count=applied
            )
        )


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="grade", help="Grades A–E: set, history, suggest, review.")
