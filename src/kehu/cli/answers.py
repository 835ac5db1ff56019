"""The stage's questions (推进问题): answer one, list them with their answers."""

from typing import Annotated

import typer

from kehu.cli.common import FormatOption, LabelsOption, app_context, chosen_format, print_records_or_note, say
from kehu.cli.params import CustomerArg, complete_stage
from kehu.domain.fields import Field
from kehu.domain.vocabulary import Vocabulary
from kehu.i18n import _

StageOption = Annotated[
    str | None,
    typer.Option("--stage", "-s", help="A stage of the customer's pipeline (default: its current one); "
                 "key, name or number.", autocompletion=complete_stage),
]  # fmt: skip


def answer_fields(questions: Vocabulary, *, table: bool, words: bool) -> tuple[Field, ...]:
    """A stage's questions and answers: the question by its number, and in words where words are
    shown (a table, --labels); CSV/JSON begin with the stage's key (a table has it in its title)."""
    return (
        *(() if table else (Field("stage", "阶段", "stage"),)),
        Field("question", "编号", "no.", "count"),
        *((Field("asked", "问题", "question", "choice", questions),) if words else ()),
        Field("answer", "回答", "answer"),
        Field("answered_on", "日期", "day", "date"),
    )


def answer(
    ctx: typer.Context,
    customer: CustomerArg,
    number: Annotated[
        int, typer.Argument(help="The question's number in the stage (kehu answers lists them).", min=1)
    ],
    text: Annotated[str, typer.Argument(help="The answer.")],
    stage: StageOption = None,
) -> None:
    """Answer one of the questions of the customer's stage; answering again replaces it.

    Example: kehu answer hnkj 2 "王总已批预算，年底前立项"
    """
    from kehu.book import answers

    app = app_context(ctx)
    done = answers.answer(app.store(), customer, number, text, today=app.today, now=app.now(), stage=stage)
    message = _("{name}: answer {number} of {stage} replaced") if done.replaced else _(
        "{name}: answer {number} of {stage} recorded")  # fmt: skip
    say(message.format(name=done.customer, number=done.question, stage=done.stage.label))


def answers(
    ctx: typer.Context,
    customer: CustomerArg,
    stage: StageOption = None,
    fmt: FormatOption = None,
    labels: LabelsOption = False,
) -> None:
    """The questions of the customer's stage, each with its answer.

    Example: kehu answers hnkj --stage 挖掘需求
    """
    from kehu.book import answers as book

    found = book.stage_questions(app_context(ctx).store(), customer, stage)
    title = f"{found.customer} · {found.stage.label}"
    empty = _("{stage} has no questions").format(stage=found.stage.label)
    table = chosen_format(fmt) == "table"
    fields = answer_fields(found.questions, table=table, words=table or labels)
    print_records_or_note(found.rows, fields, fmt, empty, title=title, labels=labels,
                          priority=("asked", "answer", "question", "answered_on"))  # fmt: skip


def register(app: typer.Typer) -> None:
    for command in (answer, answers):
        app.command(command.__name__)(command)
