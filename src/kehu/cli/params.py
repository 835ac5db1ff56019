"""What the command modules share besides output: the customer argument, and the parameter
types that read a date or a word of a vocabulary from the command line.

A date is typed as a salesperson says it (明天, 下周三, 12-01) and resolved against --today; a
word in Chinese or English (电话 or phone) becomes its stored code. Each has one error, written
here: "cannot read date …; try e.g. …" and "unknown value …; one of: …" listing the choices, both
usage errors (exit 2). The types convert while Click reads a command's own parameters: inside
the error boundary of kehu.cli.app, after the root options (--today) are read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

# Typer vendors Click (pinned by typer<0.29 in pyproject.toml); a type that needs the context
# (today) subclasses Click's own ParamType, as Typer's `click_type` expects.
from typer._click.types import ParamType

from kehu.book.clock import read_date
from kehu.cli.common import say
from kehu.cli.context import AppContext
from kehu.errors import UsageError
from kehu.i18n import _

if TYPE_CHECKING:
    from typer._click.core import Context, Parameter

    from kehu.domain.vocabulary import Vocabulary

CustomerArg = Annotated[str, typer.Argument(help="Id, name, part of the name, or pinyin (hzkj / hangzhou).")]


def typed_date(option: str, text: str, today: date) -> date:
    """A date as the user typed it, resolved against today; shown on stderr when it was not
    written out in full (下周三 → 2026-12-02), so the person sees which day kehu took."""
    resolved = read_date(option, text, today)
    if resolved.isoformat() != text.strip():
        say(f"{option}: {resolved.isoformat()}")
    return resolved


def date_and_step(text: str | None, today: date) -> tuple[date | None, str | None]:
    """`--next "下周三 送样品"`: the date and the step after it (shown on stderr), or None, None."""
    if text is None:
        return None, None
    from kehu.domain.dates import EXAMPLE_FORMATS, DateOutOfRange, DateParseError, parse_date_and_text

    try:
        on, step = parse_date_and_text(text, today)
    except DateOutOfRange as error:
        raise UsageError(f"--next: {error}") from None
    except DateParseError:
        raise UsageError(_("--next: start with a date, e.g. \"下周三 送样品\" ({examples})").format(
            examples=", ".join(EXAMPLE_FORMATS))) from None  # fmt: skip
    say(f"--next: {on.isoformat()} {step}".rstrip())
    return on, step or None


def read_choice(option: str, vocabulary: Vocabulary, text: str, hint: str | None = None) -> str:
    """The stored code of a typed word, or the usage error listing the choices (and a hint)."""
    from kehu.book.words import word_code

    return word_code(vocabulary, option, text, hint)


def read_channel(text: str | None) -> str | None:
    """--channel: 电话, phone, 微信 … as its code (None: not given)."""
    from kehu.domain.vocabulary import CHANNEL

    return None if text is None else read_choice("--channel", CHANNEL, text)


class DateType(ParamType):
    """A date as typed (明天, 下周三, 12-01), resolved against --today and shown when it was not
    written out. `label` names an argument in messages (an option is named by itself)."""

    name = "date"

    def __init__(self, label: Callable[[], str] | None = None) -> None:
        self.label = label

    def convert(self, value: Any, param: Parameter | None, ctx: Context | None) -> date:
        if isinstance(value, date):
            return value
        return typed_date(_named(param, self.label), value, _today(ctx))


class WordType(ParamType):
    """A word of a vocabulary, in Chinese or English, as its stored code. `more` gives words a
    book adds (from its config: read only when a word is), `hint` a line under the error."""

    def __init__(
        self,
        vocabulary: Vocabulary,
        *,
        more: Callable[[], Iterable[str]] | None = None,
        hint: Callable[[], str] | None = None,
    ) -> None:
        self.vocabulary, self.more, self.hint = vocabulary, more, hint
        self.name = vocabulary.name

    def convert(self, value: Any, param: Parameter | None, ctx: Context | None) -> str:
        vocabulary = self.vocabulary.with_words(self.more()) if self.more else self.vocabulary
        return read_choice(_named(param, None), vocabulary, value, self.hint() if self.hint else None)


# A date option or argument named by itself in messages (`--due: cannot read date …`).
DATE = DateType()


def _named(param: Parameter | None, label: Callable[[], str] | None) -> str:
    """How a message names the parameter: its label, else its long option, else its name."""
    if label is not None:
        return label()
    if param is None or param.name is None:
        return "?"
    return next((o for o in param.opts if o.startswith("--")), param.name.replace("_", "-"))


def _today(ctx: Context | None) -> date:
    """--today (the root command has read it: a command's parameters come after the root's)."""
    app = ctx.find_root().obj if ctx is not None else None
    return app.today if isinstance(app, AppContext) else date.today()


# The contact of a touch or a visit (`kehu log`, `kehu done`, `kehu plan`).
ContactOption = Annotated[str | None, typer.Option("--contact", help="The contact spoken to "
                          "(name or part); default: the last touch's.")]  # fmt: skip
