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
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

# Typer vendors Click (pinned by typer<0.29 in pyproject.toml); a type that needs the context
# (today) subclasses Click's own ParamType, as Typer's `click_type` expects.
from typer._click.types import ParamType

from kehu.book.clock import read_date, read_date_and_step
from kehu.cli.common import say
from kehu.cli.context import AppContext
from kehu.i18n import labelled

if TYPE_CHECKING:
    from collections.abc import Iterator

    from typer._click.core import Context, Parameter
    from typer._click.shell_completion import CompletionItem

    from kehu.domain.vocabulary import Vocabulary
    from kehu.store.sql import Connection


class CustomerType(ParamType):
    """A customer as typed (id, name, part, pinyin): the text as it is, looked up by the command;
    a tab completes it from the book. (A type of its own, as Typer's `autocompletion` keeps only
    candidates that begin with what was typed, and pinyin completes to a name: hzh → 杭州海纳科技.)"""

    name = "str"  # help shows <str>, as for any text argument

    def convert(self, value: Any, param: Parameter | None, ctx: Context | None) -> str:
        return value

    def shell_complete(self, ctx: Context, param: Parameter, incomplete: str) -> list[CompletionItem]:
        from typer._click.shell_completion import CompletionItem

        return [CompletionItem(_for_the_shell(name)) for name in complete_customer(ctx, incomplete)]


def complete_customer(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion of a customer: the names of active cards whose name or pinyin begins
    with what was typed (hzh → 杭州海纳科技有限公司). No book, or any trouble: no candidates (a
    tab press never prints a traceback nor creates a database)."""
    try:
        from kehu.store.completion import customer_names

        with _book_for_completion(ctx) as connection:
            return [] if connection is None else customer_names(connection, incomplete)
    except Exception:  # noqa: BLE001 - a completion offers nothing rather than fail
        return []


CustomerArg = Annotated[str, typer.Argument(help="Id, name, part of the name, or pinyin (hzkj / hangzhou).",
                                            click_type=CustomerType())]  # fmt: skip


def optional_customer(help_text: str) -> Any:
    """An optional CUSTOMER argument (a list's filter: `kehu contract list [CUSTOMER]`), completed
    from the book as CustomerArg is."""
    return typer.Argument(help=help_text, click_type=CustomerType())


def typed_date(option: str, text: str, today: date) -> date:
    """A date as the user typed it, resolved against today; shown on stderr when it was not
    written out in full (下周三 → 2026-12-02), so the person sees which day kehu took."""
    resolved = read_date(option, text, today)
    if resolved.isoformat() != text.strip():
        say(labelled(option, resolved.isoformat()))
    return resolved


def date_and_step(text: str | None, today: date) -> tuple[date | None, str | None]:
    """`--next "下周三 送样品"`: the date and the step after it (shown on stderr), or None, None."""
    if text is None:
        return None, None
    on, step = read_date_and_step("--next", text, today)
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

    def shell_complete(self, ctx: Context, param: Parameter, incomplete: str) -> list[CompletionItem]:
        from typer._click.shell_completion import CompletionItem

        try:
            vocabulary = self.vocabulary.with_words(self.more()) if self.more else self.vocabulary
        except Exception:  # noqa: BLE001 - a book's words that cannot be read: the fixed ones
            vocabulary = self.vocabulary
        return [CompletionItem(word) for word in vocabulary_words(vocabulary, incomplete)]

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


# --- shell completion -------------------------------------------------------------------------
# `kehu show hz<TAB>`, `kehu add … --grade <TAB>`, `kehu followups <TAB>`: Click's protocol
# (_KEHU_COMPLETE=complete_bash|zsh|fish) asks the parameter; these answer.

# The views of `kehu followups`, in both languages (a day, 周五 or 12-01, is typed out).
FOLLOWUP_VIEWS = ("today", "tomorrow", "week", "overdue", "今天", "明天", "本周", "逾期")


def vocabulary_words(vocabulary: Vocabulary, incomplete: str) -> list[str]:
    """The words of a vocabulary (Chinese, then English) that begin with what was typed, case
    aside: 电 → 电话, ph → phone."""
    typed = incomplete.casefold()
    # An English word with a space (trade show) is offered as its code (trade_show), which reads
    # the same: a shell would insert the space as a word break.
    words = dict.fromkeys(w for c in vocabulary.choices for w in (c.zh, c.code if " " in c.en else c.en) if w)
    return [word for word in words if word.casefold().startswith(typed)]


_SHELL_SPECIAL = frozenset(" \t'\"\\$`&|;<>()*?[]#~!{}")


def _for_the_shell(name: str) -> str:
    """A name as bash must be given it: quoted when it holds a space or a character the shell
    reads (ACME Co., Ltd. → 'ACME Co., Ltd.'); bash inserts what it is offered as it is."""
    import os
    import shlex

    if os.environ.get("_KEHU_COMPLETE", "").startswith("complete_bash") and _SHELL_SPECIAL & set(name):
        return shlex.quote(name)
    return name


def complete_words(vocabulary: Vocabulary) -> Callable[[str], list[str]]:
    """The completion of an option whose value is a word of `vocabulary` (--grade, --source …)."""

    def complete(incomplete: str) -> list[str]:
        return vocabulary_words(vocabulary, incomplete)

    return complete


def complete_view(ctx: typer.Context, incomplete: str) -> list[str]:
    """`kehu followups <TAB>`: today tomorrow week overdue 今天 明天 本周 逾期."""
    return [view for view in FOLLOWUP_VIEWS if view.startswith(incomplete.casefold())]


def complete_stage(ctx: typer.Context, incomplete: str) -> list[str]:
    """`kehu stage CUSTOMER <TAB>`: the stages (Chinese and English names) of the book's pipeline."""
    try:
        from kehu.book.funnel import book_pipeline

        with _book_for_completion(ctx) as connection:
            if connection is None:
                return []
            stages = book_pipeline(connection).stages
        typed = incomplete.casefold()
        # An English name with a space (build trust) as its key (build_trust or trust): a shell
        # would break the name into words.
        words = dict.fromkeys(w for st in stages for w in (st.zh, st.key if " " in st.en else st.en) if w)
        return [word for word in words if word.casefold().startswith(typed)]
    except Exception:  # noqa: BLE001 - a completion offers nothing rather than fail
        return []


@contextmanager
def _book_for_completion(ctx: typer.Context) -> Iterator[Connection | None]:
    """A read transaction on the book --db (or $KEHU_DB, config, the data dir) names; None when
    it is a SQLite file that does not exist (a completion never creates a book)."""
    from kehu.store.db import open_store
    from kehu.store.location import resolve_location

    location = resolve_location(ctx.find_root().params.get("db"))
    if location.path is not None and not location.path.exists():
        yield None
        return
    store = open_store(location)
    try:
        with store.read() as connection:
            yield connection
    finally:
        store.close()
