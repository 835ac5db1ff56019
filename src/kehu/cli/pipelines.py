"""`kehu pipeline list|show|use`: the funnels a customer can move through."""

from pathlib import Path
from typing import Annotated

import typer

from kehu.cli.common import FormatOption, app_context, print_records, say
from kehu.domain.fields import Field
from kehu.errors import UsageError
from kehu.i18n import _

app = typer.Typer(no_args_is_help=True)

LIST_FIELDS = (
    Field("key", "代码", "key"), Field("name", "名称", "name"), Field("stages", "阶段数", "stages", "count"),
    Field("default", "默认", "default"), Field("origin", "来源", "origin"),
)  # fmt: skip
STAGE_FIELDS = (
    Field("number", "序号", "#", "count"), Field("key", "代码", "key"), Field("name", "阶段", "stage"),
    Field("probability", "赢率", "win probability"), Field("end_marker", "结束标志", "end marker"),
    Field("questions", "推进问题", "questions"),
    Field("max_idle_days", "最长停留天数", "max idle days", "count"),
)  # fmt: skip
FileOption = Annotated[Path | None, typer.Option("--file", help="A pipeline TOML file instead of a name.")]


@app.command("list")
def list_pipelines(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """The built-in pipelines and yours (<config dir>/kehu/pipelines/*.toml).

    Example: kehu pipeline list
    """
    from kehu.book.funnel import default_pipeline_key
    from kehu.io.pipeline_files import all_pipelines

    default = default_pipeline_key(app_context(ctx).store())
    rows = [{"key": p.key, "name": p.label, "stages": len(p.stages),
             "default": "*" if p.key == default else "",
             "origin": _("built-in") if p.builtin else _("yours")}
            for p in all_pipelines().values()]  # fmt: skip
    print_records(rows, LIST_FIELDS, fmt)


@app.command("show")
def show_pipeline(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="Pipeline key (default: the book's).")] = None,
    file: FileOption = None,
    fmt: FormatOption = None,
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
    rows = [{"number": n, "key": s.key, "name": s.label, "probability": f"{s.probability:.0%}",
             "end_marker": s.end_marker, "questions": " / ".join(s.questions),
             "max_idle_days": s.max_idle_days}
            for n, s in enumerate(pipeline.stages, 1)]  # fmt: skip
    print_records(rows, STAGE_FIELDS, fmt, title=pipeline.label)


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
