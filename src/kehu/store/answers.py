"""The answers to a stage's questions (推进问题) in the store: table stage_answer."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kehu.store.sql import Connection, Row

# One answer per question of a customer's stage: answering again replaces it. Both SQLite
# (3.24+) and PostgreSQL upsert with ON CONFLICT on the unique constraint's columns.
SAVE_ANSWER = (
    "INSERT INTO stage_answer (customer_id, pipeline, stage, question, answer, answered_on, created_at, "
    "updated_at) VALUES (:customer_id, :pipeline, :stage, :question, :answer, :answered_on, :now, :now) "
    "ON CONFLICT (customer_id, pipeline, stage, question) DO UPDATE SET answer = excluded.answer, "
    "answered_on = excluded.answered_on, updated_at = excluded.updated_at"
)
STAGE_ANSWERS = (
    "SELECT question, answer, answered_on, updated_at FROM stage_answer WHERE customer_id = :customer_id "
    "AND pipeline = :pipeline AND stage = :stage ORDER BY question"
)
ANSWER_OF = (
    "SELECT answer FROM stage_answer WHERE customer_id = :customer_id AND pipeline = :pipeline "
    "AND stage = :stage AND question = :question"
)
# Every answer with its customer's name, as `kehu export answers` writes them.
ALL_ANSWERS = (
    "SELECT customer.name AS customer, a.pipeline, a.stage, a.question, a.answer, a.answered_on "
    "FROM stage_answer a JOIN customer ON customer.id = a.customer_id "
    "ORDER BY a.customer_id, a.pipeline, a.stage, a.question"
)
COUNT_ANSWERS = "SELECT COUNT(*) FROM stage_answer"


def answer_of(
    connection: Connection, customer_id: int, pipeline: str, stage: str, question: int
) -> str | None:
    """The answer given to one question, or None."""
    params = {"customer_id": customer_id, "pipeline": pipeline, "stage": stage, "question": question}
    return connection.execute(ANSWER_OF, params).scalar()


def save_answers(connection: Connection, answers: Iterable[dict[str, Any]], now: datetime) -> None:
    """Store answers (customer_id, pipeline, stage, question, answer, answered_on), each
    replacing the one its question had."""
    connection.execute_many(SAVE_ANSWER, ({**answer, "now": now} for answer in answers))


def save_answer(
    connection: Connection,
    customer_id: int,
    *,
    pipeline: str,
    stage: str,
    question: int,
    answer: str,
    on: date,
    now: datetime,
) -> None:
    save_answers(connection, [{"customer_id": customer_id, "pipeline": pipeline, "stage": stage,
                               "question": question, "answer": answer, "answered_on": on}], now)  # fmt: skip


def stage_answers(connection: Connection, customer_id: int, pipeline: str, stage: str) -> dict[int, Row]:
    """The answers given in one stage of a customer, by question number."""
    params = {"customer_id": customer_id, "pipeline": pipeline, "stage": stage}
    return {row["question"]: row for row in connection.execute(STAGE_ANSWERS, params)}


def all_answers(connection: Connection) -> Iterator[Row]:
    """Every answer (that the user may see), by customer, pipeline, stage and question."""
    yield from connection.execute(ALL_ANSWERS)


def count_answers(connection: Connection) -> int:
    return connection.execute(COUNT_ANSWERS).scalar()
