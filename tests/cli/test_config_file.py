"""The config file says what is wrong with it (issue 15): a file that does not parse, an unknown
key or a value of the wrong kind is exit 78 for every command, naming the file and the line,
before anything is written or printed; `[vocabulary.NAME]` tables add words to kehu's lists,
checked on load; `kehu info` shows the config file and what in it matters."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TODAY
from tests.helpers import ok

WORDS = """\
workdays = true

[vocabulary.channel]
快递 = "courier"
"闪送" = "Same Day"

[vocabulary.source]
抖音直播 = "live stream"

[vocabulary.industry]
宠物 = "pets"
"""


@pytest.fixture(autouse=True)
def kehus_own_words_after():
    """A run puts a config's words in place for the process: the next test starts without them."""
    yield
    from kehu.config import EXTENDABLE

    for vocabulary in EXTENDABLE.values():
        vocabulary.use_added(())


@pytest.fixture
def config() -> Path:
    """The config file the autouse fixture points KEHU_CONFIG at (not yet written)."""
    path = Path(os.environ["KEHU_CONFIG"])
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def one_line(stderr: bytes | str) -> str:
    text = stderr.decode("utf-8") if isinstance(stderr, bytes) else stderr
    lines = text.splitlines()
    assert len(lines) == 1, text
    return lines[0]


def names_line(message: str, line: int) -> bool:
    """Whether the message names the line, in English or (once translated) in Chinese."""
    return re.search(rf"line {line}\b|第 ?{line} ?行", message) is not None


# --- a wrong file stops every command ---------------------------------------------------------

BROKEN = {
    "not-toml": ("# kehu\nworkdays = yes\n", 2, "a value kehu cannot read"),
    "unclosed": ('db = "~/kehu.db\n', 1, "a text without its closing quote"),
    "open-at-end": ('db = "x.db"\nlost_reasons = ["价格",\n', 2, "the file ends inside a value"),
    "backslash": ('db = "C:\\kehu.db"\n', 1, "a backslash in a text"),
    "wrong-type": ('# kehu\n\nworkdays = "yes"\n', 3, "workdays must be true or false"),
    "unknown-key": ("workday = true\n", 1, "unknown key workday; did you mean workdays?"),
    "unknown-far": ('db = "x.db"\ncolour = "blue"\n', 2, "unknown key colour; one of: db, workdays"),
    "db-number": ("db = 5\n", 1, "db must be a path or URL"),
    "reasons": ('workdays = false\nlost_reasons = "价格"\n', 2, "lost_reasons must be a list of texts"),
    "table-key": ('[workday]\nx = 1\n', 1, "did you mean workdays?"),
    "vocabulary-name": ('[vocabulary.chanel]\n快递 = "courier"\n', 1,
                        "unknown vocabulary chanel; did you mean channel?"),
    "closed-list": ('[vocabulary.grade]\nF = "F"\n', 1, "one of: channel, source, industry"),
    "table-twice": (WORDS + '[vocabulary.channel]\n', 12, "a key or table given twice"),
    "clash-word": ('[vocabulary.channel]\n快递 = "courier"\n电话 = "landline"\n', 3,
                   "电话 is already a channel word: phone"),
    "clash-english": ('[vocabulary.source]\n\n朋友圈 = "Friends"\n', 3, "Friends is already a source word"),
    "between-added": ('[vocabulary.channel]\n快递 = "courier"\n速递 = "courier"\n', 3,
                      "courier is already a channel word: courier"),
    "empty": ('[vocabulary.channel]\n快递 = "  "\n', 2, "an empty word"),
    "not-text": ('[vocabulary.channel]\n快递 = 1\n', 2, 'a word is written as 快递 = "courier"'),
    "backwards": ('[vocabulary.channel]\ncourier = "快递"\n', 2,
                  'the Chinese word goes first: 快递 = "courier"'),
    "dotted": ('vocabulary.channel.快递 = 3\n', 1, 'a word is written as'),
    "credit-figure": ('[credit.margin]\npass = 8\nwatch = 3\n', 1, "unknown figure credit.margin"),
    "credit-order": ('[credit.years_in_business]\nwatch = 5\npass = 2\n', 2,
                     "more is better, so pass (2) cannot be under watch (5)"),
    "credit-inline": ('[credit]\n\ncollection_days = { pass = 90, watch = 60 }\n', 3,
                      "less is better, so pass (90) cannot be over watch (60)"),
    "credit-not-number": ('[credit.collection_days]\npass = "sixty"\nwatch = 90\n', 2,
                          "credit.collection_days.pass must be a number, 0 or more"),
    "credit-dotted": ('credit.net_margin.pass = "high"\ncredit.net_margin.watch = 0\n', 1,
                      "credit.net_margin.pass must be a number, in percent"),
}  # fmt: skip


@pytest.mark.parametrize(("content", "line", "says"), BROKEN.values(), ids=BROKEN.keys())
def test_a_wrong_config_file_is_exit_78_naming_the_file_and_line(kehu, config, content, line, says):
    config.write_text(content, encoding="utf-8")
    result = kehu("list")
    assert result.exit_code == 78, result.stderr
    message = one_line(result.stderr)
    assert message.startswith(f"kehu: bad config file {config}") and names_line(message, line), message
    assert says in message
    assert result.stdout == ""


COMMANDS = [
    ("add", "杭州海纳"),
    ("log", "杭州海纳", "电话沟通"),
    ("import", "customers", "-"),
    ("followups",),
    ("info",),
    ("check",),
    ("stages", "杭州海纳"),  # reads no setting at all
    ("pipeline", "list"),
    ("log", "--help"),  # a command's own help too: only kehu --help and --version are exempt
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
def test_every_command_stops_before_creating_the_book(kehu_process, db_path, config, command):
    config.write_text("workday = true\n", encoding="utf-8")
    result = kehu_process(*command, input="name\n杭州海纳\n".encode())
    assert result.returncode == 78, result.stderr
    message = one_line(result.stderr)
    assert str(config) in message and names_line(message, 1) and "did you mean workdays?" in message
    assert result.stdout == b""
    assert not db_path.exists()  # nothing created: the file was checked first


def test_nothing_is_written_to_an_existing_book(kehu, config):
    ok(kehu("add", "杭州海纳"))
    config.write_text("workdays = yes\n", encoding="utf-8")
    assert kehu("log", "杭州海纳", "电话沟通", "--channel", "电话").exit_code == 78
    assert kehu("add", "宁波港务").exit_code == 78
    config.unlink()
    assert json.loads(ok(kehu("history", "杭州海纳", "--format", "json")).stdout) == []
    assert [r["name"] for r in json.loads(ok(kehu("list", "--format", "json")).stdout)] == ["杭州海纳"]


def test_help_and_version_answer_with_a_broken_config(kehu_process, config):
    config.write_text("workdays = yes\n", encoding="utf-8")
    version = kehu_process("--version", db=False)
    assert version.returncode == 0 and version.stdout.startswith(b"kehu ")
    assert kehu_process("--help", db=False).returncode == 0
    assert kehu_process("--today", TODAY, "--version", db=False).returncode == 0


def test_the_message_speaks_chinese_under_a_chinese_locale(kehu, config):
    config.write_text("# 我的配置\nworkdays = yes\n", encoding="utf-8")
    result = kehu("list", env={"LANG": "zh_CN.UTF-8"})
    assert result.exit_code == 78
    message = one_line(result.stderr)
    assert str(config) in message and names_line(message, 2)


def test_a_file_that_cannot_be_read_is_exit_78_too(kehu, config):
    config.write_bytes("workdays = true\n# 注释\n".encode("gbk"))
    result = kehu("list")
    assert result.exit_code == 78 and "not UTF-8" in one_line(result.stderr)
    config.unlink()
    config.mkdir()  # a directory where the file should be
    result = kehu("list")
    assert result.exit_code == 78 and "cannot read config file" in one_line(result.stderr)


def test_a_good_file_with_a_bom_and_windows_lines_is_read(kehu, config):
    config.write_bytes('\ufeffworkdays = true\r\n[vocabulary.channel]\r\n快递 = "courier"\r\n'.encode())
    ok(kehu("add", "杭州海纳"))
    ok(kehu("log", "杭州海纳", "寄样品", "--channel", "快递"))


def test_the_python_api_checks_the_config_file_as_the_command_line_does(config, target_db):
    import kehu
    from kehu.errors import ConfigError

    config.write_text("workday = true\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="did you mean workdays"):
        kehu.open_book(target_db, today=TODAY)
    config.write_text(WORDS, encoding="utf-8")
    with kehu.open_book(target_db, today=TODAY) as book:
        book.add("杭州海纳")
        book.log("杭州海纳", "寄样品", channel="快递")
        assert [t["channel"] for t in book.history("杭州海纳").touches] == ["courier"]


# --- words a book adds --------------------------------------------------------------------------


@pytest.fixture
def worded(kehu, config):
    config.write_text(WORDS, encoding="utf-8")
    ok(kehu("add", "杭州海纳", "--source", "抖音直播", "--industry", "宠物"))
    ok(kehu("log", "杭州海纳", "寄样品", "--channel", "快递"))
    ok(kehu("log", "杭州海纳", "又寄一次", "--channel", "same day"))
    return kehu


ZH = {"LANG": "zh_CN.UTF-8"}


def test_added_words_are_stored_as_codes_from_their_english(worded):
    touches = json.loads(ok(worded("history", "杭州海纳", "--format", "json")).stdout)
    assert [t["channel"] for t in touches] == ["same_day", "courier"]
    card = json.loads(ok(worded("list", "--format", "json", "--columns", "name,source,industry")).stdout)
    assert card == [{"name": "杭州海纳", "source": "live_stream", "industry": "pets"}]


def test_added_words_show_in_the_users_language(worded):
    english = ok(worded("history", "杭州海纳", "--format", "table")).stdout
    assert "courier" in english and "Same Day" in english and "快递" not in english
    chinese = ok(worded("history", "杭州海纳", "--format", "table", env=ZH)).stdout
    assert "快递" in chinese and "闪送" in chinese and "courier" not in chinese
    labelled = worded("list", "--format", "csv", "--labels", "--columns", "source,industry", env=ZH)
    assert ok(labelled).stdout.splitlines()[1] == "抖音直播,宠物"


def test_an_unknown_word_lists_the_added_ones_too(worded):
    result = worded("log", "杭州海纳", "飞鸽传书", "--channel", "信鸽")
    assert result.exit_code == 2
    assert "courier" in result.stderr and "Same Day" in result.stderr


def test_without_the_config_the_added_words_are_not_words(worded, config):
    config.unlink()
    assert worded("log", "杭州海纳", "寄样品", "--channel", "快递").exit_code == 2
    # What was stored stays and shows as its code.
    assert "courier" in ok(worded("history", "杭州海纳", "--format", "csv", env=ZH)).stdout


def test_a_word_kehu_already_has_with_the_same_meaning_adds_nothing(kehu, config):
    config.write_text('[vocabulary.channel]\n电话 = "phone"\n快递 = "courier"\n', encoding="utf-8")
    ok(kehu("add", "杭州海纳"))
    ok(kehu("log", "杭州海纳", "打了电话", "--channel", "电话"))
    info = json.loads(ok(kehu("info", "--format", "json")).stdout)[0]
    assert info["added_channel"] == "快递 = courier"


def test_added_words_round_trip_through_dump_and_load(worded, target_db, tmp_path):
    dumped = tmp_path / "book.json"
    dump = subprocess.run([sys.executable, "-m", "kehu", "--db", target_db, "dump"], capture_output=True,
                          timeout=120, env={**os.environ})  # fmt: skip
    assert dump.returncode == 0, dump.stderr
    dumped.write_bytes(dump.stdout)
    copy = tmp_path / "copy.db"
    load = subprocess.run([sys.executable, "-m", "kehu", "--db", str(copy), "load", str(dumped)],
                          capture_output=True, timeout=120)  # fmt: skip
    assert load.returncode == 0, load.stderr
    again = subprocess.run([sys.executable, "-m", "kehu", "--db", str(copy), "dump"], capture_output=True,
                           timeout=120)  # fmt: skip
    assert again.stdout == dump.stdout
    # A book whose config lacks the words refuses them, as any word it does not know.
    Path(os.environ["KEHU_CONFIG"]).unlink()
    refused = subprocess.run([sys.executable, "-m", "kehu", "--db", str(tmp_path / "bare.db"), "load",
                              str(dumped)], capture_output=True, timeout=120)  # fmt: skip
    assert refused.returncode == 65 and b"live_stream" in refused.stderr


def test_added_words_round_trip_through_export_and_import(worded, tmp_path):
    customers = ok(worded("export", "customers")).stdout
    touches = ok(worded("export", "touches")).stdout
    assert "live_stream" in customers and "courier" in touches
    copy = str(tmp_path / "copy.db")
    runner_args = ["--db", copy, "--today", TODAY]
    from typer.testing import CliRunner

    from kehu.cli.app import app

    runner = CliRunner()
    assert runner.invoke(app, [*runner_args, "import", "customers", "-"], input=customers).exit_code == 0
    assert runner.invoke(app, [*runner_args, "import", "touches", "-"], input=touches).exit_code == 0
    assert runner.invoke(app, [*runner_args, "export", "customers"]).stdout == customers
    assert runner.invoke(app, [*runner_args, "export", "touches"]).stdout == touches
    # A sheet typed by a person, in Chinese words, reads the same.
    typed = "客户名称,日期,方式,内容\n杭州海纳,2026-11-20,闪送,送合同\n"
    assert runner.invoke(app, [*runner_args, "import", "touches", "-"], input=typed).exit_code == 0
    history = json.loads(runner.invoke(app, [*runner_args, "history", "杭州海纳", "-f", "json"]).stdout)
    assert [t["channel"] for t in history] == ["same_day", "courier", "same_day"]


def complete(words: str, db: str) -> list[str]:
    """What bash is offered for `words` (as tests/cli/test_completion.py asks)."""
    parts = words.split()
    cword = len(parts) if words.endswith(" ") else len(parts) - 1
    env = {**os.environ, "_KEHU_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword),
           "KEHU_DB": db}  # fmt: skip
    code = "import sys; from kehu.cli.app import main; sys.argv[0] = 'kehu'; main()"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return done.stdout.split()


def test_added_words_complete(worded, target_db, config):
    assert complete("kehu log 杭州海纳 x --channel 快", target_db) == ["快递"]
    assert "same_day" in complete("kehu log 杭州海纳 x --channel s", target_db)
    assert "抖音直播" in complete("kehu add 宁波 --source 抖", target_db)
    config.write_text("workdays = yes\n", encoding="utf-8")  # broken: kehu's own words, no error
    assert complete("kehu log 杭州海纳 x --channel 快", target_db) == []
    assert complete("kehu log 杭州海纳 x --channel 电", target_db) == ["电话"]


def test_a_chinese_word_may_be_a_bare_key_or_quoted(kehu, config):
    config.write_text('[vocabulary.channel]\n快递 = "courier"\n"闪送" = "same day"\n', encoding="utf-8")
    ok(kehu("add", "杭州海纳"))
    ok(kehu("log", "杭州海纳", "寄样品", "--channel", "快递"))
    ok(kehu("log", "杭州海纳", "又寄", "--channel", "闪送"))


# --- kehu info ----------------------------------------------------------------------------------


def test_info_shows_the_config_file_and_what_matters_in_every_format(worded, config):
    data = json.loads(ok(worded("info", "--format", "json")).stdout)[0]
    assert data["config"] == str(config) and data["config_exists"] is True
    assert data["workdays"] is True and data["language"] == "en"
    assert data["added_channel"] == "快递 = courier; 闪送 = Same Day"
    assert data["added_source"] == "抖音直播 = live stream"
    assert data["added_industry"] == "宠物 = pets"
    assert data["added_lost_reason"] == ""
    assert json.loads(ok(worded("info", "--format", "json", env=ZH)).stdout)[0]["language"] == "zh"
    assert json.loads(ok(worded("info", "--format", "jsonl")).stdout)["config"] == str(config)
    for fmt, delimiter in (("csv", ","), ("tsv", "\t")):
        text = ok(worded("info", "--format", fmt)).stdout
        row = next(csv.DictReader(io.StringIO(text), delimiter=delimiter))
        assert (row["config_exists"], row["workdays"], row["language"]) == ("yes", "yes", "en")
        assert (row["config"], row["added_channel"]) == (str(config), data["added_channel"])
    table = ok(worded("info", "--format", "table")).stdout
    assert f"config file         {config}" in table
    assert "workdays            yes" in table and "language            English" in table
    assert "added channels      快递 = courier; 闪送 = Same Day" in table
    assert "added lost reasons" not in table  # a list the file adds nothing to is left out
    chinese = ok(worded("info", "--format", "table", env=ZH)).stdout
    assert "配置文件存在  是" in chinese and "界面语言      中文" in chinese


def test_info_says_when_there_is_no_config_file(kehu, config):
    assert not config.exists()
    data = json.loads(ok(kehu("info", "--format", "json")).stdout)[0]
    assert (data["config"], data["config_exists"], data["workdays"]) == (str(config), False, False)
    assert "config file exists  no" in ok(kehu("info", "--format", "table")).stdout
    config.write_text('lost_reasons = ["老板不喜欢", "预算砍了"]\n', encoding="utf-8")
    data = json.loads(ok(kehu("info", "--format", "json")).stdout)[0]
    assert data["config_exists"] is True and data["added_lost_reason"] == "老板不喜欢; 预算砍了"


def test_info_shows_the_credit_thresholds_in_effect(kehu, config):
    kehus = json.loads(ok(kehu("info", "--format", "json")).stdout)[0]["credit_thresholds"]
    assert kehus.startswith("registered_capital: pass >= 5000000, watch >= 1000000; ")
    config.write_text('[credit.registered_capital]\npass = "1000万"\nwatch = "200万"\n', encoding="utf-8")
    data = json.loads(ok(kehu("info", "--format", "json")).stdout)[0]
    assert data["credit_thresholds"].startswith("registered_capital: pass >= 10000000, watch >= 2000000; ")
    assert data["credit_thresholds"].split("; ")[1:] == kehus.split("; ")[1:]  # the others: kehu's
    # A table says it in words, in the user's language, a figure a line when the screen is narrow.
    table = ok(kehu("info", "--format", "table", env={"KEHU_LANG": "en", "COLUMNS": "80"})).stdout
    assert "credit thresholds   registered capital: pass >= 10000000, watch >= 2000000;\n" in table
    table = ok(kehu("info", "--format", "table", env={"KEHU_LANG": "zh", "COLUMNS": "80"})).stdout
    assert "信用审查阈值  注册资本: 通过 >= 10000000, 关注 >= 2000000;\n" in table


def test_the_readme_config_example_is_a_good_file_with_kehus_defaults(kehu, config):
    """README's configuration example says its collection ladder and credit thresholds are the
    defaults: kehu reads the block without a complaint, and they are."""
    from kehu.config import load_settings
    from kehu.domain.collection import DEFAULT_LADDER, ladder_from_config
    from kehu.domain.credit import THRESHOLDS, thresholds_from_config
    from tests.helpers import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Configuration") :]
    start = section.index("```toml\n") + len("```toml\n")
    block = section[start : section.index("```\n", start)]
    config.write_text(block.replace('db = "~/销售/kehu.db"\n', ""), encoding="utf-8")  # this test's book
    ok(kehu("info"))
    values = load_settings().values  # as kehu reads it: a bare Chinese key is not TOML 1.0
    assert ladder_from_config(values["collection"]) == DEFAULT_LADDER
    assert thresholds_from_config(values["credit"]) == THRESHOLDS
    assert set(values["credit"]) == set(THRESHOLDS)  # every figure shown
