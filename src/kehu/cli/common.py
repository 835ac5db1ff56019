"""Pieces every command uses: the --format option, messages, dates and card-field options."""

from __future__ import annotations

import functools
import inspect
import io
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import IO, Annotated, Any, Literal

import typer

from kehu.cli.context import AppContext
from kehu.domain.fields import Field, parse_value
from kehu.errors import UsageError
from kehu.i18n import _, labelled
from kehu.render.columns import columns_for
from kehu.render.formats import default_format, render

FormatOption = Annotated[
    Literal["table", "csv", "tsv", "json", "jsonl"] | None,
    typer.Option(
        "--format", "-f", help="table, csv, tsv, json or jsonl (default: table on a terminal, "
        "csv in a pipe).", show_default=False,
    ),
]  # fmt: skip
OwnerOption = Annotated[
    str | None,
    typer.Option("--owner", help="Only this salesperson's customers (team mode: a manager's choice)."),
]
ALL_OWNERS_HELP = "Every salesperson's customers (in team mode lists show your own by default)."
AllOwnersOption = Annotated[bool, typer.Option("--all-owners", "--all", help=ALL_OWNERS_HELP)]
LabelsOption = Annotated[
    bool,
    typer.Option("--labels", help="CSV/JSON headers and values as labels in your language "
                 "instead of stable keys and codes."),
]  # fmt: skip
ExcelOption = Annotated[
    bool,
    typer.Option("--excel", help="CSV for Excel: UTF-8 BOM, CRLF, and cells that start with "
                 "= + - @ prefixed with ' so no formula runs."),
]  # fmt: skip


def app_context(ctx: typer.Context) -> AppContext:
    return ctx.find_root().obj


_stdin_read = False


def forget_stdin() -> None:
    global _stdin_read
    _stdin_read = False


def stdin_was_read() -> bool:
    """Whether this command has opened standard input (then it cannot simply run again)."""
    return _stdin_read


def open_input(path: str, mode: str = "rb") -> IO:
    """The file a command reads (`-`: standard input), or the error a user can act on: missing,
    a directory, not readable (66, 66, 77). Text is read as strict UTF-8."""
    from pathlib import Path

    from kehu.errors import MissingInput, NotPermitted

    text = "b" not in mode
    if path == "-":
        global _stdin_read
        _stdin_read = True
        stdin = sys.stdin.buffer
        return io.TextIOWrapper(stdin, encoding="utf-8", errors="strict") if text else stdin
    try:
        return Path(path).open(mode, **({"encoding": "utf-8", "errors": "strict"} if text else {}))
    except FileNotFoundError:
        raise MissingInput(_("no such file: {path}").format(path=path)) from None
    except IsADirectoryError:
        raise MissingInput(_("{path} is a directory, not a file").format(path=path)) from None
    except PermissionError:
        raise NotPermitted(_("cannot read {path}: permission denied").format(path=path)) from None


def say(message: str) -> None:
    """A message for the person (stderr), never mixed into the data on stdout; what it quotes
    of the user's data cannot send control sequences to the terminal."""
    from kehu.render.visible import visible

    typer.echo(visible(message), err=True)


def chosen_format(fmt: str | None) -> str:
    return fmt or default_format()


def print_records(
    records: Iterable[Mapping[str, Any]],
    fields: Iterable[Field],
    fmt: str | None,
    *,
    labels: bool = False,
    excel: bool = False,
    keys: list[str] | None = None,
    title: str | None = None,
    priority: Sequence[str] = (),
    styles: Sequence[str | None] | None = None,
) -> int:
    """Print the records in the format. For a table on a narrow terminal, `priority` names the
    columns that matter most, most important first (the rest follow in display order), and
    `styles` gives each row its colour (urgency); other formats ignore both."""
    fmt = chosen_format(fmt)
    columns = columns_for(fields, fmt, labels=labels, keys=keys)
    return render(records, columns, fmt, sys.stdout, excel=excel, title=title, priority=priority,
                  styles=styles)  # fmt: skip


def print_records_or_note(
    records: list[Mapping[str, Any]],
    fields: Iterable[Field],
    fmt: str | None,
    empty_note: str,
    **options: Any,
) -> None:
    """Print the records; with none, tell the person on stderr, while a script still gets its
    empty result (a CSV header, `[]`) rather than nothing at all."""
    if records or chosen_format(fmt) != "table":
        print_records(records, fields, fmt, **options)
    if not records:
        say(empty_note)


def parse_columns(text: str | None, fields: Iterable[Field]) -> list[str] | None:
    """`--columns name,grade,电话`: keys or labels in either language."""
    if not text:
        return None
    from kehu.domain.fields import header_index
    from kehu.domain.vocabulary import fold

    index = header_index(tuple(fields))
    keys = []
    for word in text.split(","):
        found = index.get(fold(word))
        if found is None:
            raise UsageError(_("unknown column {name!r}").format(name=word.strip()))
        keys.append(found.key)
    return keys


def parse_option(field: Field, text: str, today: date) -> Any:
    """An option's value: empty text clears the field; anything else is parsed or refused (exit 2)."""
    if not text.strip():
        return None
    if field.kind == "date":
        from kehu.book.clock import read_date

        value = read_date(field.option, text, today)
    else:
        try:
            value = parse_value(field, text, today=today)
        except ValueError as error:
            raise UsageError(labelled(field.option, error)) from None
    if field.kind == "date" and value.isoformat() != text.strip():
        say(labelled(field.label, value.isoformat()))
    return value


def parse_new_name(text: str, option: str | None = None) -> str:
    """A customer or contact name as typed (one line, trimmed), or a usage error (exit 2)."""
    from kehu.domain.values import parse_name

    try:
        return parse_name(text)
    except ValueError as error:
        raise UsageError(labelled(option, error) if option else str(error)) from None


def parse_changes(
    fields: Iterable[Field], given: Mapping[str, str | None], new_name: str | None, today: date
) -> dict[str, Any]:
    """What an `edit` asks to change: the field options given, and `--name` for a rename."""
    changes = parse_given(fields, given, today)
    if new_name is not None:
        changes["name"] = parse_new_name(new_name, "--name")
    if not changes:
        raise UsageError(_("nothing to change; give at least one field option (see --help)"))
    return changes


def with_field_options(fields: Iterable[Field], panel: str) -> Callable:
    """Add one `--key TEXT` option per card field to a command, collected into `values`.

    The command function takes `values: dict[str, str | None]` (None: not given); the options
    are made from the field list, so `add`, `edit` and CSV import can never disagree on fields.
    """
    fields = list(fields)

    def decorate(func: Callable) -> Callable:
        signature = inspect.signature(func)
        kept = [p for p in signature.parameters.values() if p.name != "values"]
        added = [
            inspect.Parameter(
                f.key,
                inspect.Parameter.KEYWORD_ONLY,
                default=None,
                annotation=Annotated[
                    str | None,
                    typer.Option(
                        f.option,
                        help=f"{{field:{_table_of(f)}.{f.key}}}",  # cli/localize.py fills it
                        rich_help_panel=panel,
                        show_default=False,
                        autocompletion=_completion_of(f),
                    ),
                ],
            )  # fmt: skip
            for f in fields
        ]

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            values = {f.key: kwargs.pop(f.key, None) for f in fields}
            return func(*args, values=values, **kwargs)

        parameters = sorted(kept + added, key=lambda p: p.kind)
        wrapper.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in parameters}
        return wrapper

    return decorate


def _completion_of(field: Field) -> Callable | None:
    """Shell completion of a field's option: the words of its vocabulary (--grade, --source …)."""
    if field.vocabulary is None:
        return None
    from kehu.cli.params import complete_words  # params imports this module

    return complete_words(field.vocabulary)


def _table_of(field: Field) -> str:
    from kehu.domain.fields import FIELDS_BY_KEY

    return next(table for table, fields in FIELDS_BY_KEY.items() if fields.get(field.key) is field)


def parse_given(fields: Iterable[Field], given: Mapping[str, str | None], today: date) -> dict[str, Any]:
    """Parse the options that were given (empty text: clear the field)."""
    by_key = {f.key: f for f in fields}
    return {key: parse_option(by_key[key], text, today) for key, text in given.items() if text is not None}
