"""The `kehu` command: global options, the command groups, and the one error boundary.

Every KehuError raised anywhere below ends here as one line on stderr and its exit code; a
closed pipe (`kehu list | head -1`) ends quietly; nothing else ever shows a traceback unless
KEHU_DEBUG is set.
"""

from __future__ import annotations

import functools
import os
import sys
from datetime import date
from typing import Annotated

import typer
from typer import _click as click  # Typer's own copy of Click
from typer._click.exceptions import UsageError
from typer.core import TyperCommand, TyperGroup

from kehu import __version__
from kehu.cli.context import AppContext
from kehu.cli.localize import KehuContext, help_text, install_completion, localized, translate_tree
from kehu.errors import ExitCode, KehuError
from kehu.i18n import _, install_for_click, language


class KehuGroup(TyperGroup):
    """Typer's group with kehu's error boundary around every command it runs, and its commands
    loaded when they are asked for (COMMAND_MODULES), all in the interface language."""

    context_class = KehuContext

    def resolve_command(self, ctx: click.Context, args: list[str]):
        # Typer suggests from the commands it holds, and kehu's are loaded when asked for.
        try:
            return super().resolve_command(ctx, args)
        except UsageError as error:
            from difflib import get_close_matches

            matches = get_close_matches(args[0], list(COMMAND_MODULES)) if args else []
            if matches and "Did you mean" not in error.message:
                suggestions = ", ".join(repr(match) for match in matches)
                error.message = f"{error.message.rstrip('.')}. Did you mean {suggestions}?"
            raise

    def make_context(self, *args, **kwargs) -> click.Context:
        # Here, not when built: tools/update_catalogue.py reads the help as the code has it.
        translate_tree(self)
        for param in self.params:
            if param.name == "install_completion":
                param.callback = install_completion
        try:
            return super().make_context(*args, **kwargs)
        except click.ClickException as error:  # kehu's own options, before any command runs
            raise localized(error) from None

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMAND_MODULES)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module_name = COMMAND_MODULES.get(cmd_name)
        if module_name is None:
            return None
        if ctx.meta.get(_LISTING) and (listed := listed_command(cmd_name, language())) is not None:
            return listed
        return commands_of(module_name, language()).get(cmd_name)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # The list of commands shows each one's first paragraph only: COMMAND_SUMMARIES has it.
        ctx.meta[_LISTING] = True
        try:
            super().format_help(ctx, formatter)
        finally:
            del ctx.meta[_LISTING]

    def invoke(self, ctx: typer.Context):
        try:
            return self._invoke_retrying(ctx)
        except KehuError as error:
            from kehu.render.visible import visible_line

            # Messages quote names, cells and file names: none may reach the terminal raw.
            typer.echo(f"kehu: {visible_line(error.message)}", err=True)
            for line in error.details:  # each one line; their tabs are kehu's own layout
                typer.echo("\t".join(visible_line(part) for part in line.split("\t")), err=True)
            raise typer.Exit(int(error.exit_code)) from None
        except click.ClickException as error:  # a command's usage, in the interface language
            raise localized(error) from None
        except BrokenPipeError:
            _silence_stdout()
            raise typer.Exit(0) from None
        except KeyboardInterrupt:
            typer.echo(_("kehu: interrupted; nothing was written"), err=True)
            raise typer.Exit(130) from None
        except Exception as error:  # the last line of defence: one line, never a traceback
            if _is_cli_signal(error) or os.environ.get("KEHU_DEBUG"):
                raise
            typer.echo(
                _("kehu: internal error: {kind}: {error} (set KEHU_DEBUG=1 for details)").format(
                    kind=type(error).__name__, error=error
                ),
                err=True,
            )
            raise typer.Exit(int(ExitCode.ERROR)) from None
        finally:
            if isinstance(ctx.obj, AppContext):
                ctx.obj.close()

    def _invoke_retrying(self, ctx: typer.Context):
        """Run the command; when PostgreSQL failed its transaction because another changed the
        same rows at the same moment (nothing was written), run the whole command again, after a
        random pause that grows, a few times. Not when it read standard input: that is gone."""
        from kehu.cli import common
        from kehu.errors import TransactionConflict

        arguments = (list(ctx._protected_args), list(ctx.args))
        common.forget_stdin()
        attempt = 1
        while True:
            try:
                return super().invoke(ctx)
            except TransactionConflict:
                if attempt == CONFLICT_ATTEMPTS or common.stdin_was_read():
                    raise
                if isinstance(ctx.obj, AppContext):
                    ctx.obj.close()
                ctx._protected_args, ctx.args = list(arguments[0]), list(arguments[1])
                _pause(attempt)
                attempt += 1


CONFLICT_ATTEMPTS = 12
# Set in the context while the root's help lists the commands (KehuGroup.format_help).
_LISTING = "kehu.listing"


def _pause(attempt: int) -> None:
    import random
    import time

    # Jittered exponential backoff (10 ms, 20 ms, … up to 0.5 s): processes that collided once
    # should not collide again in step.
    time.sleep(random.uniform(0.5, 1.0) * min(0.5, 0.01 * 2 ** (attempt - 1)))


def _is_cli_signal(error: Exception) -> bool:
    """Typer's own exits and usage errors, which Typer itself reports (exit 2 for usage)."""
    return isinstance(error, (typer.Exit, typer.Abort)) or type(error).__module__.startswith(
        ("typer", "click")
    )


def _has_undecodable_bytes(argument: str) -> bool:
    # Python hands bytes that are not UTF-8 over as lone surrogates (U+DC80-U+DCFF); the
    # database driver would fail on them deep inside a command.
    try:
        argument.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _silence_stdout() -> None:
    # The reader went away: point stdout at /dev/null so the interpreter's final flush is quiet.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


app = typer.Typer(
    cls=KehuGroup,
    name="kehu",
    help="kehu: a CRM for B2B key-account selling, in your terminal.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Example: kehu add 杭州海纳科技 --grade B --source 展会   ·   Docs: README.md",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kehu {__version__}")
        raise typer.Exit()


def _today(text: str | None) -> date:
    if not text:
        return date.today()
    from kehu.book.clock import read_date

    return read_date("--today", text, date.today())


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database file or SQLAlchemy URL "
            "(else $KEHU_DB, else `db` in config.toml, else the data dir).",
        ),
    ] = None,
    today: Annotated[
        str | None,
        typer.Option(
            "--today",
            envvar="KEHU_TODAY",
            help="Act as if today were this date (2026-12-01, tomorrow, next monday …).",
            show_envvar=True,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """kehu (客户): customer cards, contacts, grades and follow-ups for B2B selling."""
    try:
        from kehu.config import use_settings

        use_settings()  # a wrong config file stops every command first (exit 78), before any write
        ctx.obj = AppContext(db_option=db, today=_today(today))
    except KehuError as error:
        from kehu.render.visible import visible_line  # the config file's words are quoted

        typer.echo(f"kehu: {visible_line(error.message)}", err=True)
        raise typer.Exit(int(error.exit_code)) from None


# Every command, and the module under kehu/cli that defines it, in the order `kehu --help` lists
# them. A command's module is imported, and its Typer command built, only when that command runs:
# building all 57 took 45 ms and importing their modules as long again, on every command
# (issue 13); `kehu --help` and shell completion still see them all. Each module adds its
# commands in one way, register(root); tests/cli/test_conventions.py checks this table against it.
COMMAND_MODULES: dict[str, str] = {
    "followups": "followups",
    "log": "touches",
    "plan": "plans",
    **dict.fromkeys(("done", "history", "snooze", "touch"), "touches"),
    "add": "customers",
    "list": "customers",
    "show": "show",
    **dict.fromkeys(("edit", "archive", "restore"), "customers"),
    "grade": "grades",
    **dict.fromkeys(("advance", "won", "lost", "reopen", "qualify", "stages"), "funnel"),
    **dict.fromkeys(("answer", "answers"), "answers"),
    "pipeline": "pipelines",
    **dict.fromkeys(("pay", "contract", "deliver", "accept"), "contracts"),
    **dict.fromkeys(("collect", "collections"), "collections"),
    "report": "report",
    "contact": "contacts",
    "org": "org",
    "rival": "rivals",
    "need": "needs",
    "credit": "credit",
    "target": "targets",
    "complaint": "complaints",
    **dict.fromkeys(("proposal", "quote"), "offers"),
    "import": "transfer",
    "export": "exports",
    "info": "info",
    "check": "check",
    "backup": "backup",
    **dict.fromkeys(("dump", "load"), "dump"),
    "team": "team",
}


# What `kehu --help` says of each command, in the same order: the first paragraph of its help, as
# one line of English (a msgid of its own, translated as the first paragraph of the whole help
# is). With it the root's help imports no command module and builds no command: importing and
# building all 27 to read one line each was half of what `kehu --help` took (H6: 386 → 200 ms).
# tests/cli/test_command_summaries.py checks it against the commands themselves.
COMMAND_SUMMARIES: dict[str, str] = {
    "followups": "Whom to contact, most urgent first: overdue, due, planned visits, birthdays.",
    "log": "Record a touch with a customer (a call, a visit, a message); sets when they are next due.",
    "plan": "Visit plans: plan a visit, list, move, cancel.",
    "done": "Turn a customer's planned visit into a logged touch (channel 拜访, on today's date).",
    "history": "List a customer's touches, newest first.",
    "snooze": "Move one customer's due date without logging a touch (until the next touch).",
    "touch": "Correct the record: edit or remove a logged touch.",
    "add": "Add a customer card.",
    "list": (
        "List customers: filtered by field, text, stage, status, value, due date, last touch or rival; sorted"
        " by any column; limited. CSV and JSON carry each customer's pipeline, stage, status (codes), next "
        "due and last touch (ISO dates)."
    ),
    "show": "Show a whole customer card: follow-up, money, visits, latest touches, stage, contacts.",
    "edit": "Change fields of a customer card (an empty value clears a field).",
    "archive": "Archive a customer: hidden from lists, kept with all its history (never deleted).",
    "restore": "Bring an archived customer back into the lists.",
    "grade": "Grades A–E: set, history, suggest, review.",
    "advance": "Move a customer to the next (or a named) stage of its pipeline; every stage passed is kept.",
    "won": "Mark a customer won (commitment won: contract signed); it moves on to collecting the money.",
    "lost": "Mark a customer lost; it keeps its stage and stays in the book (never deleted).",
    "reopen": "Reopen a won or lost customer: back in the funnel in the stage it kept.",
    "qualify": (
        "Record the answers to the six qualification questions, then print all six, and the result of the "
        "customer's latest credit check beside them (kehu credit)."
    ),
    "stages": "A customer's moves through the funnel, newest first.",
    "answer": "Answer one of the questions of the customer's stage; answering again replaces it.",
    "answers": "The questions of the customer's stage, each with its answer.",
    "pipeline": "The funnels: list, show, use.",
    "pay": "Record money received; without --contract it pays the oldest due contracts first.",
    "contract": "Contracts: add, list, show.",
    "deliver": "Record a contract's delivery; the instalments due after delivery get their due dates.",
    "accept": "Record a contract's acceptance; the instalments due after acceptance get their due dates.",
    "collect": "Record a collection action with a customer, and any promise to pay it got.",
    "collections": (
        "List the collection actions of one customer, or of every customer you see, with each promise's "
        "status (open, kept once the money came, broken once its day passed without)."
    ),
    "report": "Reports: the dashboard and funnel, grades, sources, …",
    "contact": "Contacts of a customer: add, list, edit, archive, relate.",
    "org": "Draw a customer's organisation: each person under whom they report to.",
    "rival": "Competitors at a customer: add, list, edit, remove.",
    "need": "A customer's needs: add, list, edit, status, remove.",
    "credit": "Credit before the sale: record a check and judge it, list.",
    "target": "Monthly targets: set, list, remove (kehu report targets).",
    "complaint": "After-sale complaints: add, resolve, list.",
    "proposal": "Proposals in versions: add, list, edit, status, remove.",
    "quote": "Quotes in versions: add, list, edit, status, remove.",
    "import": "Import customers, contacts, touches … from CSV.",
    "export": "Export records as CSV (or any --format).",
    "info": (
        "Print which database is used and why, its schema version and counts, and the config file in use: "
        "whether it exists, workdays, the language and the words it adds."
    ),
    "check": "Check the database: integrity, foreign keys, stored due dates; exit 0 only when all hold.",
    "backup": "Copy the database to FILE: one consistent moment, even while other kehu commands write.",
    "dump": "Write the whole book as JSON Lines: every table, one record a line, with its schema version.",
    "load": "Read a dump into an empty database, all of it in one transaction (or none of it).",
    "team": "Team mode on PostgreSQL: sellers, managers, reassigning.",
}


@functools.cache
def listed_command(name: str, language: str) -> click.Command | None:
    """A stand-in for a command in the root's list: its name and its summary in `language`; None
    when the summary has no translation yet (the list then shows the command's own first
    paragraph, so that it never mixes languages)."""
    summary = COMMAND_SUMMARIES.get(name)
    if summary is None or (language != "en" and _(summary) == summary):
        return None
    return TyperCommand(name, help=help_text(summary))


@functools.cache
def commands_of(module_name: str, language: str) -> dict[str, click.Command]:
    """The Click commands one command module registers, by name, with their help in `language`
    (the interface's: an argument so that each language builds its own)."""
    commands = build_commands(module_name)
    for command in commands.values():
        translate_tree(command)
    return commands


def build_commands(module_name: str) -> dict[str, click.Command]:
    """The Click commands one command module registers, by name, as the code words them."""
    name = f"kehu.cli.{module_name}"
    # __import__, not importlib.import_module: the latter bypasses `python -X importtime`, which
    # the start-up tests and benchmarks read.
    __import__(name)
    module = sys.modules[name]
    holder = typer.Typer()
    module.register(holder)
    return dict(typer.main.get_group(holder).commands)


def main() -> None:
    install_for_click()
    if os.environ.get("_KEHU_COMPLETE"):  # a tab press runs no command: offer the config's words too
        _use_settings_quietly()
    for argument in sys.argv[1:]:
        if not argument.isascii() and _has_undecodable_bytes(argument):
            from kehu.render.visible import visible_line

            message = _("kehu: argument {argument} is not UTF-8 text; check the terminal's encoding")
            typer.echo(message.format(argument=visible_line(argument)), err=True)
            sys.exit(int(ExitCode.USAGE))
    try:
        app()
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(0)


def _use_settings_quietly() -> None:
    """The config file's words for shell completion; a broken file offers kehu's own words (the
    next command says what is wrong with it)."""
    from contextlib import suppress

    from kehu.config import use_settings

    with suppress(KehuError):
        use_settings()
