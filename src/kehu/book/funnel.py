"""The funnel (销售漏斗): advance with evidence or back with a reason, won, lost, reopen,
qualification, the stages a customer went through, and the pipeline new customers start in.

Every move is kept as a stage_change row (its event: advance, back, won, lost, reopen, new_deal;
a payment that settles the last contract adds `collected`, book.contracts, and moves a won
customer on to the after-sale stage 维护). A customer is never
deleted by the funnel: lost keeps its stage and stays in the book until reopened.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kehu.domain.vocabulary import Choice, Vocabulary
from kehu.errors import Conflict, UsageError
from kehu.i18n import _, is_chinese

if TYPE_CHECKING:
    from kehu.domain.stages import Pipeline, Stage
    from kehu.store.db import Store
    from kehu.store.sql import Connection


class EvidenceNeeded(UsageError):
    """Leaving `stage` needs its end marker met, and neither evidence nor a confirmation was
    given. Nothing was written: whoever can ask a person shows the marker (or the recorded need
    or proposal `offer` that may stand as the evidence), asks, and calls `advance` again with
    `confirmed=True` (or the offer as the evidence)."""

    def __init__(self, stage: Stage, kind: str | None = None, offer: str | None = None) -> None:
        if offer is None:
            message = _("leaving {stage} needs its end marker met: give --evidence "
                        "\"{marker}\" (or --yes)")  # fmt: skip
        elif kind == "need":
            message = _("leaving {stage} needs its end marker met: the recorded need \"{offer}\" can be "
                        "the evidence: give --yes to use it, or --evidence \"{marker}\"")  # fmt: skip
        else:
            message = _("leaving {stage} needs its end marker met: the proposal \"{offer}\" can be the "
                        "evidence: give --yes to use it, or --evidence \"{marker}\"")  # fmt: skip
        super().__init__(message.format(stage=stage.label, marker=stage.end_marker, offer=offer))
        self.stage = stage
        self.kind = kind
        self.offer = offer


# --- the pipeline a book starts customers in ------------------------------------------------


def book_pipeline(connection: Connection) -> Pipeline:
    """The pipeline new customers start in: the book's choice (`kehu pipeline use`), else the
    six-step key-account one."""
    from kehu.io.pipeline_files import get_pipeline
    from kehu.store.funnel import default_pipeline_key

    return get_pipeline(default_pipeline_key(connection))


def entry_values(connection: Connection, today: date) -> dict[str, Any]:
    """What a new customer's card holds on entering the book's pipeline: its first stage, from
    today. `kehu add` and `kehu import customers` both write it with the card."""
    pipeline = book_pipeline(connection)
    return {"pipeline": pipeline.key, "stage": pipeline.stages[0].key, "stage_since": today}


def default_pipeline_key(store: Store) -> str:
    """The key of the pipeline new customers start in (a user's pipeline file may since have
    been removed: listing the pipelines must not fail on it)."""
    from kehu.store.funnel import default_pipeline_key as stored_key

    with store.read() as connection:
        return stored_key(connection)


def default_pipeline(store: Store) -> Pipeline:
    """The book's pipeline for new customers (see book_pipeline)."""
    with store.read() as connection:
        return book_pipeline(connection)


def use_pipeline(store: Store, pipeline: str | Path) -> Pipeline:
    """Make a pipeline the one new customers start in: a key, or a TOML file (a Path), checked
    and copied to the pipelines folder. Customers already in one keep theirs."""
    from kehu.io.pipeline_files import get_pipeline, install_pipeline_file
    from kehu.store.funnel import set_default_pipeline

    chosen = install_pipeline_file(pipeline) if isinstance(pipeline, Path) else get_pipeline(pipeline)
    with store.write() as connection:
        set_default_pipeline(connection, chosen.key)
    return chosen


# --- moves -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Moved:
    """A customer moved to another stage: forward (event `advance`, or `skipped` for a stage
    passed without evidence) or back (event `back`)."""

    customer_id: int
    customer: str
    pipeline: Pipeline
    from_stage: Stage | None  # None: the customer was in no stage yet
    to_stage: Stage
    event: str  # advance | back | skipped (the last stage passed was skipped)
    unqualified: list[str] = field(default_factory=list)  # question keys answered "no" (a warning)
    passed: tuple[Stage, ...] = ()  # forward: every stage left, in order (one row each)
    skipped: tuple[Stage, ...] = ()  # those of them left without evidence (--skip-evidence)
    offered: str | None = None  # the recorded need or proposal taken as the evidence
    trust_gaps: list[str] = field(default_factory=list)  # 建立信任 passed short of its marker (a warning)


class StagesNeedEvidence(UsageError):
    """A move past several stages was given the evidence of fewer of them, and no
    --skip-evidence. Nothing was written."""

    def __init__(self, current: Stage, target: Stage, missing: list[Stage], count: int) -> None:
        names = ("、" if is_chinese() else ", ").join(stage.label for stage in missing)
        super().__init__(_("moving from {from_} to {to} passes {count} stages: give --evidence once for "
                           "each, in order, or --skip-evidence; still without evidence: {stages}").format(
            from_=current.label, to=target.label, count=count, stages=names))  # fmt: skip
        self.missing = missing


def advance(
    store: Store,
    customer: str,
    stage: str | None = None,
    *,
    today: date,
    now: datetime,
    evidence: str | Sequence[str] | None = None,
    confirmed: bool = False,
    reason: str | None = None,
    skip_evidence: bool = False,
    offered: bool = True,
) -> Moved:
    """Move a customer to `stage` (key, name or number) or, without one, to the next stage.

    Forward, each stage left must have its end marker met, and each is kept as a move of its
    own. Leaving one stage: `evidence` says how, or `confirmed` says a person was shown the
    marker and agreed; leaving a needs or a value stage (domain.stages.leaving_asks),
    `confirmed` takes the recorded need or proposal as the evidence (unless `offered` is
    False), and without either EvidenceNeeded names it. Passing several stages needs one
    evidence each (a list, in order; fewer stand for the last stages passed), else
    StagesNeedEvidence; `skip_evidence` passes those without evidence as `skipped` moves.
    Passing 建立信任 short of its marker (a decision maker below 信赖) is a warning. Back (to an
    earlier stage) needs a `reason`, kept as the move's evidence. A lost customer moves only
    once reopened.
    """
    from kehu.domain.stages import TRUST, leaving_asks, trust_gaps
    from kehu.store import funnel
    from kehu.store.lookup import resolve_customer

    evidences = [evidence] if isinstance(evidence, str) else [e for e in evidence or () if e]
    with store.write() as connection:
        card = resolve_customer(connection, customer)
        state = funnel.funnel_state(connection, card["id"])
        if state["status"] == "lost":
            raise Conflict(_("{name} is lost; kehu reopen it first").format(name=card["name"]))
        pipeline = _pipeline_of(connection, state)
        current = pipeline.stage(state["stage"]) if state["stage"] else None
        try:
            if stage:
                target = pipeline.stage(stage)
            else:
                target = pipeline.next_stage(current.key) if current else pipeline.stages[0]
        except ValueError as error:
            raise UsageError(str(error)) from None
        if target is None:
            if state["status"] == "won":
                raise Conflict(_("{name} is in {stage}: kehu reopen --new-deal starts its next deal").format(
                    name=card["name"], stage=current.label))  # fmt: skip
            raise Conflict(_("{name} is already in the last stage ({stage})").format(
                name=card["name"], stage=current.label))  # fmt: skip
        if current is not None and target.key == current.key:
            raise Conflict(_("{name} is already in {stage}").format(name=card["name"], stage=current.label))
        backwards = current is not None and pipeline.index(target.key) < pipeline.index(current.key)
        if backwards:
            if not reason:
                raise UsageError(_("moving back from {from_} to {to} needs --reason").format(
                    from_=current.label, to=target.label))  # fmt: skip
            funnel.move(connection, card["id"], pipeline=pipeline.key, from_stage=current.key,
                        to_stage=target.key, event="back", on=today, evidence=reason, now=now,
                        changes={"pipeline": pipeline.key})  # fmt: skip
            return Moved(card["id"], card["name"], pipeline, current, target, "back")
        passed = pipeline.stages[pipeline.index(current.key) : pipeline.index(target.key)] if current else ()
        if len(evidences) > max(len(passed), 1):
            raise UsageError(_("{count} --evidence given for {stages} stages passed").format(
                count=len(evidences), stages=len(passed)))  # fmt: skip
        taken = None
        if len(passed) == 1 and not evidences and not skip_evidence:
            offer = _offer(connection, card["id"], leaving_asks(current))
            if confirmed and offered and offer is not None:
                evidences = taken = [offer[1]]
            elif not confirmed:
                raise EvidenceNeeded(current, *(offer or (None, None)))
        elif len(passed) > 1 and len(evidences) < len(passed) and not skip_evidence:
            missing = list(passed[: len(passed) - len(evidences)])
            raise StagesNeedEvidence(current, target, missing, len(passed))
        # The evidence given stands for the last stages passed; the others, skipped or confirmed.
        unproven = len(passed) - len(evidences)
        plan = [(left, evidences[i - unproven] if i >= unproven else None,
                 "skipped" if i < unproven and skip_evidence else "advance")
                for i, left in enumerate(passed)]  # fmt: skip
        # DOMAIN §5: a customer who fails a qualification question is kept in touch with, not
        # pushed on; moving forward anyway is allowed, with a warning.
        unqualified = _answered_no(connection, card["id"])
        gaps: list[str] = []
        if any(leaving_asks(left) == TRUST for left in passed):
            gaps = trust_gaps(dict(row) for row in funnel.key_people(connection, card["id"]))
        if current is None:
            plan = [(None, evidences[0] if evidences else None, "advance")]
        for position, (left, said, event) in enumerate(plan):
            to = passed[position + 1] if position + 1 < len(passed) else target
            funnel.move(connection, card["id"], pipeline=pipeline.key,
                        from_stage=left.key if left else None, to_stage=to.key, event=event,
                        on=today, evidence=said, now=now, changes={"pipeline": pipeline.key})  # fmt: skip
    skipped = tuple(left for left, _said, event in plan if event == "skipped")
    return Moved(card["id"], card["name"], pipeline, current, target, plan[-1][2], unqualified,
                 tuple(passed), skipped, taken[0] if taken else None, gaps)  # fmt: skip


def _offer(connection: Connection, customer_id: int, asks: str | None) -> tuple[str, str] | None:
    """What may stand as the evidence of leaving a stage that asks for a need or a proposal:
    (NEED or PROPOSAL, the text kept as the evidence), or None."""
    from kehu.domain.stages import NEED, PROPOSAL
    from kehu.store import funnel

    if asks == NEED:
        need = funnel.offered_need(connection, customer_id)
        return (NEED, need["description"]) if need else None
    if asks == PROPOSAL:
        proposal = funnel.offered_proposal(connection, customer_id)
        return (PROPOSAL, f"{proposal['title']} v{proposal['version']}") if proposal else None
    return None


def signing_stage(pipeline: Pipeline) -> Stage:
    """The stage a contract is signed in (赢取承诺, 促成成交, 承诺): the one before the first
    stage at 100%, where `won` moves a customer on to collect; else the last stage."""
    for position, stage in enumerate(pipeline.stages):
        if stage.probability >= 1.0:
            return pipeline.stages[max(position - 1, 0)]
    return pipeline.stages[-1]


def _pipeline_of(connection: Connection, state: dict[str, Any]) -> Pipeline:
    """The customer's pipeline, or the book's for a customer that entered none (imported
    before the funnel existed)."""
    from kehu.io.pipeline_files import get_pipeline

    return get_pipeline(state["pipeline"]) if state["pipeline"] else book_pipeline(connection)


def pipeline_key_of(connection: Connection, state: dict[str, Any]) -> str:
    """The pipeline a move of this customer is recorded in: its own, or the book's for a card
    that never entered one (every stage_change row names a pipeline)."""
    from kehu.store.funnel import default_pipeline_key

    return state["pipeline"] or default_pipeline_key(connection)


def _answered_no(connection: Connection, customer_id: int) -> list[str]:
    from kehu.store.funnel import qualification

    return [key for key, answer in qualification(connection, customer_id).items() if answer == "no"]


@dataclass(frozen=True)
class Closed:
    """A customer marked won or lost, or reopened."""

    customer_id: int
    customer: str
    status: str  # won | lost | open
    stage: str | None  # the stage it is in now
    won_value: Decimal | None = None
    lost_reason: str | None = None  # the reason's code (a configured word as written)
    rival: str | None = None  # lost: the rival that took the deal, as recorded at the customer


def won(
    store: Store, customer: str, *, today: date, now: datetime, value: Decimal | str | None = None
) -> Closed:
    """Mark a customer won (赢取承诺: the contract is signed) for `value` (a Decimal or text:
    118万; default: its expected value); it moves on to the first stage whose probability is
    100%, collecting the money."""
    from kehu.book.money import read_money
    from kehu.store import funnel
    from kehu.store.lookup import resolve_customer

    value = read_money("--amount", value) if value is not None else None
    with store.write() as connection:
        card = resolve_customer(connection, customer)
        state = funnel.funnel_state(connection, card["id"])
        if state["status"] == "won":
            raise Conflict(_("{name} is already won").format(name=card["name"]))
        pipeline = _pipeline_of(connection, state)
        # The after-sale stage (维护) comes once the money is in, not at signing.
        after = next((s for s in pipeline.stages[:-1] if s.probability >= 1.0), None)
        stage = after.key if after else state["stage"]
        worth = value if value is not None else state["expected_value"]
        funnel.move(connection, card["id"], pipeline=pipeline.key, from_stage=state["stage"], to_stage=stage,
                    event="won", on=today, evidence=None, now=now, changes={
                        "status": "won", "won_on": today, "pipeline": pipeline.key, "won_value": worth,
                        "lost_on": None, "lost_reason": None, "lost_detail": None})  # fmt: skip
        if state["status"] == "lost":  # won after all: no rival took the deal
            from kehu.book.rivals import reopened

            reopened(connection, card["id"], now)
    return Closed(card["id"], card["name"], "won", stage, won_value=worth)


def lost_reasons() -> Vocabulary:
    """Why a customer can be lost: kehu's list and the book's own words (`lost_reasons` in the
    config file)."""
    from kehu.domain.vocabulary import LOST_REASON

    return LOST_REASON.with_words(configured_lost_reasons())


def configured_lost_reasons() -> list[str]:
    """The lost reasons a user added in the config file (read only when one is needed)."""
    from kehu.config import load_settings

    return load_settings().get("lost_reasons", [])


def lost_reason_hint() -> str:
    """The line under an unknown lost reason: where more go."""
    return _("add more as lost_reasons in the config file; details go in --detail")


def lost(
    store: Store,
    customer: str,
    reason: str | None = None,
    *,
    today: date,
    now: datetime,
    detail: str | None = None,
    to: str | None = None,
) -> Closed:
    """Mark a customer lost for `reason` (a word of lost_reasons(), Chinese, English or code);
    it keeps its stage and stays in the book. `to` names the rival that took the deal (recorded
    at the customer if it was not; book.rivals.lost_to); without a reason it is `competitor`."""
    from kehu.book.rivals import lost_to
    from kehu.book.words import word_code
    from kehu.store import funnel
    from kehu.store.lookup import resolve_customer

    if not reason and not to:
        raise UsageError(_("say why: --reason (or --to RIVAL, lost to a competitor)"))
    code = word_code(lost_reasons(), "reason", reason, lost_reason_hint()) if reason else "competitor"
    with store.write() as connection:
        card = resolve_customer(connection, customer)
        state = funnel.funnel_state(connection, card["id"])
        if state["status"] == "lost":
            raise Conflict(_("{name} is already lost").format(name=card["name"]))
        closing = {"status": "lost", "lost_on": today, "lost_reason": code, "lost_detail": detail}
        funnel.move(connection, card["id"], pipeline=pipeline_key_of(connection, state),
                    from_stage=state["stage"], to_stage=state["stage"], event="lost", on=today,
                    evidence=detail, now=now, changes=closing)  # fmt: skip
        rival = lost_to(connection, card, to, day=today, now=now).name if to else None
    return Closed(card["id"], card["name"], "lost", state["stage"], lost_reason=code, rival=rival)


def reopen(
    store: Store, customer: str, *, today: date, now: datetime, new_deal: bool = False
) -> Closed:
    """Reopen a won or lost customer (archived ones too): back in the funnel in the stage it kept;
    no rival took its deal any more. `new_deal` starts the next purchase of a won customer
    instead (repeat business, 重复采购): open again in its pipeline's first stage, recorded as
    the event `new_deal`; the old deal's history, contracts and payments stay as they were (its
    won day and value too, until this deal is won)."""
    from kehu.book.rivals import reopened
    from kehu.store import funnel
    from kehu.store.lookup import resolve_customer

    with store.write() as connection:
        card = resolve_customer(connection, customer, include_archived=True)
        state = funnel.funnel_state(connection, card["id"])
        if new_deal:
            if state["status"] != "won":
                raise Conflict(_("{name} is not won: --new-deal starts the next deal of a won customer")
                               .format(name=card["name"]))  # fmt: skip
            pipeline = _pipeline_of(connection, state)
            first = pipeline.stages[0].key
            funnel.move(connection, card["id"], pipeline=pipeline.key, from_stage=state["stage"],
                        to_stage=first, event="new_deal", on=today, evidence=None, now=now,
                        changes={"status": "open", "pipeline": pipeline.key})  # fmt: skip
            return Closed(card["id"], card["name"], "open", first)
        if state["status"] == "open":
            raise Conflict(_("{name} is open already").format(name=card["name"]))
        funnel.move(connection, card["id"], pipeline=pipeline_key_of(connection, state),
                    from_stage=state["stage"], to_stage=state["stage"], event="reopen", on=today,
                    evidence=None, now=now, changes={"status": "open"})  # fmt: skip
        reopened(connection, card["id"], now)
    return Closed(card["id"], card["name"], "open", state["stage"])


def collected(connection: Connection, customer_id: int, *, paid_on: date, now: datetime) -> Stage | None:
    """All of a customer's money is in (回收账款 done), in the caller's transaction: the event
    `collected`, and a won customer moves on to its pipeline's after-sale stage (维护), where its
    touches follow its grade's cadence. Returns the stage it moved to, or None (an open customer
    paid early stays where it is, as does one already there)."""
    from kehu.store import funnel

    state = funnel.funnel_state(connection, customer_id)
    after_sale = _pipeline_of(connection, state).after_sale if state["status"] == "won" else None
    to_stage = after_sale.key if after_sale else state["stage"]
    funnel.move(connection, customer_id, pipeline=pipeline_key_of(connection, state),
                from_stage=state["stage"], to_stage=to_stage, event="collected", on=paid_on,
                evidence=None, now=now)  # fmt: skip
    return after_sale if to_stage != state["stage"] else None


# --- what is known about a customer's deal ---------------------------------------------------


@dataclass(frozen=True)
class Qualification:
    customer_id: int
    customer: str
    answers: dict[str, str]  # question key → yes | no | unknown, in QUALIFICATION_KEYS order


def qualify(
    store: Store,
    customer: str,
    *,
    now: datetime,
    need: str | None = None,
    timetable: str | None = None,
    budget: str | None = None,
    can_win: str | None = None,
    worth_it: str | None = None,
    our_strength: str | None = None,
) -> Qualification:
    """Record the qualification answers given (DOMAIN §5: yes/no/unknown, 是/否/不确定; None
    leaves an answer as it was) and return all six."""
    from kehu.store.lookup import resolve_customer

    given = qualification_given(need=need, timetable=timetable, budget=budget, can_win=can_win,
                                worth_it=worth_it, our_strength=our_strength)  # fmt: skip
    with store.write() if given else store.read() as connection:
        return record_qualification(connection, resolve_customer(connection, customer), given, now)


def qualification_given(**typed: str | None) -> dict[str, str]:
    """The answers given, by question (None: not given), as ANSWER codes; a word kehu does not
    know is a usage error naming the question. (book.credit.qualify reads them this way too.)"""
    from kehu.book.words import word_code
    from kehu.domain.vocabulary import ANSWER
    from kehu.store.funnel import QUALIFICATION_KEYS

    unknown = sorted(set(typed) - set(QUALIFICATION_KEYS))
    if unknown:
        raise TypeError(f"not a qualification question: {', '.join(unknown)}")
    return {key: word_code(ANSWER, key, text) for key, text in typed.items() if text is not None}


def record_qualification(
    connection: Connection, card: Mapping[str, Any], given: Mapping[str, str], now: datetime
) -> Qualification:
    """Save the answers `given` (qualification_given) over the customer's others, then return all
    six: the one write rule of `kehu qualify`, inside the caller's transaction (a read one when
    nothing is given)."""
    from kehu.store import funnel

    if given:
        current = funnel.qualification(connection, card["id"])
        funnel.save_qualification(connection, card["id"], {**current, **given}, now)
    return Qualification(card["id"], card["name"], funnel.qualification(connection, card["id"]))


@dataclass(frozen=True)
class StageHistory:
    customer_id: int
    customer: str
    moves: list[dict[str, Any]]  # newest first: changed_on, event, from_stage, to_stage, evidence, …
    stages: Vocabulary  # the stages of the pipelines the moves went through, to name them in words


def stage_history(store: Store, customer: str) -> StageHistory:
    """A customer's moves through the funnel (archived customers too), newest first."""
    from kehu.store import funnel
    from kehu.store.lookup import resolve_customer

    with store.read() as connection:
        card = resolve_customer(connection, customer, include_archived=True)
        rows = [dict(row) for row in funnel.stage_history(connection, card["id"])]
    return StageHistory(card["id"], card["name"], rows, _stage_words(row["pipeline"] for row in rows))


def _stage_words(pipeline_keys: Iterable[str]) -> Vocabulary:
    """The stages of these pipelines as one word list (a pipeline since removed names none)."""
    from kehu.io.pipeline_files import all_pipelines

    pipelines = all_pipelines()
    choices = {}
    for key in dict.fromkeys(pipeline_keys):
        for stage in pipelines[key].stages if key in pipelines else ():
            choices.setdefault(stage.key, Choice(stage.key, stage.zh, stage.en))
    return Vocabulary("stage", tuple(choices.values()))
