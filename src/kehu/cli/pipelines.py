"""`kehu pipeline list|show|use`: the funnels a customer can move through."""

from pathlib import Path
from typing import Annotated

import typer

from kehu.cli.common import FormatOption, LabelsOption, app_context, chosen_format, print_records, say
from kehu.domain.fields import Field
from kehu.domain.vocabulary import Choice, Vocabulary
from kehu.errors import UsageError
from kehu.i18n import _

app = typer.Typer(no_args_is_help=True)

ORIGIN = Vocabulary("origin", (Choice("builtin", "内置", "built-in"), Choice("yours", "自定义", "yours")))
LIST_FIELDS = (
    Field("key", "代码", "key"), Field("name", "名称", "name"), Field("stages", "阶段数", "stages", "count"),
    Field("default", "默认", "default"), Field("origin", "来源", "origin", "choice", ORIGIN),
)  # fmt: skip
STAGE_FIELDS = (
    Field("number", "序号", "#", "count"), Field("key", "代码", "key"), Field("name", "阶段", "stage"),
    Field("probability", "赢率", "win probability"), Field("end_marker", "结束标志", "end marker"),
    Field("questions", "推进问题", "questions"),
    Field("max_idle_days", "最长停留天数", "max idle days", "count"),
)  # fmt: skip
# Data (CSV, JSON) is the same in every interface language: a pipeline's texts in both languages,
# a column each, the default a flag, the origin and probabilities as codes and numbers.
LIST_DATA_FIELDS = (
    Field("key", "代码", "key"), Field("name_zh", "中文名称", "Chinese name"),
    Field("name_en", "英文名称", "English name"), Field("stages", "阶段数", "stages", "count"),
    Field("default", "默认", "default", "flag"), Field("origin", "来源", "origin", "choice", ORIGIN),
)  # fmt: skip
STAGE_DATA_FIELDS = (
    Field("number", "序号", "#", "count"), Field("key", "代码", "key"),
    Field("name_zh", "中文名称", "Chinese name"), Field("name_en", "英文名称", "English name"),
    Field("probability", "赢率", "win probability", "number"),
    Field("end_marker_zh", "结束标志（中文）", "end marker (Chinese)"),
    Field("end_marker_en", "结束标志（英文）", "end marker (English)"),
    Field("questions_zh", "推进问题（中文）", "questions (Chinese)"),
    Field("questions_en", "推进问题（英文）", "questions (English)"),
    Field("max_idle_days", "最长停留天数", "max idle days", "count"),
)  # fmt: skip
FileOption = Annotated[Path | None, typer.Option("--file", help="A pipeline TOML file instead of a name.")]


@app.command("list")
def list_pipelines(ctx: typer.Context, fmt: FormatOption = None, labels: LabelsOption = False) -> None:
    """The built-in pipelines and yours (<config dir>/kehu/pipelines/*.toml).

    Example: kehu pipeline list
    """
    from kehu.book.funnel import default_pipeline_key
    from kehu.io.pipeline_files import all_pipelines

    default = default_pipeline_key(app_context(ctx).store())
    table = chosen_format(fmt) == "table"
    rows = [{"key": p.key, "name": p.label, "name_zh": p.zh, "name_en": p.en, "stages": len(p.stages),
             "default": ("*" if p.key == default else "") if table else p.key == default,
             "origin": "builtin" if p.builtin else "yours"}
            for p in all_pipelines().values()]  # fmt: skip
    print_records(rows, LIST_FIELDS if table else LIST_DATA_FIELDS, fmt, labels=labels)


@app.command("show")
def show_pipeline(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="Pipeline key (default: the book's).")] = None,
    file: FileOption = None,
    fmt: FormatOption = None,
    labels: LabelsOption = False,
) -> None:
    """A pipeline's stages: win probability, end marker, questions to ask, idle limit.

    Example: kehu pipeline show key-account      kehu pipeline show --file 我的漏斗.toml
    """
    from kehu.book.funnel import default_pipeline
    from kehu.io.pipeline_files import get_pipeline, read_pipeline_file

    if file is not None:
        pipeline = read_pipeline_file(file)
    elif name is not None:
        pipeline = get_pipeline(name)
    else:
        pipeline = default_pipeline(app_context(ctx).store())
    table = chosen_format(fmt) == "table"
    rows = [{"number": n, "key": s.key, "name": s.label, "name_zh": s.zh, "name_en": s.en,
             "probability": f"{s.probability:.0%}" if table else s.probability,
             "end_marker": s.end_marker, "end_marker_zh": s.end_marker_zh, "end_marker_en": s.end_marker_en,
             "questions": " / ".join(s.questions), "questions_zh": " / ".join(s.questions_zh),
             "questions_en": " / ".join(s.questions_en), "max_idle_days": s.max_idle_days}
            for n, s in enumerate(pipeline.stages, 1)]  # fmt: skip
    fields = STAGE_FIELDS if table else STAGE_DATA_FIELDS
    print_records(rows, fields, fmt, title=pipeline.label, labels=labels)


@app.command("use")
def use_pipeline(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="Pipeline key.")] = None,
    file: FileOption = None,
) -> None:
    """Make a pipeline the one new customers start in (existing customers keep theirs).

    With --file, the TOML file is checked and copied to your pipelines folder first. Example:
    kehu pipeline use consultative      kehu pipeline use --file 我的漏斗.toml
    """
    from kehu.book.funnel import use_pipeline

    if (name is None) == (file is None):
        raise UsageError(_("give a pipeline name or --file"))
    pipeline = use_pipeline(app_context(ctx).store(), file if file is not None else name)
    say(_("new customers now start in {name}").format(name=pipeline.label))


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="pipeline", help="The funnels: list, show, use.")
