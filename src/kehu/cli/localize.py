"""Typer's and Click's words in the interface language: every command's help, the usage line,
and the usage errors Click raises in English only.

Help stays plain English in the code (docstrings, `help=`); `translate_tree` looks each text up
in the catalogue when a command is built, and fills its placeholders from the domain, so that a
word list in a help line is the vocabulary itself, in the user's language, never a copy of it:

- `{words:channel}`: the labels of a vocabulary (电话, 拜访 … / phone, visit …);
- `{field:customer.industry}`: a card field's label, with its choices when the list is closed;
- `{label:question.need}`: the label of one word of a vocabulary.

Typer's copy of Click has no gettext: its usage errors ("Missing argument 'customer'.") are
matched here against the English it writes and said again through the catalogue.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

import typer
from typer import _click as click  # Typer's own copy of Click
from typer._click.exceptions import UsageError
from typer._click.formatting import HelpFormatter

from kehu.i18n import _, is_chinese

_PLACEHOLDER = re.compile(r"\{(words|field|label):([\w.]+)\}")


def translate_tree(command: click.Command) -> None:
    """Put a built command, its parameters and its subcommands in the interface language."""
    for _where, owner, attribute in _help_of(command, ""):
        setattr(owner, attribute, help_text(getattr(owner, attribute)))
    for each in _tree(command):
        if each.options_metavar == "[OPTIONS]":
            each.options_metavar = _("[OPTIONS]")
        if getattr(each, "subcommand_metavar", None) == "COMMAND [ARGS]...":
            each.subcommand_metavar = _("COMMAND [ARGS]...")
        each.context_class = KehuContext


def _tree(command: click.Command) -> list[click.Command]:
    """The command and every subcommand below it."""
    found = [command]
    for sub in (getattr(command, "commands", None) or {}).values():
        found += _tree(sub)
    return found


def _help_of(command: click.Command, path: str) -> list[tuple[str, Any, str]]:
    """Where each help text of a command's tree is: (command path or option, the object that
    holds it, its attribute). The one list both the catalogue and the translation read."""
    found: list[tuple[str, Any, str]] = []
    for attribute in ("help", "short_help", "epilog"):
        if getattr(command, attribute, None):
            found.append((path, command, attribute))
    for param in command.params:
        if getattr(param, "help", None):
            found.append((f"{path} {param.opts[0] if param.opts else param.name}", param, "help"))
    for name, sub in (getattr(command, "commands", None) or {}).items():
        found += _help_of(sub, f"{path} {name}")
    return found


def help_texts() -> list[tuple[str, str]]:
    """(command path or option, help text) of kehu's whole command tree, as the code words them:
    the msgids of the help (tools/update_catalogue.py adds them to the catalogue)."""
    import typer.main

    from kehu.cli.app import COMMAND_MODULES, COMMAND_SUMMARIES, app, build_commands

    trees = [("kehu", typer.main.get_command(app))]
    for module in dict.fromkeys(COMMAND_MODULES.values()):
        trees += [(f"kehu {name}", command) for name, command in build_commands(module).items()]
    # What the root's help lists of each command: the first paragraph of its help, a msgid of its own.
    listed = [(f"kehu --help: {name}", summary) for name, summary in COMMAND_SUMMARIES.items()]
    return [
        (where, getattr(owner, attribute))
        for path, tree in trees
        for where, owner, attribute in _help_of(tree, path)
    ] + listed


def help_text(text: str) -> str:
    """One help text in the interface language, its placeholders filled."""
    translated = _(text)
    if translated == text:  # English, as the code words it: the docstring's lines are not the screen's
        translated = _reflow(text)
    return _PLACEHOLDER.sub(_fill, translated)


def _reflow(text: str) -> str:
    """Each paragraph of an English docstring as one line, so that it fills the terminal: Typer
    keeps the single line breaks of every paragraph after the first, and a docstring broken at 100
    columns printed at 80 left every other line half empty. An example starts a line of its own;
    a paragraph marked \\b (laid out by hand) keeps its lines, as Click's own rule has it."""
    paragraphs = re.split(r"\n[ \t]*\n", text.strip("\n"))
    return "\n\n".join(p if p.lstrip().startswith("\b") else _one_line(p) for p in paragraphs)


def _one_line(paragraph: str) -> str:
    """The prose lines joined; the commands listed after `Examples:` keep a line each."""
    lines: list[str] = []
    examples = False  # in the list of commands after "Examples:"
    for line in (each.strip() for each in paragraph.splitlines()):
        examples = examples and line.startswith("kehu ")
        if lines and not examples:
            lines[-1] += " " + line
        else:
            lines.append(line)
        examples = examples or line.endswith("Examples:")
    return re.sub(r" (Examples?:)", r"\n\1", "\n".join(lines))  # an example starts a line


def _fill(match: re.Match[str]) -> str:
    kind, name = match.groups()
    if kind == "words":
        return _words(_vocabulary(name))
    table, key = name.split(".")
    if kind == "label":
        return _vocabulary(table).label(key)
    from kehu.domain.fields import FIELDS_BY_KEY

    field = FIELDS_BY_KEY[table][key]
    label = field.zh if is_chinese() else field.en[:1].upper() + field.en[1:]
    vocabulary = field.vocabulary
    if field.kind in _KIND_HINTS:
        zh, en = _KIND_HINTS[field.kind]
        return f"{label}（{zh}）" if is_chinese() else f"{label} ({en})"
    if vocabulary is None or vocabulary.open:
        return label
    return f"{label}（{_words(vocabulary)}）" if is_chinese() else f"{label} ({_words(vocabulary)})"


# What a field option takes, when its label alone does not say how to write it.
_KIND_HINTS = {
    "date": ("日期：2026-03-01、下周一 …", "a day: 2026-03-01, next monday …"),
    "money": ("金额：120万、1.5M …", "an amount: 1.2M, 300k …"),
    "percent": ("百分比：30%", "a percentage: 30%"),
}


def _vocabulary(name: str):
    from kehu.domain import vocabulary

    for value in vars(vocabulary).values():
        if isinstance(value, vocabulary.Vocabulary) and value.name == name:
            return value
    raise KeyError(name)  # a placeholder naming no vocabulary is a bug in kehu's own help


def _words(vocabulary) -> str:
    return ("、" if is_chinese() else ", ").join(vocabulary.words())


class _Formatter(HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, _("Usage: ") if prefix is None else prefix)


class KehuContext(click.Context):
    """Click's context with the usage line's "Usage: " and the --help option's own help in the
    interface language (Click makes that option when first asked, outside the command's params)."""

    formatter_class = _Formatter

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        option = self.command.get_help_option(self)
        if option is not None and option.help == "Show this message and exit.":
            option.help = _("Show this message and exit.")

    def get_help(self) -> str:
        _fold_long_words()
        with _cjk_words():
            return super().get_help()


def _fold_long_words() -> None:
    """Let a help text fold where it has no space to wrap at. Rich wraps at spaces and cuts a
    longer "word" with an ellipsis in Typer's help tables, and a Chinese sentence is one word:
    "跟进方式：电话、拜访、微信、邮件、短信、会议、展 …" lost the rest of the line."""
    from rich.text import Text

    rich_utils = _typer_help_renderer()
    make_rich_text = rich_utils._make_rich_text
    if getattr(make_rich_text, "folds", False):
        return

    def folding(**kwargs: Any) -> Any:
        text = make_rich_text(**kwargs)
        if isinstance(text, Text):
            text.overflow = "fold"
        return text

    folding.folds = True  # type: ignore[attr-defined]
    rich_utils._make_rich_text = folding


# What typer.rich_utils imports and kehu's help never uses: Markdown (kehu's help is Rich markup)
# and Traceback (kehu shows none). Their modules, markdown-it and Pygments among them, took a
# quarter of the time `kehu --help` took once it listed the commands from a table (H6).
_UNUSED_BY_HELP = (("rich.markdown", "Markdown"), ("rich.traceback", "Traceback"))


def _typer_help_renderer() -> Any:
    """typer.rich_utils, imported with stand-ins for the classes of _UNUSED_BY_HELP: each loads
    its real module the first time it is used, which kehu's help never does."""
    import sys

    if "typer.rich_utils" in sys.modules:
        return sys.modules["typer.rich_utils"]
    stand_ins = {
        name: _stand_in_module(name, cls) for name, cls in _UNUSED_BY_HELP if name not in sys.modules
    }
    sys.modules.update(stand_ins)
    try:
        from typer import rich_utils
    finally:
        for name, module in stand_ins.items():  # whoever imports them next gets the real modules
            if sys.modules.get(name) is module:
                del sys.modules[name]
    return rich_utils


def _stand_in_module(module_name: str, class_name: str) -> Any:
    """A module holding one class that stands for `module_name.class_name`: making one, or
    reading an attribute of the class (Traceback.from_exception), imports the real module and
    hands over to the real class."""
    from importlib import import_module
    from types import ModuleType

    def real() -> type:
        return getattr(import_module(module_name), class_name)

    class Deferred(type):
        def __getattr__(cls, attribute: str) -> Any:
            if attribute.startswith("__"):  # typing's probes (`Markdown | Text`) stay with the stand-in
                raise AttributeError(attribute)
            return getattr(real(), attribute)

    def make(cls: type, *args: Any, **kwargs: Any) -> Any:
        return real()(*args, **kwargs)

    module = ModuleType(module_name)
    setattr(module, class_name, Deferred(class_name, (), {"__new__": make, "__module__": module_name}))
    return module


# A "word" for Rich's wrapping: a run of text up to a space or a CJK character, or one CJK
# character, with the brackets that may not end a line before it and the punctuation that may not
# start one after it (禁则), so that Chinese help breaks between characters.
_CJK = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
_NO_LINE_START = re.escape("，。、；：？！）》」』】…,.;:?!)")
_NO_LINE_END = re.escape("（《「『【(")
_CJK_WORD = rf"\s*[{_NO_LINE_END}]*(?:[{_CJK}]|[^\s{_CJK}]+?(?=[\s{_CJK}]|$))[{_NO_LINE_START}]*\s*"


@cache
def _compiled(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A pattern compiled when first needed, not when the module loads: every command imports this
    module, few draw help or meet a usage error (H6)."""
    return re.compile(pattern, flags)


@contextmanager
def _cjk_words() -> Iterator[None]:
    """While help is drawn, Rich breaks Chinese between characters, not only at spaces (where a
    paragraph with an option in it broke at the option and left the line before half empty)."""
    from rich import _wrap

    plain = _wrap.re_word
    _wrap.re_word = _compiled(_CJK_WORD)  # when help is drawn: 6 ms to compile (H6)
    try:
        yield
    finally:
        _wrap.re_word = plain


# Click's English usage errors, as it writes them, and the msgid each is said again with. The
# groups are passed on by name; `message` holds an inner message, translated in turn.
_USAGE_ERRORS: tuple[tuple[str, Callable[[], str]], ...] = tuple(
    (pattern, msgid)
    for pattern, msgid in (
        (r"(?P<message>.*?)[.。]? Did you mean (?P<suggestions>.+)\?",
         lambda: _("{message}. Did you mean {suggestions}?")),
        (r"Missing argument (?P<name>.+)\.", lambda: _("Missing argument {name}.")),
        (r"Missing option (?P<name>.+)\.", lambda: _("Missing option {name}.")),
        (r"Missing parameter: (?P<name>.+)", lambda: _("Missing parameter: {name}")),
        (r"No such option: (?P<name>\S+) \(Possible options: (?P<options>.+)\)",
         lambda: _("No such option: {name} (Possible options: {options})")),
        (r"No such option: (?P<name>\S+)", lambda: _("No such option: {name}")),
        (r"Invalid value for (?P<param>.+?): (?P<message>.+)",
         lambda: _("Invalid value for {param}: {message}")),
        (r"Invalid value: (?P<message>.+)", lambda: _("Invalid value: {message}")),
        (r"(?P<value>.+) is not a valid integer\.", lambda: _("{value} is not a valid integer.")),
        (r"(?P<value>.+) is not a valid int range\.", lambda: _("{value} is not a valid integer.")),
        (r"(?P<value>.+) is not a valid float( range)?\.", lambda: _("{value} is not a valid number.")),
        (r"(?P<value>.+) is not a valid boolean\. Recognized values: (?P<words>.+)",
         lambda: _("{value} is not yes or no; say one of: {words}")),
        (r"(?P<value>.+) is not in the range (?P<range>.+)\.",
         lambda: _("{value} is not in the range {range}.")),
        (r"Option (?P<name>.+) requires an argument\.", lambda: _("Option {name} needs a value.")),
        (r"Option (?P<name>.+) requires (?P<count>\d+) arguments\.",
         lambda: _("Option {name} needs {count} values.")),
        (r"Option (?P<name>.+) does not take a value\.", lambda: _("Option {name} does not take a value.")),
        (r"Got unexpected extra argument\(s\) \((?P<arguments>.+)\)",
         lambda: _("Unexpected extra arguments: {arguments}")),
    )
)  # fmt: skip


def usage_message(message: str) -> str:
    """Click's English usage error in the interface language (as it is if kehu does not know it)."""
    for pattern, msgid in _USAGE_ERRORS:
        match = _compiled(pattern, re.DOTALL).fullmatch(message)
        if match is None:
            continue
        parts = match.groupdict()
        if parts.get("message"):
            parts["message"] = usage_message(parts["message"]).rstrip(".。" if is_chinese() else "")
        return msgid().format(**{key: value or "" for key, value in parts.items()})
    return message


def localized(error: click.ClickException) -> click.ClickException:
    """The same usage error, its message in the interface language (the exit code is kept)."""
    # NoArgsIsHelpError carries the help itself, which Typer prints as it is.
    if not isinstance(error, UsageError) or type(error).__name__ == "NoArgsIsHelpError":
        return error
    if not is_chinese():
        return error
    text = usage_message(error.format_message())
    if text == error.format_message():
        return error
    again = UsageError(text, error.ctx)
    again.exit_code = error.exit_code
    return again


def install_completion(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """Typer's --install-completion, saying what it did in the interface language."""
    if not value or ctx.resilient_parsing:
        return value
    import sys

    from typer.completion import install

    shell, path = install(shell=value) if isinstance(value, str) else install()
    typer.secho(_("{shell} completion installed in {path}").format(shell=shell, path=path), fg="green")
    typer.echo(_("Completion will take effect once you restart the terminal"))
    sys.exit(0)
