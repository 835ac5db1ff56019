"""`kehu --help` lists the commands from a table (kehu.cli.app.COMMAND_SUMMARIES), not from the
commands themselves, so that it imports no command module (H6). The table must say what each
command's own help says, in both languages: these tests compare it with the commands."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys

import pytest

from kehu.cli.app import COMMAND_MODULES, COMMAND_SUMMARIES, commands_of, listed_command
from kehu.cli.localize import help_text

LANGUAGES = {"en": "C.UTF-8", "zh": "zh_CN.UTF-8"}

# The root's help drawn twice in one process, at three widths: from the table, then with the table
# emptied, so that every command is built and lists its own first paragraph.
BOTH_WAYS = """
import json
from kehu.i18n import install_for_click
install_for_click()
from typer.testing import CliRunner
from kehu.cli import app as root

def helps():
    root.listed_command.cache_clear()
    runner = CliRunner()
    return {width: runner.invoke(root.app, ["--help"], prog_name="kehu", env={"COLUMNS": str(width)}).output
            for width in (60, 100, 200)}

from_table = helps()
root.COMMAND_SUMMARIES.clear()
print(json.dumps({"table": from_table, "commands": helps()}, ensure_ascii=False))
"""


def _first_paragraph(name: str, language: str) -> str:
    """What the root's help lists for a command built as it runs: the first paragraph of its help
    in `language`, as Typer cuts it."""
    command = commands_of(COMMAND_MODULES[name], language)[name]
    return inspect.cleandoc(command.short_help or command.help or "").split("\n\n")[0].strip()


def _python(script: list[str], language: str) -> subprocess.CompletedProcess:
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/nonexistent"), "NO_COLOR": "1",
           "LANG": LANGUAGES[language], "KEHU_CONFIG": os.environ["KEHU_CONFIG"]}  # fmt: skip
    return subprocess.run([sys.executable, *script], capture_output=True, env=env, timeout=120)


def test_the_table_has_every_command_in_the_order_of_the_list():
    assert list(COMMAND_SUMMARIES) == list(COMMAND_MODULES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_summary_says_what_its_command_says_first(language, monkeypatch):
    monkeypatch.setenv("KEHU_LANG", language)
    listed = [name for name in COMMAND_SUMMARIES if listed_command(name, language) is not None]
    assert language == "zh" or listed == list(COMMAND_SUMMARIES)  # English needs no catalogue
    for name in listed:
        assert help_text(COMMAND_SUMMARIES[name]) == _first_paragraph(name, language), name


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_root_help_from_the_table_is_the_help_from_the_commands(language):
    process = _python(["-c", BOTH_WAYS], language)
    assert process.returncode == 0, process.stderr.decode("utf-8", "replace")
    helps = json.loads(process.stdout.decode("utf-8"))
    for width, text in helps["commands"].items():
        assert "followups" in text and "team" in text
        assert helps["table"][width] == text, width


def test_the_root_help_imports_no_command_module_nor_markdown():
    process = _python(["-X", "importtime", "-m", "kehu", "--help"], "en")
    assert process.returncode == 0, process.stderr.decode("utf-8", "replace")
    assert "followups" in process.stdout.decode("utf-8")
    imported = {line.split("|")[-1].strip() for line in process.stderr.decode().splitlines() if "|" in line}
    assert "typer.rich_utils" in imported  # the reading below is of a real import list
    assert not imported & {f"kehu.cli.{module}" for module in COMMAND_MODULES.values()}
    assert not {name for name in imported if name.startswith(("rich.markdown", "markdown_it", "pygments"))}


STAND_INS = """
import sys
from kehu.cli.localize import _typer_help_renderer
rich_utils = _typer_help_renderer()
assert "rich.markdown" not in sys.modules and "rich.traceback" not in sys.modules
import rich.markdown, rich.traceback
assert isinstance(rich_utils.Markdown("# kehu"), rich.markdown.Markdown)  # made by the real class
try:
    raise ValueError("kehu")
except ValueError as error:
    assert isinstance(rich_utils.Traceback.from_exception(ValueError, error, None), rich.traceback.Traceback)
print("handed over")
"""


def test_the_stand_ins_of_the_help_renderer_hand_over_to_the_real_classes():
    """Typer's Markdown and Traceback are not loaded for help, and work as ever if Typer uses them."""
    process = _python(["-c", STAND_INS], "en")
    assert process.returncode == 0, process.stderr.decode("utf-8", "replace")
    assert process.stdout.decode().strip() == "handed over"


def test_every_summary_has_a_chinese_translation(monkeypatch):
    """Until it has, the Chinese root help builds that command to list it (the same text, slower)."""
    monkeypatch.setenv("KEHU_LANG", "zh")
    untranslated = [name for name in COMMAND_SUMMARIES if listed_command(name, "zh") is None]
    assert untranslated == []
