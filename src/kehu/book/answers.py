"""The answers to a stage's questions (推进问题): `kehu answer`, `kehu answers`, the card's
stage section, and `kehu import|export answers`.

Each stage of a pipeline lists the questions a salesperson asks there (domain.stages); an answer
is kept per customer, pipeline, stage and question number, and answering again replaces it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from kehu.errors import UsageError
from kehu.i18n import _

if TYPE_CHECKING:
    from kehu.domain.stages import Pipeline, Stage
    from kehu.domain.vocabulary import Vocabulary
    from kehu.io.csv_in import RowError, Sheet
    from kehu.store.db import Store
    from kehu.store.sql import Connection, Row


@dataclass(frozen=True)
class Answered:
    """One question answered: which, and whether it replaced an earlier answer."""

    customer_id: int
    customer: str
    pipeline: Pipeline
    stage: Stage
    question: int
    replaced: bool


@dataclass(frozen=True)
class StageQuestions:
    """A stage's questions with a customer's answers: one row per question, in order (number,
    stage, question, answer, answered_on; no answer: None)."""

    customer_id: int
    customer: str
    pipeline: Pipeline
    stage: Stage
    rows: list[dict[str, Any]]
    questions: Vocabulary  # the stage's questions as words, their numbers as codes


def answer(
    store: Store,
    customer: str,
    number: int,
    text: str,
    *,
    today: date,
    now: datetime,
    stage: str | None = None,
) -> Answered:
    """Record the answer to question `number` (1-based) of the customer's current stage, or of
    `stage` (key, name or number) of its pipeline; an earlier answer to it is replaced."""
    from kehu.store import answers

    text = text.strip()
    if not text:
        raise UsageError(_("the answer is empty"))
    with store.write() as connection:
        card, pipeline, chosen = _stage_of(connection, customer, stage)
        _check_number(chosen, number)
        before = answers.answer_of(connection, card["id"], pipeline.key, chosen.key, number)
        answers.save_answer(connection, card["id"], pipeline=pipeline.key, stage=chosen.key, question=number,
                            answer=text, on=today, now=now)  # fmt: skip
    return Answered(card["id"], card["name"], pipeline, chosen, number, before is not None)


def stage_questions(store: Store, customer: str, stage: str | None = None) -> StageQuestions:
    """The questions of the customer's current stage (or of `stage`) with its answers."""
    with store.read() as connection:
        card, pipeline, chosen = _stage_of(connection, customer, stage, include_archived=True)
        rows = answered_questions(connection, card["id"], pipeline, chosen)
    from kehu.domain.stages import question_words

    return StageQuestions(card["id"], card["name"], pipeline, chosen, rows, question_words(chosen))


def answered_questions(
    connection: Connection, customer_id: int, pipeline: Pipeline, stage: Stage
) -> list[dict[str, Any]]:
    """A stage's questions, each with the customer's answer and its day (None: not answered),
    in the caller's transaction (the card reads them too)."""
    from kehu.store import answers

    given = answers.stage_answers(connection, customer_id, pipeline.key, stage.key)
    count = max(len(stage.questions_zh), len(stage.questions_en))
    return [
        {"stage": stage.key, "question": number, "asked": str(number),
         "answer": given[number]["answer"] if number in given else None,
         "answered_on": given[number]["answered_on"] if number in given else None}
        for number in range(1, count + 1)
    ]  # fmt: skip


def _stage_of(
    connection: Connection, customer: str, stage: str | None, *, include_archived: bool = False
) -> tuple[Row, Pipeline, Stage]:
    from kehu.book.funnel import pipeline_key_of
    from kehu.io.pipeline_files import get_pipeline
    from kehu.store.funnel import funnel_state
    from kehu.store.lookup import resolve_customer

    card = resolve_customer(connection, customer, include_archived=include_archived)
    state = funnel_state(connection, card["id"])
    pipeline = get_pipeline(pipeline_key_of(connection, state))
    if stage is None and not state["stage"]:
        raise UsageError(_("{name} is in no stage yet: name one with --stage").format(name=card["name"]))
    try:
        return card, pipeline, pipeline.stage(stage or state["stage"])
    except ValueError as error:
        raise UsageError(str(error)) from None


def _check_number(stage: Stage, number: int) -> None:
    count = max(len(stage.questions_zh), len(stage.questions_en))
    if not 1 <= number <= count:
        raise UsageError(_("{stage} has questions 1 to {count}, not {number}").format(
            stage=stage.label, count=count, number=number) if count else
            _("{stage} has no questions").format(stage=stage.label))  # fmt: skip


# --- import: kehu import answers ----------------------------------------------------------


@dataclass
class AnswersImport:
    """What an answers file does: the answers to write (last one per question) and its counts."""

    rows: dict[tuple[int, str, str, int], dict[str, Any]] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0


def write_answers(
    connection: Connection,
    sheet: Sheet,
    *,
    on_conflict: str = "update",
    today: date,
    now: datetime,
    write: bool = True,
    progress: Callable[[int], None] | None = None,
    **_unused: Any,  # answers have no owner and move no follow-up
) -> AnswersImport:
    """Check an answers file against the book (each row's customer by exact name, its pipeline
    and stage, the question's number, no day in the future), then write it: an answer already
    given to a question is replaced (on_conflict update), kept (skip) or refuses the file
    (error). Raises book.cards.Refused, writing nothing, on any bad row."""
    from kehu.book.cards import Refused
    from kehu.book.funnel import pipeline_key_of
    from kehu.domain.names import name_key
    from kehu.io.csv_in import RowError
    from kehu.io.pipeline_files import all_pipelines
    from kehu.store import answers
    from kehu.store import customers as customer_store
    from kehu.store.funnel import funnel_state

    parsed = sheet.read_all(progress)
    plan = AnswersImport(errors=list(parsed.errors))
    pipelines = all_pipelines()
    keys = {name_key(r.values["customer"]) for r in parsed.rows if r.values.get("customer")}
    customer_ids = customer_store.ids_by_name_key(connection, keys)
    for row in parsed.rows:
        values = row.values
        if not values.get("customer") or values.get("question") is None or not values.get("answer") \
                or not values.get("stage"):  # fmt: skip
            continue  # already reported as a missing required value
        customer_id = customer_ids.get(name_key(values["customer"]))
        if customer_id is None:
            plan.errors.append(RowError(row.line, "", _("no customer named {name!r}").format(
                name=values["customer"])))  # fmt: skip
            continue
        pipeline_key = values.get("pipeline") or pipeline_key_of(
            connection, funnel_state(connection, customer_id)
        )
        pipeline = pipelines.get(pipeline_key)
        if pipeline is None:
            unknown = _("unknown pipeline {name!r}").format(name=pipeline_key)
            plan.errors.append(RowError(row.line, sheet.column("pipeline"), unknown))
            continue
        try:
            stage = pipeline.stage(values["stage"])
            _check_number(stage, values["question"])
        except (ValueError, UsageError) as error:
            plan.errors.append(RowError(row.line, "", getattr(error, "message", str(error))))
            continue
        day = values.get("answered_on") or today
        if day > today:
            plan.errors.append(
                RowError(row.line, sheet.column("answered_on"), _("an answer cannot be in the future"))
            )
            continue
        key = (customer_id, pipeline.key, stage.key, values["question"])
        plan.rows[key] = {"customer_id": customer_id, "pipeline": pipeline.key, "stage": stage.key,
                          "question": values["question"], "answer": values["answer"].strip(),
                          "answered_on": day, "line": row.line}  # fmt: skip
    writes = []
    for (customer_id, pipeline_key, stage_key, number), new in plan.rows.items():
        given = answers.stage_answers(connection, customer_id, pipeline_key, stage_key).get(number)
        if given is None:
            plan.added += 1
        elif given["answer"] == new["answer"] and given["answered_on"] == new["answered_on"]:
            plan.unchanged += 1
            continue
        elif on_conflict == "skip":
            plan.skipped += 1
            continue
        elif on_conflict == "error":
            plan.errors.append(RowError(new["line"], "", _("question {number} of {stage} is already answered")
                                        .format(number=number, stage=stage_key)))  # fmt: skip
            continue
        else:
            plan.updated += 1
        writes.append({k: v for k, v in new.items() if k != "line"})
    if plan.errors:
        raise Refused(plan.errors)
    if write:
        answers.save_answers(connection, writes, now)
    return plan
