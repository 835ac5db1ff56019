"""Every command's --help speaks one language: Chinese under a Chinese locale, English otherwise.

The walk runs in one subprocess per language (Typer reads its panel titles through gettext when
it is first imported, so the language must be set before that), printing every command's and
subcommand's help wide enough not to wrap; the checks read it line by line.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from rich.cells import cell_len

from kehu.cli.localize import usage_message

CJK = re.compile(r"[\u3400-\u9fff\uff01-\uff5e\u3001-\u3011]")
BOX = re.compile(r"[│╭╮╰╯─┃━┏┓┗┛]")
QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|'[^']*'|`[^`]*`")
# What is not prose on a help line: options, metavars, markers in brackets, the argument star.
NOT_PROSE = re.compile(r"(?<!\w)--?[\w-]+|<[^>]*>|\[[^\]]*\]|\{[^}]*\}|\*")

WALK = """
import json, sys
from kehu.i18n import install_for_click
install_for_click()
from typer.testing import CliRunner
from kehu.cli.app import COMMAND_MODULES, app, build_commands

def paths():
    yield []
    for module in dict.fromkeys(COMMAND_MODULES.values()):
        for name, command in build_commands(module).items():
            yield [name]
            for sub in getattr(command, "commands", {}) or {}:
                yield [name, sub]

runner = CliRunner()
out = {}
for path in paths():
    result = runner.invoke(app, [*path, "--help"], prog_name="kehu")
    out[" ".join(["kehu", *path])] = (result.exit_code, result.output)
print(json.dumps(out, ensure_ascii=False))
"""


def _helps(language: dict[str, str]) -> dict[str, tuple[int, str]]:
    env = {"TERMINAL_WIDTH": "250", "NO_COLOR": "1", "_TYPER_FORCE_DISABLE_TERMINAL": "1",
           "PATH": "/usr/bin:/bin", "HOME": "/nonexistent", **language}  # fmt: skip
    process = subprocess.run([sys.executable, "-c", WALK], capture_output=True, env=env, timeout=300)
    assert process.returncode == 0, process.stderr.decode("utf-8", "replace")
    helps = json.loads(process.stdout.decode("utf-8"))
    assert len(helps) > 60  # every command and subcommand was reached
    return helps


def _prose(line: str, example_words: tuple[str, ...]) -> str:
    """The words of a help line a reader reads as text (not examples, options or markers)."""
    line = BOX.sub(" ", line).strip()
    if line.startswith(("kehu ", "echo ", "python ")):
        return ""
    for word in example_words:  # an example runs to the end of its line
        line = line.split(word, 1)[0]
    return NOT_PROSE.sub(" ", QUOTED.sub(" ", line)).strip()


@pytest.fixture(scope="module")
def chinese_helps():
    return _helps({"LANG": "zh_CN.UTF-8"})


@pytest.fixture(scope="module")
def english_helps():
    return _helps({"LANG": "C.UTF-8"})


def test_every_help_line_is_chinese_under_a_chinese_locale(chinese_helps):
    problems = []
    for path, (code, text) in chinese_helps.items():
        assert code == 0, (path, text)
        for line in text.splitlines():
            prose = _prose(line, ("示例：", "例如", "Example:"))
            command_name = path.split()[-1]
            if re.search(r"[A-Za-z]{3,}", prose) and not CJK.search(prose) and prose != command_name:
                problems.append(f"{path}: {line.strip()}")
    assert not problems, "help lines without Chinese:\n" + "\n".join(problems)


def test_no_chinese_in_english_help_outside_quotes_and_examples(english_helps):
    problems = []
    for path, (code, text) in english_helps.items():
        assert code == 0, (path, text)
        for line in text.splitlines():
            if CJK.search(_prose(line, ("Example:", "e.g."))):
                problems.append(f"{path}: {line.strip()}")
    assert not problems, "Chinese in English help:\n" + "\n".join(problems)


def test_the_usage_line_and_panels_follow_the_language(chinese_helps, english_helps):
    chinese = chinese_helps["kehu log"][1]
    assert "用法：" in chinese and "Usage:" not in chinese
    assert "[选项]" in chinese and "Options" not in chinese
    english = english_helps["kehu log"][1]
    assert "Usage: kehu log [OPTIONS]" in english
    assert "Show this message and exit." in english


def test_vocabularies_in_help_are_the_words_of_the_language(chinese_helps, english_helps):
    chinese = chinese_helps["kehu log"][1]
    english = english_helps["kehu log"][1]
    assert "电话、拜访" in chinese
    assert "phone, visit" in english.lower()
    assert "(ordinary, partner, strategic)" in english_helps["kehu add"][1]


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("Missing argument 'customer'.", "缺少参数 'customer'。"),
        ("Missing option '--purpose'.", "缺少选项 '--purpose'。"),
        # Typer translates its own part first, then appends its English suggestion
        ("没有 'folowups' 这个命令。. Did you mean 'followups'?",
         "没有 'folowups' 这个命令。是不是要找 'followups'？"),
        ("Invalid value for '--limit' / '-n': 'x' is not a valid int range.",
         "'--limit' / '-n' 的值无效：'x' 不是整数"),
        ("Got unexpected extra argument(s) (a b)", "多余的参数：a b"),
    ],
)  # fmt: skip
def test_click_usage_errors_in_chinese(english, chinese, monkeypatch):
    monkeypatch.setenv("KEHU_LANG", "zh")
    assert usage_message(english) == chinese


def test_click_usage_errors_stay_as_click_writes_them_in_english(monkeypatch):
    monkeypatch.setenv("KEHU_LANG", "en")
    for message in ("Missing argument 'customer'.", "No such option: --bogus (Possible options: --columns)"):
        assert usage_message(message) == message


def test_a_usage_error_in_a_real_process(kehu_process):
    chinese = kehu_process("log", env={"LANG": "zh_CN.UTF-8", "NO_COLOR": "1", "TERMINAL_WIDTH": "100"})
    assert chinese.returncode == 2
    text = chinese.stderr.decode("utf-8")
    assert "缺少参数 'customer'。" in text and "用法：" in text
    assert not re.search(r"Missing|Usage|Error", text)
    english = kehu_process("log", env={"LANG": "C.UTF-8", "NO_COLOR": "1", "TERMINAL_WIDTH": "100"})
    assert english.returncode == 2
    assert "Missing argument 'customer'." in english.stderr.decode("utf-8")


def test_chinese_help_folds_at_80_columns_instead_of_cutting(kehu_process):
    env = {"LANG": "zh_CN.UTF-8", "NO_COLOR": "1", "TERMINAL_WIDTH": "80"}
    shown = kehu_process("log", "--help", env=env)
    assert shown.returncode == 0
    lines = shown.stdout.decode("utf-8").splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    flowing = "".join(BOX.sub("", line).strip() for line in lines)
    assert "会议、展会、传真、钉钉、企业微信、QQ、其他；默认与上次跟进相同。" in flowing


def test_a_mistyped_command_gets_a_suggestion_in_either_language(kehu_process):
    plain = {"NO_COLOR": "1", "TERMINAL_WIDTH": "100"}
    chinese = kehu_process("folowups", env={**plain, "LANG": "zh_CN.UTF-8"})
    assert chinese.returncode == 2
    assert "没有 'folowups' 这个命令。是不是要找 'followups'？" in chinese.stderr.decode("utf-8")
    english = kehu_process("folowups", env={**plain, "LANG": "C.UTF-8"})
    assert "No such command 'folowups'. Did you mean 'followups'?" in english.stderr.decode("utf-8")
