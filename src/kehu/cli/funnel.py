"""The funnel (销售漏斗): advance with evidence, won, lost, reopen, qualify."""

import functools
from typing import Annotated, Any

import typer

from kehu.book.funnel import configured_lost_reasons, lost_reason_hint
from kehu.cli.common import FormatOption, LabelsOption, app_context, print_records_or_note, say
from kehu.cli.params import CustomerArg, WordType, complete_stage
from kehu.domain.fields import Field
from kehu.domain.vocabulary import ANSWER, FUNNEL_EVENT, LOST_REASON, QUESTION, Vocabulary
from kehu.i18n import _, is_chinese

ANSWER_WORD = WordType(ANSWER)


def answer_option(help_text: str) -> Any:
    """An option taking one qualification answer (是/否/不确定 or yes/no/unknown)."""
    return typer.Option(click_type=ANSWER_WORD, help=help_text)


LOST_REASON_WORD = WordType(LOST_REASON, more=configured_lost_reasons, hint=lost_reason_hint)
def history_fields(stages: Vocabulary) -> tuple[Field, ...]:
    """A customer's moves: events and stages in words in a table, as codes in CSV and JSON."""
    return (
        Field("changed_on", "日期", "date", "date"),
        Field("event", "事件", "event", "choice", FUNNEL_EVENT),
        Field("from_stage", "原阶段", "from", "choice", stages),
        Field("to_stage", "新阶段", "to", "choice", stages),
        Field("evidence", "依据/原因", "evidence / reason"),
    )
QUALIFICATION_FIELDS = (
    Field("key", "项目", "key"),
    Field("question", "问题", "question", "choice", QUESTION),  # data: the key again, in every language
    Field("answer", "答案", "answer", "choice", ANSWER),
)


def advance(
    ctx: typer.Context,
    customer: CustomerArg,
    stage: Annotated[
        str | None,
        typer.Argument(
            help="The stage to move to (default: the next); key, name or number.",
            autocompletion=complete_stage,
        ),
    ] = None,  # fmt: skip
    evidence: Annotated[
        list[str] | None,
        typer.Option("--evidence", "-e", help="What shows the stage left is done (its end marker); "
                     "passing several stages, once for each, in order."),
    ] = None,  # fmt: skip
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Confirm one stage without evidence, or take the recorded "
                           "need or proposal as its evidence.")
    ] = False,  # fmt: skip
    skip_evidence: Annotated[
        bool, typer.Option("--skip-evidence", help="Pass stages without their evidence; the history "
                           "keeps them as skipped.")
    ] = False,  # fmt: skip
    reason: Annotated[str | None, typer.Option("--reason", "-r", help="Why, when moving back.")] = None,
) -> None:
    """Move a customer to the next (or a named) stage of its pipeline; every stage passed is kept.

    Leaving a stage needs its end marker met: on a terminal kehu shows it and asks; in a script
    give --evidence (or --yes). Leaving "uncover needs" or "present value", the recorded need or proposal is
    offered as the evidence. Jumping several stages needs --evidence once for each stage
    passed (the last ones, if fewer) or --skip-evidence. Moving back needs --reason. Example:
    kehu advance hnkj --evidence "客户发来了书面采购需求"
    """
    import sys

    from kehu.book import funnel

    app = app_context(ctx)
    move = functools.partial(funnel.advance, app.store(), customer, stage, today=app.today, now=app.now(),
                             evidence=evidence, confirmed=yes, reason=reason,
                             skip_evidence=skip_evidence)  # fmt: skip
    try:
        moved = move()
    except funnel.EvidenceNeeded as needed:
        if not sys.stdin.isatty():
            raise
        leaving = needed.stage
        say(_("end marker of {stage}: {marker}").format(stage=leaving.label, marker=leaving.end_marker))
        # Asked outside the transaction: the move checks all again.
        if needed.offer is not None:
            offered = _("recorded need: {need}") if needed.kind == "need" else _("proposal: {proposal}")
            say(offered.format(need=needed.offer, proposal=needed.offer))
            if typer.confirm(_("Use it as the evidence?"), default=True, err=True):
                moved = move(evidence=needed.offer)
            elif typer.confirm(_("Is it met?"), default=False, err=True):
                moved = move(confirmed=True, offered=False)
            else:
                raise typer.Exit(1) from None
        elif typer.confirm(_("Is it met?"), default=False, err=True):
            moved = move(confirmed=True)
        else:
            raise typer.Exit(1) from None
    _say_moved(moved)


def _say_moved(moved: Any) -> None:
    """The move on stderr, after its warnings: not qualified, 建立信任 passed short of its marker."""
    if moved.unqualified:
        words = ("、" if is_chinese() else ", ").join(QUESTION.label(key) for key in moved.unqualified)
        say(_("warning: not qualified ({questions}): only keep in touch until they are").format(
            questions=words))  # fmt: skip
    for gap in moved.trust_gaps:
        say(_("warning: {warning}").format(warning=gap))
    if moved.offered is not None:
        say(_("evidence: {evidence}").format(evidence=moved.offered))
    if moved.skipped:
        words = ("、" if is_chinese() else ", ").join(stage.label for stage in moved.skipped)
        say(_("skipped without evidence: {stages}").format(stages=words))
    say(_("{name}: {from_} → {to} ({probability:.0%})").format(
        name=moved.customer, from_=moved.from_stage.label if moved.from_stage else "-",
        to=moved.to_stage.label, probability=moved.to_stage.probability))  # fmt: skip


def won(
    ctx: typer.Context,
    customer: CustomerArg,
    amount: Annotated[
        str | None, typer.Option("--amount", "-a", help="The deal's value (default: the expected value).")
    ] = None,  # fmt: skip
) -> None:
    """Mark a customer won (commitment won: contract signed); it moves on to collecting the money.

    Example: kehu won hnkj --amount 118万
    """
    from kehu.book import funnel

    app = app_context(ctx)
    closed = funnel.won(app.store(), customer, today=app.today, now=app.now(), value=amount or None)
    say(_("{name} won").format(name=closed.customer))


def lost(
    ctx: typer.Context,
    customer: CustomerArg,
    why: Annotated[
        str | None,
        typer.Argument(
            metavar="[REASON]", click_type=LOST_REASON_WORD, show_default=False,
            help="Why: {words:lost_reason} (more in config `lost_reasons`); or give --reason.",
        ),
    ] = None,  # fmt: skip
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason",
            "-r",
            click_type=LOST_REASON_WORD,
            help="Why: {words:lost_reason} (more in config `lost_reasons`).",
        ),
    ] = None,  # fmt: skip
    detail: Annotated[str | None, typer.Option("--detail", "-d", help="Free text: what happened.")] = None,
    to: Annotated[
        str | None,
        typer.Option("--to", help="The rival that took the deal (recorded at the customer if new); "
                     "without a reason, the reason is 'lost to a competitor'."),
    ] = None,  # fmt: skip
) -> None:
    """Mark a customer lost; it keeps its stage and stays in the book (never deleted).

    Example: kehu lost szhr --reason 价格 --detail "对手报价低15%"      kehu lost szhr --to 金蝶
    """
    from kehu.book import funnel
    from kehu.errors import UsageError

    if why is not None and reason is not None:
        raise UsageError(_("give the reason once: as REASON or as --reason"))
    app = app_context(ctx)
    closed = funnel.lost(app.store(), customer, why or reason, today=app.today, now=app.now(), detail=detail,
                         to=to)  # fmt: skip
    if closed.rival:
        say(_("{name} lost to {rival} ({reason}); kept in the book").format(
            name=closed.customer, rival=closed.rival,
            reason=LOST_REASON.label(closed.lost_reason)))  # fmt: skip
    else:
        say(_("{name} lost ({reason}); kept in the book").format(
            name=closed.customer, reason=LOST_REASON.label(closed.lost_reason)))  # fmt: skip


def reopen(
    ctx: typer.Context,
    customer: CustomerArg,
    new_deal: Annotated[
        bool,
        typer.Option("--new-deal", help="Start the next purchase of a won customer, from the first stage."),
    ] = False,  # fmt: skip
) -> None:
    """Reopen a won or lost customer: back in the funnel in the stage it kept.

    --new-deal starts a won customer's next deal (repeat business) in the first stage,
    keeping the old deal's history, contracts and payments. Example:
    kehu reopen szhr      kehu reopen hzkj --new-deal
    """
    from kehu.book import funnel

    app = app_context(ctx)
    closed = funnel.reopen(app.store(), customer, today=app.today, now=app.now(), new_deal=new_deal)
    if new_deal:
        say(_("{name}: a new deal starts").format(name=closed.customer))
        return
    say(_("{name} reopened").format(name=closed.customer))


def qualify(
    ctx: typer.Context,
    customer: CustomerArg,
    need: Annotated[str | None, answer_option("{label:question.need}: {words:answer}.")] = None,
    timetable: Annotated[str | None, answer_option("{label:question.timetable}.")] = None,
    budget: Annotated[str | None, answer_option("{label:question.budget}.")] = None,
    can_win: Annotated[str | None, answer_option("{label:question.can_win}.")] = None,
    worth_it: Annotated[str | None, answer_option("{label:question.worth_it}.")] = None,
    our_strength: Annotated[str | None, answer_option("{label:question.our_strength}.")] = None,
    fmt: FormatOption = None,
    labels: LabelsOption = False,
) -> None:
    """Record the answers to the six qualification questions, then print all six, and the
    result of the customer's latest credit check beside them (kehu credit).

    Example: kehu qualify hnkj --need 是 --budget 是 --timetable 不确定
    """
    from kehu.book import credit
    from kehu.domain.credit import VERDICT

    app = app_context(ctx)
    both = credit.qualify(app.store(), customer, now=app.now(), need=need, timetable=timetable,
                          budget=budget, can_win=can_win, worth_it=worth_it,
                          our_strength=our_strength)  # fmt: skip
    known, standing = both.qualification, both.credit
    rows = [{"question": k, "key": k, "answer": v} for k, v in known.answers.items()]
    print_records_or_note(rows, QUALIFICATION_FIELDS, fmt, "", title=known.customer, labels=labels)
    if standing.check is None:
        say(_("credit: not checked yet (kehu credit)"))
    else:
        say(_("credit: {result}, checked {day} (kehu credit)").format(
            result=VERDICT.label(standing.result), day=standing.check["checked_on"].isoformat()))  # fmt: skip


def stages(
    ctx: typer.Context, customer: CustomerArg, fmt: FormatOption = None, labels: LabelsOption = False
) -> None:
    """A customer's moves through the funnel, newest first.

    Example: kehu stages hnkj
    """
    from kehu.book import funnel

    history = funnel.stage_history(app_context(ctx).store(), customer)
    empty = _("{name} has not moved through the funnel yet").format(name=history.customer)
    fields = history_fields(history.stages)
    # At 80 columns the evidence wraps; the stage left goes before it (the row above shows it).
    print_records_or_note(history.moves, fields, fmt, empty, title=history.customer, labels=labels,
                          priority=("changed_on", "to_stage", "evidence", "event", "from_stage"))  # fmt: skip


def register(app: typer.Typer) -> None:
    for command in (advance, won, lost, reopen, qualify, stages):
        app.command(command.__name__)(command)
