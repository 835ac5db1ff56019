"""The Chinese user interface: the catalogue is complete, and kehu and Typer speak Chinese.

The catalogue tests read src/kehu/locale/zh_CN/LC_MESSAGES/kehu.po (the source of truth) and the
compiled kehu.mo next to it (written by hatch_build.py on `pip install -e .`). The CLI tests run
kehu in-process (kehu's own messages) and as a subprocess (Typer's messages, which are only
translated once `main()` has installed kehu's catalogue as the process-wide gettext domain).
"""

from __future__ import annotations

import ast
import gettext
import re
import string
from pathlib import Path

import pytest

import kehu
from kehu.i18n import DOMAIN, LOCALE_DIR

SRC = Path(kehu.__file__).parent
PO_PATH = LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / f"{DOMAIN}.po"
MO_PATH = PO_PATH.with_suffix(".mo")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

ZH = {"KEHU_LANG": "zh"}
EN = {"KEHU_LANG": "en"}


# --- the catalogue -------------------------------------------------------------------------


def _babel() -> None:
    """Babel builds the .mo (a build requirement) and reads the catalogue here."""
    try:
        import babel  # noqa: F401
    except ModuleNotFoundError:
        pytest.fail("the catalogue tests need Babel: add babel>=2.14 to the `test` extra")


def _read_catalogue():
    _babel()
    from babel.messages.pofile import read_po

    with PO_PATH.open("rb") as po_file:
        return read_po(po_file)


def _hidden_in_fstrings() -> set[str]:
    """`_("…")` calls inside an f-string: Babel's extractor on Python 3.11 cannot see them."""
    found = set()
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for joined in (n for n in ast.walk(tree) if isinstance(n, ast.JoinedStr)):
            for call in (n for n in ast.walk(joined) if isinstance(n, ast.Call)):
                if (
                    isinstance(call.func, ast.Name)
                    and call.func.id == "_"
                    and call.args
                    and isinstance(call.args[0], ast.Constant)
                    and isinstance(call.args[0].value, str)
                ):
                    found.add(call.args[0].value)
    return found


def _kehu_msgids() -> dict[str | tuple[str, str], str]:
    """Every message of src/kehu (msgid → where it is), as `pybabel extract` finds them."""
    _babel()
    from babel.messages.extract import extract_from_dir

    found: dict[str | tuple[str, str], str] = {}
    for filename, lineno, message, *_rest in extract_from_dir(SRC, keywords=KEYWORDS):
        found.setdefault(message, f"src/kehu/{filename}:{lineno}")
    for message in _hidden_in_fstrings():
        found.setdefault(message, "inside an f-string")
    return found


def _typer_msgids() -> dict[str, str]:
    """Typer's gettext messages (typer/core.py and typer/rich_utils.py)."""
    import typer

    _babel()
    from babel.messages.extract import extract_from_file

    found: dict[str, str] = {}
    for name in ("core.py", "rich_utils.py"):
        path = Path(typer.__file__).parent / name
        for lineno, message, *_rest in extract_from_file("python", path, keywords={"_": None}):
            found.setdefault(message, f"typer/{name}:{lineno}")
    return found


def _placeholders(text: str) -> set[tuple[str, str | None, str]]:
    return {
        (name, conversion, spec or "")
        for _literal, name, spec, conversion in string.Formatter().parse(text)
        if name is not None
    }


def _problems(msgids: dict) -> list[str]:
    catalogue = _read_catalogue()
    problems = []
    for msgid, where in msgids.items():
        message = catalogue.get(msgid)
        if message is None:
            problems.append(f"{where}: no translation for {msgid!r}")
            continue
        if message.fuzzy:
            problems.append(f"{where}: fuzzy translation of {msgid!r}")
        english = msgid[-1] if isinstance(msgid, tuple) else msgid
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        for form in forms:
            if not form or not form.strip():
                problems.append(f"{where}: empty translation of {msgid!r}")
            elif "\n" in form and "\n" not in english:
                problems.append(f"{where}: translation of {msgid!r} is not one line")
            elif _placeholders(form) != _placeholders(english):
                problems.append(
                    f"{where}: placeholders of {msgid!r} differ in {form!r}: "
                    f"{sorted(_placeholders(english))} != {sorted(_placeholders(form))}"
                )
    return problems


def test_every_kehu_message_has_a_chinese_translation():
    msgids = _kehu_msgids()
    assert len(msgids) > 50  # the extraction really found kehu's messages
    problems = _problems(msgids)
    hint = "kehu.po is incomplete; see src/kehu/locale/README.md"
    assert not problems, hint + ":\n" + "\n".join(problems)


def test_typer_messages_have_chinese_translations():
    msgids = _typer_msgids()
    for known in ("Error", "Options", "Try [blue]'{command_path} {help_option}'[/] for help."):
        assert known in msgids
    problems = _problems(msgids)
    hint = "kehu.po lacks Typer's messages; see src/kehu/locale/README.md"
    assert not problems, hint + ":\n" + "\n".join(problems)


def test_compiled_catalogue_matches_the_po():
    """kehu.mo is what runs: stale after a .po edit until `pip install -e .` compiles it again."""
    assert MO_PATH.exists(), f"{MO_PATH} missing: run `.venv/bin/pip install -e .`"
    with MO_PATH.open("rb") as mo_file:
        compiled = gettext.GNUTranslations(mo_file)
    stale = [
        message.id
        for message in _read_catalogue()
        if message.id and isinstance(message.id, str) and message.string and not message.fuzzy
        if compiled.gettext(message.id) != message.string
    ]
    assert not stale, f"kehu.mo is older than kehu.po; run `.venv/bin/pip install -e .`: {stale}"


# --- kehu's own messages, in-process ---------------------------------------------------------


def test_error_in_chinese(kehu):
    result = kehu("list", "--grade", "X", env=ZH)
    assert result.exit_code == 2
    assert result.stderr == "kehu: --grade：无效的值 'X'；可选：A、B、C、D、E\n"


def test_error_in_english(kehu):
    result = kehu("list", "--grade", "X", env=EN)
    assert result.exit_code == 2
    assert result.stderr.startswith("kehu: --grade: unknown value 'X'; one of: A")


def test_not_found_in_chinese_and_english(kehu):
    chinese = kehu("show", "不存在的客户", env=ZH)
    assert (chinese.exit_code, chinese.stderr) == (1, "kehu: 找不到客户 '不存在的客户'\n")
    english = kehu("show", "不存在的客户", env=EN)
    assert (english.exit_code, english.stderr) == (
        1,
        "kehu: no customer matches '不存在的客户'\n",
    )


def _table_header(stdout: str) -> list[str]:
    header = next(line for line in stdout.splitlines() if line.startswith("┃"))
    return [cell.strip() for cell in header.split("┃") if cell.strip()]


def test_table_and_messages_in_chinese(kehu):
    added = kehu("add", "杭州海纳科技有限公司", "--grade", "B", env=ZH)
    assert added.stderr == "已添加客户 1：杭州海纳科技有限公司\n"
    listed = kehu("list", "--format", "table", env={**ZH, "COLUMNS": "120"})
    assert listed.exit_code == 0
    assert _table_header(listed.stdout)[:3] == ["编号", "客户名称", "客户等级"]
    card = kehu("show", "1", "--format", "table", env={**ZH, "COLUMNS": "120"})
    assert "还没有联系人：kehu contact add 1 姓名" in card.stdout


def test_table_and_messages_in_english(kehu):
    added = kehu("add", "杭州海纳科技有限公司", "--grade", "B", env=EN)
    assert added.stderr == "added customer 1: 杭州海纳科技有限公司\n"
    listed = kehu("list", "--format", "table", env={**EN, "COLUMNS": "120"})
    assert listed.exit_code == 0
    assert _table_header(listed.stdout)[:3] == ["id", "name", "grade"]
    card = kehu("show", "1", "--format", "table", env={**EN, "COLUMNS": "120"})
    assert "no contacts yet: kehu contact add 1 NAME" in card.stdout


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "kehu: 找不到客户 'hzkj'\n"),
        ({"LANG": "zh_TW.UTF-8"}, "kehu: 找不到客户 'hzkj'\n"),
        ({"LANG": "C.UTF-8", "LC_ALL": "zh_CN.UTF-8"}, "kehu: 找不到客户 'hzkj'\n"),
        ({"LANG": "zh_CN.UTF-8", "KEHU_LANG": "en"}, "kehu: no customer matches 'hzkj'\n"),
        ({"LANG": "zh_CN.UTF-8", "LC_ALL": "en_US.UTF-8"}, "kehu: no customer matches 'hzkj'\n"),
        ({"LANG": "en_US.UTF-8", "KEHU_LANG": "zh_CN"}, "kehu: 找不到客户 'hzkj'\n"),
    ],
)
def test_language_from_the_environment(kehu, env, expected):
    result = kehu("show", "hzkj", env=env)
    assert (result.exit_code, result.stderr) == (1, expected)


# --- Typer's own messages, in a real process -------------------------------------------------

PLAIN = {"_TYPER_FORCE_DISABLE_TERMINAL": "1", "COLUMNS": "100", "NO_COLOR": "1"}


def _stderr(process) -> str:
    return ANSI.sub("", process.stderr.decode("utf-8"))


@pytest.mark.parametrize("env", [{"LANG": "zh_CN.UTF-8"}, {"KEHU_LANG": "zh"}])
def test_usage_error_in_chinese(kehu_process, env):
    process = kehu_process("show", env={**PLAIN, **env})
    assert process.returncode == 2
    lines = _stderr(process).splitlines()
    assert "运行 'python -m kehu show -h' 查看帮助。" in lines
    assert any(line.startswith("╭─ 错误 ─") for line in lines)
    # Typer's vendored click has no gettext: kehu says its message again (cli/localize.py).
    assert "缺少参数 'customer'。" in _stderr(process)


def test_usage_error_in_english_when_kehu_lang_is_en(kehu_process):
    process = kehu_process("show", env={**PLAIN, "LANG": "zh_CN.UTF-8", "KEHU_LANG": "en"})
    assert process.returncode == 2
    lines = _stderr(process).splitlines()
    assert "Try 'python -m kehu show -h' for help." in lines
    assert any(line.startswith("╭─ Error ─") for line in lines)
    assert not re.search(r"[\u4e00-\u9fff]", _stderr(process))


def test_unknown_command_in_chinese(kehu_process):
    process = kehu_process("nosuch", env={**PLAIN, "LANG": "zh_CN.UTF-8"})
    assert process.returncode == 2
    assert "没有 'nosuch' 这个命令。" in _stderr(process)


def test_help_panels_in_chinese(kehu_process):
    process = kehu_process("add", "--help", env={**PLAIN, "LANG": "zh_CN.UTF-8"})
    assert process.returncode == 0
    lines = ANSI.sub("", process.stdout.decode("utf-8")).splitlines()
    for title in ("参数", "选项", "客户资料卡字段"):
        assert any(line.startswith(f"╭─ {title} ─") for line in lines), title
    assert any("[必填]" in line for line in lines)
