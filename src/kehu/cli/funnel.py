"""The funnel (销售漏斗): advance with evidence, won, lost, reopen, qualify."""

from datetime import date
from typing import Annotated

import typer

from kehu.cli.common import FormatOption, app_context, print_records_or_note, say
from kehu.cli.customers import CustomerArg
from kehu.domain.fields import Field
from kehu.domain.vocabulary import ANSWERS
from kehu.errors import Conflict, UsageError
from kehu.i18n import _, is_chinese

QUESTIONS = {
    "need": ("客户需要产品", "the customer needs the product"),
    "timetable": ("有采购时间表", "there is a purchase timetable"),
    "budget": ("有客户预算", "there is a budget"),
    "can_win": ("我们能赢", "we can win"),
    "worth_it": ("值得投入", "it is worth the investment"),
    "our_strength": ("是我们的擅长", "it is our strength"),
}
LOST_REASONS = {
    "price": ("价格", "price"), "competitor": ("输给竞争对手", "lost to a competitor"),
    "no_budget": ("没有预算", "no budget"), "need_changed": ("需求变化", "need changed"),
    "relationship": ("关系不到位", "relationship"), "timing": ("时机不对", "timing"),
    "product_fit": ("产品不符", "product fit"), "no_decision": ("不了了之", "no decision"),
    "other": ("其他", "other"),
}  # fmt: skip
HISTORY_FIELDS = (
    Field("changed_on", "日期", "date", "date"),
    Field("event", "事件", "event"),
    Field("from_stage", "原阶段", "from"),
    Field("to_stage", "新阶段", "to"),
    Field("evidence", "依据/原因", "evidence / reason"),
)


def first_stage_values(connection, today: date) -> dict:
    """What a new customer's card holds on entering the book's default pipeline."""
    from kehu.io.pipeline_files import get_pipeline
    from kehu.store.funnel import default_pipeline_key

    pipeline = get_pipeline(default_pipeline_key(connection))
    return {"pipeline": pipeline.key, "stage": pipeline.stages[0].key, "stage_since": today}


def start_in_funnel(connection, ids: list[int], today: date) -> None:
    """New customers enter the first stage of the book's default pipeline."""
    from kehu.store.funnel import enter_funnel

    entry = first_stage_values(connection, today)
    enter_funnel(connection, ids, entry["pipeline"], entry["stage"], entry["stage_since"])


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
        words = "、".join(QUESTIONS[k][0] if is_chinese() else QUESTIONS[k][1] for k in noes)
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
    code = _lost_reason(reason)
    with app.store().write() as connection:
        card = resolve_customer(connection, customer)
        state = funnel.funnel_state(connection, card["id"])
        if state["status"] == "lost":
            raise Conflict(_("{name} is already lost").format(name=card["name"]))
        funnel.move(connection, card["id"], pipeline=state["pipeline"], from_stage=state["stage"],
                    to_stage=state["stage"], event="lost", on=app.today, evidence=detail, now=app.now(),
                    changes={"status": "lost", "lost_on": app.today, "lost_reason": code,
                             "lost_detail": detail})  # fmt: skip
    say(_("{name} lost ({reason}); kept in the book").format(name=card["name"], reason=reason))


def _lost_reason(text: str) -> str:
    """A reason from the built-in list or the config's `lost_reasons`, in Chinese or English."""
    from kehu.config import load_settings
    from kehu.domain.vocabulary import fold

    for code, (zh, en) in LOST_REASONS.items():
        if fold(text) in (fold(code), fold(zh), fold(en)):
            return code
    extra = load_settings().get("lost_reasons", [])
    if isinstance(extra, list) and any(fold(text) == fold(str(word)) for word in extra):
        return text.strip()
    words = [zh if is_chinese() else en for zh, en in LOST_REASONS.values()] + [str(w) for w in extra]
    raise UsageError(
        _(
            "unknown lost reason {text!r}; one of: {words} (add more as lost_reasons in the "
            "config file; details go in --detail)"
        ).format(text=text, words=", ".join(words))
    )


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
        str | None, typer.Option("--need", help="客户需要产品: yes/no/unknown (是/否/不确定).")
    ] = None,
    timetable: Annotated[str | None, typer.Option("--timetable", help="采购时间表.")] = None,
    budget: Annotated[str | None, typer.Option("--budget", help="客户预算.")] = None,
    can_win: Annotated[str | None, typer.Option("--can-win", help="是否能赢.")] = None,
    worth_it: Annotated[str | None, typer.Option("--worth-it", help="是否值得投入.")] = None,
    our_strength: Annotated[str | None, typer.Option("--our-strength", help="是否我们的擅长.")] = None,
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
    answers = {}
    for key, text in given.items():
        if text is None:
            continue
        if text.strip().lower() not in ANSWERS:
            raise UsageError(_("--{option}: answer yes, no or unknown (是/否/不确定), not {text!r}").format(
                option=key.replace("_", "-"), text=text))  # fmt: skip
        answers[key] = ANSWERS[text.strip().lower()]
    store = app.store()
    with store.write() if answers else store.read() as connection:
        card = resolve_customer(connection, customer)
        if answers:
            current = funnel.qualification(connection, card["id"])
            funnel.save_qualification(connection, card["id"], {**current, **answers}, app.now())
        result = funnel.qualification(connection, card["id"])
    rows = [{"question": QUESTIONS[k][0] if is_chinese() else QUESTIONS[k][1], "key": k, "answer": v}
            for k, v in result.items()]  # fmt: skip
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
