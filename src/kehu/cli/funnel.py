"""The funnel (销售漏斗): advance with evidence, won, lost, reopen, qualify."""

from typing import Annotated

import typer

from kehu.cli.common import FormatOption, app_context, print_records_or_note, say
from kehu.cli.params import CustomerArg, WordType
from kehu.domain.fields import Field
from kehu.domain.vocabulary import ANSWER, LOST_REASON, QUESTION
from kehu.errors import Conflict, UsageError
from kehu.i18n import _


def _configured_lost_reasons() -> list[str]:
    from kehu.config import load_settings

    return load_settings().get("lost_reasons", [])


ANSWER_WORD = WordType(ANSWER)
LOST_REASON_WORD = WordType(
    LOST_REASON,
    more=_configured_lost_reasons,
    hint=lambda: _("add more as lost_reasons in the config file; details go in --detail"),
)
HISTORY_FIELDS = (
    Field("changed_on", "日期", "date", "date"),
    Field("event", "事件", "event"),
    Field("from_stage", "原阶段", "from"),
    Field("to_stage", "新阶段", "to"),
    Field("evidence", "依据/原因", "evidence / reason"),
)


def _stage_label(pipeline, key: str | None) -> str:
    if key is None:
        return "-"
    try:
        return pipeline.stage(key).label
    except ValueError:
        return key


def advance(
    ctx: typer.Context,
    customer: CustomerArg,
    stage: Annotated[
        str | None, typer.Argument(help="The stage to move to (default: the next); key, name or number.")
    ] = None,  # fmt: skip
    evidence: Annotated[
        str | None, typer.Option("--evidence", "-e", help="What shows the stage is done (its end marker).")
    ] = None,  # fmt: skip
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Confirm without evidence.")] = False,
    reason: Annotated[str | None, typer.Option("--reason", "-r", help="Why, when moving back.")] = None,
) -> None:
    """Move a customer to the next (or a named) stage of its pipeline; the move is kept.

    Leaving a stage needs its end marker met: on a terminal kehu shows it and asks; in a script
    give --evidence (or --yes). Moving back needs --reason. Example:
    kehu advance hnkj --evidence "客户发来了书面采购需求"
    """
    import sys

    from kehu.io.pipeline_files import get_pipeline
    from kehu.store import funnel
    from kehu.store.lookup import resolve_customer

    app = app_context(ctx)
    with app.store().write() as connection:
        card = resolve_customer(connection, customer)
        state = funnel.funnel_state(connection, card["id"])
        if state["status"] == "lost":
            raise Conflict(_("{name} is lost; kehu reopen it first").format(name=card["name"]))
        pipeline = get_pipeline(state["pipeline"] or funnel.default_pipeline_key(connection))
        current = pipeline.stage(state["stage"]) if state["stage"] else None
        try:
            target = (
                pipeline.stage(stage)
                if stage
                else (pipeline.next_stage(current.key) if current else pipeline.stages[0])
            )
        except ValueError as error:
            raise UsageError(str(error)) from None  # fmt: skip
        if target is None:
            raise Conflict(_("{name} is already in the last stage ({stage})").format(
                name=card["name"], stage=current.label))  # fmt: skip
        if current is not None and target.key == current.key:
            raise Conflict(_("{name} is already in {stage}").format(name=card["name"], stage=current.label))
        backwards = current is not None and pipeline.index(target.key) < pipeline.index(current.key)
        if backwards and not reason:
            raise UsageError(_("moving back from {from_} to {to} needs --reason").format(
                from_=current.label, to=target.label))  # fmt: skip
        proof = reason if backwards else evidence
        if not backwards and current is not None and not evidence and not yes:
            if not sys.stdin.isatty():
                raise UsageError(_("leaving {stage} needs its end marker met: give --evidence "
                                   "\"{marker}\" (or --yes)").format(
                    stage=current.label, marker=current.end_marker))  # fmt: skip
            say(_("end marker of {stage}: {marker}").format(stage=current.label, marker=current.end_marker))
            if not typer.confirm(_("Is it met?"), default=False, err=True):
                raise typer.Exit(1)
        if not backwards:
            _warn_unqualified(connection, card["id"])
        funnel.move(connection, card["id"], pipeline=pipeline.key,
                    from_stage=current.key if current else None, to_stage=target.key,
                    event="back" if backwards else "advance", on=app.today, evidence=proof,
                    now=app.now(), changes={"pipeline": pipeline.key})  # fmt: skip
    say(_("{name}: {from_} → {to} ({probability:.0%})").format(
        name=card["name"], from_=_stage_label(pipeline, current.key if current else None),
        to=target.label, probability=target.probability))  # fmt: skip


def _warn_unqualified(connection, customer_id: int) -> None:
    from kehu.store.funnel import qualification

    noes = [key for key, answer in qualification(connection, customer_id).items() if answer == "no"]
    if noes:
        words = "、".join(QUESTION.label(k) for k in noes)
        say(_("warning: not qualified ({questions}); DOMAIN rule: keep in touch only").format(
            questions=words))  # fmt: skip


def won(
    ctx: typer.Context,
    customer: CustomerArg,
    amount: Annotated[
        str | None, typer.Option("--amount", "-a", help="The deal's value (default: the expected value).")
    ] = None,  # fmt: skip
) -> None:
    """Mark a customer won (赢取承诺: contract signed); it moves on to collecting the money.

    Example: kehu won hnkj --amount 118万
    """
    from kehu.domain.values import parse_money
    from kehu.io.pipeline_files import get_pipeline
    from kehu.store import funnel
    from kehu.store.lookup import resolve_customer

    app = app_context(ctx)
    try:
        value = parse_money(amount) if amount else None
    except ValueError as error:
        raise UsageError(f"--amount: {error}") from None
    with app.store().write() as connection:
        card = resolve_customer(connection, customer)
        state = funnel.funnel_state(connection, card["id"])
        if state["status"] == "won":
            raise Conflict(_("{name} is already won").format(name=card["name"]))
        pipeline = get_pipeline(state["pipeline"] or funnel.default_pipeline_key(connection))
        after = next((s for s in pipeline.stages if s.probability >= 1.0), None)
        funnel.move(connection, card["id"], pipeline=pipeline.key, from_stage=state["stage"],
                    to_stage=after.key if after else state["stage"], event="won", on=app.today,
                    evidence=None, now=app.now(), changes={
                        "status": "won", "won_on": app.today, "pipeline": pipeline.key,
                        "won_value": value if value is not None else state["expected_value"],
                        "lost_on": None, "lost_reason": None, "lost_detail": None})  # fmt: skip
    say(_("{name} won").format(name=card["name"]))


def lost(
    ctx: typer.Context,
    customer: CustomerArg,
    reason: Annotated[
        str,
        typer.Option(
            "--reason",
            "-r",
            click_type=LOST_REASON_WORD,
            help="价格 输给竞争对手 没有预算 需求变化 "
            "关系不到位 时机不对 产品不符 不了了之 其他 (or English; more in config "
            "`lost_reasons`).",
        ),
    ],  # fmt: skip
    detail: Annotated[str | None, typer.Option("--detail", "-d", help="Free text: what happened.")] = None,
) -> None:
    """Mark a customer lost; it keeps its stage and stays in the book (never deleted).

    Example: kehu lost szhr --reason 价格 --detail "对手报价低15%"
    """
    from kehu.store import funnel
    from kehu.store.lookup import resolve_customer

    app = app_context(ctx)
    with app.store().write() as connection:
        card = resolve_customer(connection, customer)
        state = funnel.funnel_state(connection, card["id"])
        if state["status"] == "lost":
            raise Conflict(_("{name} is already lost").format(name=card["name"]))
        funnel.move(connection, card["id"], pipeline=state["pipeline"], from_stage=state["stage"],
                    to_stage=state["stage"], event="lost", on=app.today, evidence=detail, now=app.now(),
                    changes={"status": "lost", "lost_on": app.today, "lost_reason": reason,
                             "lost_detail": detail})  # fmt: skip
    say(_("{name} lost ({reason}); kept in the book").format(
        name=card["name"], reason=LOST_REASON.label(reason)))  # fmt: skip


def reopen(ctx: typer.Context, customer: CustomerArg) -> None:
    """Reopen a won or lost customer: back in the funnel in the stage it kept.

    Example: kehu reopen szhr
    """
    from kehu.store import funnel
    from kehu.store.lookup import resolve_customer

    app = app_context(ctx)
    with app.store().write() as connection:
        card = resolve_customer(connection, customer, include_archived=True)
        state = funnel.funnel_state(connection, card["id"])
        if state["status"] == "open":
            raise Conflict(_("{name} is open already").format(name=card["name"]))
        funnel.move(connection, card["id"], pipeline=state["pipeline"], from_stage=state["stage"],
                    to_stage=state["stage"], event="reopen", on=app.today, evidence=None, now=app.now(),
                    changes={"status": "open"})  # fmt: skip
    say(_("{name} reopened").format(name=card["name"]))


def qualify(
    ctx: typer.Context,
    customer: CustomerArg,
    need: Annotated[
        str | None,
        typer.Option("--need", click_type=ANSWER_WORD, help="客户需要产品: yes/no/unknown (是/否/不确定)."),
    ] = None,
    timetable: Annotated[str | None, typer.Option(click_type=ANSWER_WORD, help="采购时间表.")] = None,
    budget: Annotated[str | None, typer.Option(click_type=ANSWER_WORD, help="客户预算.")] = None,
    can_win: Annotated[str | None, typer.Option(click_type=ANSWER_WORD, help="是否能赢.")] = None,
    worth_it: Annotated[str | None, typer.Option(click_type=ANSWER_WORD, help="是否值得投入.")] = None,
    our_strength: Annotated[str | None, typer.Option(click_type=ANSWER_WORD, help="是否我们的擅长.")] = None,
    fmt: FormatOption = None,
) -> None:
    """Record the six qualification answers (DOMAIN §5), then print all six.

    Example: kehu qualify hnkj --need 是 --budget 是 --timetable 不确定
    """
    from kehu.store import funnel
    from kehu.store.lookup import resolve_customer

    app = app_context(ctx)
    given = {"need": need, "timetable": timetable, "budget": budget, "can_win": can_win,
             "worth_it": worth_it, "our_strength": our_strength}  # fmt: skip
    answers = {key: answer for key, answer in given.items() if answer is not None}
    store = app.store()
    with store.write() if answers else store.read() as connection:
        card = resolve_customer(connection, customer)
        if answers:
            current = funnel.qualification(connection, card["id"])
            funnel.save_qualification(connection, card["id"], {**current, **answers}, app.now())
        result = funnel.qualification(connection, card["id"])
    rows = [{"question": QUESTION.label(k), "key": k, "answer": v} for k, v in result.items()]
    fields = (
        Field("key", "项目", "key"),
        Field("question", "问题", "question"),
        Field("answer", "答案", "answer"),
    )
    print_records_or_note(rows, fields, fmt, "", title=card["name"])


def stages(ctx: typer.Context, customer: CustomerArg, fmt: FormatOption = None) -> None:
    """A customer's moves through the funnel, newest first.

    Example: kehu stages hnkj
    """
    from kehu.store import funnel
    from kehu.store.lookup import resolve_customer

    app = app_context(ctx)
    with app.store().read() as connection:
        card = resolve_customer(connection, customer, include_archived=True)
        rows = funnel.stage_history(connection, card["id"])
    empty = _("{name} has not moved through the funnel yet").format(name=card["name"])
    print_records_or_note(rows, HISTORY_FIELDS, fmt, empty, title=card["name"])


def register(app: typer.Typer) -> None:
    for command in (advance, won, lost, reopen, qualify, stages):
        app.command(command.__name__)(command)
