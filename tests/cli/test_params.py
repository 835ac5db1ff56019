"""The parameter types of kehu.cli.params: every date and every word of a vocabulary typed on
the command line is read one way, refused with one message (exit 2) and written to nothing."""

from __future__ import annotations

import json

import pytest

from tests.helpers import ok

EN = {"KEHU_LANG": "en"}
ZH = {"KEHU_LANG": "zh"}
# The examples under the message speak the interface's language (English words in English).
EXAMPLES = "2026-12-01, 12-01, tomorrow, in 3 days, next wednesday, end of month, +2w"
EXAMPLES_ZH = "2026-12-01、12-01、12月1日、明天、3天后、下周三、月底、+2w"
BAD = "13月40日"

# (the command with {bad} where the date goes, how the message names it in English, in Chinese)
DATES = [
    (("log", "海纳", "电话", "--date", "{bad}"), "--date", "--date"),
    (("plan", "海纳", "{bad}", "--purpose", "交流"), "visit day", "拜访日期"),
    (("snooze", "海纳", "{bad}"), "new due date", "新的跟进日期"),
    (("followups", "{bad}"), "day", "日期"),
    (("add", "乙公司", "--expected-close", "{bad}"), "--expected-close", "--expected-close"),
    (("contract", "add", "海纳", "-a", "10万", "--signed", "{bad}", "--terms", "30"), "--signed", "--signed"),
    (("contract", "add", "海纳", "-a", "10万", "--due", "{bad}"), "--due", "--due"),
    (("pay", "海纳", "1万", "--date", "{bad}"), "--date", "--date"),
    (("report", "--from", "{bad}"), "--from", "--from"),
    (("report", "funnel", "--to", "{bad}"), "--to", "--to"),
    (("report", "activity", "--from", "{bad}"), "--from", "--from"),
]  # fmt: skip


@pytest.fixture
def book(kehu):
    ok(kehu("add", "杭州海纳科技", "--grade", "B"))
    return kehu


def _fill(command: tuple[str, ...], bad: str) -> list[str]:
    return [word.format(bad=bad) for word in command]


def _unchanged(kehu) -> tuple[str, str]:
    """What the book holds that a refused command could have changed."""
    return kehu("list", "--format", "csv").stdout, kehu("history", "海纳", "--format", "csv").stdout


def _ids(value: object) -> str | None:
    return " ".join(value[:2]) if isinstance(value, tuple) else None


@pytest.mark.parametrize(("command", "english", "chinese"), DATES, ids=_ids)
def test_a_date_that_cannot_be_read_has_one_message_in_both_languages(book, command, english, chinese):
    before = _unchanged(book)
    result = book(*_fill(command, BAD), env=EN)
    assert (result.exit_code, result.stderr) == (
        2, f"kehu: {english}: cannot read date '{BAD}'; try e.g. {EXAMPLES}\n")  # fmt: skip
    result = book(*_fill(command, BAD), env=ZH)
    assert (result.exit_code, result.stderr) == (
        2, f"kehu: {chinese}：无法识别日期 '{BAD}'；可以这样写：{EXAMPLES_ZH}\n")  # fmt: skip
    assert _unchanged(book) == before


def test_today_itself_is_read_the_same_way(on):
    result = on(BAD, "list", env=EN)
    assert (result.exit_code, result.stderr) == (
        2, f"kehu: --today: cannot read date '{BAD}'; try e.g. {EXAMPLES}\n")  # fmt: skip
    result = on(BAD, "list", env=ZH)
    assert (result.exit_code, result.stderr) == (
        2, f"kehu: --today：无法识别日期 '{BAD}'；可以这样写：{EXAMPLES_ZH}\n")  # fmt: skip


@pytest.mark.parametrize(
    ("command", "option"),
    [(("pay", "海纳", "1万", "--date", "9999-12-31"), "--date"),
     (("report", "--to", "9999-12-31"), "--to"),
     (("contract", "add", "海纳", "-a", "10万", "--due", "+999y"), "--due"),
     (("snooze", "海纳", "+999y"), "new due date")],
    ids=lambda v: v[0] if isinstance(v, tuple) else v,
)  # fmt: skip
def test_a_date_beyond_the_kept_range_says_so(book, command, option):
    result = book(*command, env=EN)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"kehu: {option}: date out of range: ")
    assert result.stderr.endswith("(kehu keeps dates from 1000-01-01 to 2999-12-31)\n")


def test_dates_are_resolved_against_the_today_option(on):
    ok(on("2026-11-23", "add", "杭州海纳科技"))
    ok(on("2026-11-23", "contract", "add", "海纳", "-a", "10万", "--signed", "2026-11-01", "--terms", "30"))
    result = on("2027-01-05", "pay", "海纳", "1万", "--date", "昨天")
    assert result.exit_code == 0, result.stderr
    assert "--date: 2027-01-04\n" in result.stderr
    signed = on("2026-12-31", "contract", "add", "海纳", "-a", "1万", "--signed", "明天", "--terms", "30")
    assert "--signed: 2027-01-01\n" in signed.stderr
    assert "due 2027-01-31" in signed.stderr


# (the command with {bad} where the word goes, how the message names it, the choices in English, in Chinese)
WORDS = [
    (("grade", "海纳", "{bad}"), "grade", "A, B, C, D, E", "A、B、C、D、E"),
    (("list", "--grade", "{bad}"), "--grade", "A, B, C, D, E", "A、B、C、D、E"),
    (("edit", "海纳", "--grade", "{bad}"), "--grade", "A, B, C, D, E", "A、B、C、D、E"),
    (("log", "海纳", "电话", "--channel", "{bad}"), "--channel",
     "phone, visit, WeChat, email, SMS, meeting, exhibition, fax, DingTalk, WeCom, QQ, other",
     "电话、拜访、微信、邮件、短信、会议、展会、传真、钉钉、企业微信、QQ、其他"),
    (("qualify", "海纳", "--can-win", "{bad}"), "--can-win", "yes, no, unknown", "是、否、不确定"),
]  # fmt: skip


@pytest.mark.parametrize(("command", "option", "english", "chinese"), WORDS, ids=_ids)
def test_a_word_outside_its_vocabulary_has_one_message_listing_the_choices(
    book, command, option, english, chinese
):
    before = _unchanged(book)
    result = book(*_fill(command, "飞鸽"), env=EN)
    assert (result.exit_code, result.stderr) == (
        2, f"kehu: {option}: unknown value '飞鸽'; one of: {english}\n")  # fmt: skip
    result = book(*_fill(command, "飞鸽"), env=ZH)
    assert (result.exit_code, result.stderr) == (2, f"kehu: {option}：无效的值 '飞鸽'；可选：{chinese}\n")
    assert _unchanged(book) == before


def test_a_lost_reason_lists_the_book_s_own_words_too(book, tmp_path):
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('lost_reasons = ["老板不喜欢"]\n', encoding="utf-8")
    result = book("lost", "海纳", "--reason", "天气", env=EN)
    assert result.exit_code == 2
    first, hint = result.stderr.splitlines()
    assert first == (
        "kehu: --reason: unknown value '天气'; one of: price, lost to a competitor, no budget, "
        "need changed, relationship, timing, product fit, no decision, other, 老板不喜欢"
    )
    assert "lost_reasons" in hint
    chinese = book("lost", "海纳", "--reason", "天气", env=ZH).stderr.splitlines()[0]
    assert chinese.startswith("kehu: --reason：无效的值 '天气'；可选：价格、输给竞争对手、")
    assert chinese.endswith("、其他、老板不喜欢")


def test_a_word_is_read_in_either_language_and_stored_as_its_code(book):
    ok(book("qualify", "海纳", "--need", "是", "--budget", "NO"))
    answers = {row["key"]: row["answer"] for row in json.loads(book("qualify", "海纳", "-f", "json").stdout)}
    assert (answers["need"], answers["budget"]) == ("yes", "no")
    ok(book("grade", "海纳", "a级"))
    assert book("list", "--columns", "grade", "-f", "csv").stdout == "grade\nA\n"
    result = ok(book("lost", "海纳", "--reason", "输给竞争对手", env=EN))
    assert "lost (lost to a competitor)" in result.stderr
    lost = book("report", "lost", "-f", "csv", env=ZH).stdout.splitlines()[1:]
    assert lost == ["competitor,1"]  # data: the code in every language
    worded = book("report", "lost", "-f", "csv", "--labels", env=ZH).stdout.splitlines()[1:]
    assert worded == ["输给竞争对手,1"]
