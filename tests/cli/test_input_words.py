"""Input in either language through the real commands (issue 15): English date words where any
date is typed (`--next "next friday 送样品"`, `--date yesterday`, `snooze … eom`), amounts such as
`kehu pay … 1.5M`, and the channels and sources a Chinese office uses (`--channel 钉钉`,
`--source 抖音`), stored as codes and read back on both backends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import ok, rows

EN = {"KEHU_LANG": "en"}
ZH = {"KEHU_LANG": "zh"}
# TODAY (the conftest's) is Monday 2026-11-23.


@pytest.fixture
def book(kehu):
    ok(kehu("add", "杭州海纳科技", "--grade", "B"))
    return kehu


def history(kehu, customer: str = "海纳") -> list[dict]:
    return json.loads(ok(kehu("history", customer, "--format", "json")).stdout)


def due(kehu, day: str) -> dict[str, dict]:
    return {r["customer"]: r for r in rows(kehu, day) if r["kind"] in ("overdue", "due")}


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day", "step"),
    [
        ("next friday 送样品", "2026-12-04", "送样品"),
        ("Next Friday send samples", "2026-12-04", "send samples"),
        ("in 3 days call back", "2026-11-26", "call back"),
        ("eom 催合同", "2026-11-30", "催合同"),
        ("next week 回访", "2026-11-30", "回访"),
        ("下周三 送样品", "2026-12-02", "送样品"),  # the Chinese still
    ],
)
def test_next_takes_an_english_date_before_the_step(book, text, day, step):
    result = ok(book("log", "海纳", "电话沟通", "--next", text))
    assert f"--next: {day} {step}" in result.stderr
    [touch] = history(book)
    assert (touch["next_step_on"], touch["next_step"]) == (day, step)
    row = due(book, day)["杭州海纳科技"]
    assert (row["day"], row["next_step"]) == (day, step)


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (("log", "海纳", "电话", "--date", "yesterday"), "--date: 2026-11-22"),
        (("log", "海纳", "电话", "--date", "3 days ago"), "--date: 2026-11-20"),
        (("log", "海纳", "电话", "--date", "last friday"), "--date: 2026-11-20"),
    ],
)
def test_a_touch_dated_in_english_words(book, args, shown):
    assert shown in ok(book(*args)).stderr
    [touch] = history(book)
    assert touch["happened_on"] == shown.split(": ")[1]


def test_snooze_contract_and_pay_read_english_dates(book):
    assert "2026-11-30" in ok(book("snooze", "海纳", "end of month")).stderr
    assert due(book, "2026-11-30")["杭州海纳科技"]["day"] == "2026-11-30"
    ok(book("contract", "add", "海纳", "-a", "2M", "--signed", "nov 20", "--due", "in 2 weeks"))
    assert "--date: 2026-11-24" in ok(book("pay", "海纳", "300k", "--date", "tomorrow")).stderr
    [contract] = json.loads(ok(book("contract", "list", "--format", "json")).stdout)
    assert (contract["signed_on"], contract["due_on"], contract["paid"]) == (
        "2026-11-20",
        "2026-12-07",
        "300000.00",
    )


@pytest.mark.parametrize(
    ("env", "examples"),
    [
        (EN, "2026-12-01, 12-01, tomorrow, in 3 days, next wednesday, end of month, +2w"),
        (ZH, "2026-12-01、12-01、12月1日、明天、3天后、下周三、月底、+2w"),
    ],
)
def test_an_unreadable_date_shows_examples_in_the_interface_language(book, env, examples):
    result = book("log", "海纳", "电话", "--date", "blursday", env=env)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.rstrip("\n").endswith(examples)
    assert history(book) == []


def test_next_without_a_date_shows_an_example_in_the_interface_language(book):
    english = book("log", "海纳", "电话", "--next", "blursday send samples", env=EN)
    assert english.exit_code == 2
    assert english.stderr == (
        'kehu: --next: start with a date, e.g. "next wednesday send samples" '
        "(2026-12-01, 12-01, tomorrow, in 3 days, next wednesday, end of month, +2w)\n"
    )
    assert english.stderr.isascii()
    chinese = book("log", "海纳", "电话", "--next", "blursday send samples", env=ZH)
    assert chinese.exit_code == 2
    assert "“下周三 送样品”" in chinese.stderr and "明天" in chinese.stderr
    assert chinese.stderr.count("\n") == 1
    assert history(book) == []


# --- amounts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "paid", "outstanding"),
    [
        ("1.5M", "1500000.00", "500000.00"),
        ("1.5m", "1500000.00", "500000.00"),
        ("300k", "300000.00", "1700000.00"),
        ("1,200,000", "1200000.00", "800000.00"),
        ("150万", "1500000.00", "500000.00"),
        ("0.02亿", "2000000.00", "0.00"),
        ("1234567.89", "1234567.89", "765432.11"),
        ("1.23456789M", "1234567.89", "765432.11"),  # exact: no float on the way
    ],
)
def test_pay_takes_amounts_in_either_language(book, amount, paid, outstanding):
    ok(book("contract", "add", "海纳", "--amount", "2M", "--terms", "30"))
    result = ok(book("pay", "海纳", amount))
    assert f"{paid} received from 杭州海纳科技; outstanding {outstanding}" in result.stderr
    [contract] = json.loads(ok(book("contract", "list", "--format", "json")).stdout)
    assert (contract["paid"], contract["outstanding"]) == (paid, outstanding)


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("1,5M", "kehu: amount: commas group thousands, as in 1,200,000 (decimals take a point): 1,5M\n"),
        ("lots", "kehu: amount: not an amount of money: lots (e.g. 850000, 1,200,000.50, 300k, 1.5M)\n"),
        ("1.5x", "kehu: amount: not an amount of money: 1.5x (e.g. 850000, 1,200,000.50, 300k, 1.5M)\n"),
    ],
)
def test_a_bad_amount_is_refused_with_a_clear_message_and_nothing_paid(book, amount, message):
    ok(book("contract", "add", "海纳", "--amount", "2M", "--terms", "30"))
    result = book("pay", "海纳", amount, env=EN)
    assert (result.exit_code, result.stderr) == (2, message)
    [contract] = json.loads(ok(book("contract", "list", "--format", "json")).stdout)
    assert contract["paid"] == "0.00"


def test_a_customers_expected_value_takes_the_same_words(book):
    ok(book("edit", "海纳", "--expected-value", "2.5m"))
    [card] = json.loads(ok(book("export", "customers", "--format", "json")).stdout)
    assert card["expected_value"] == "2500000.00"


# --- channels and sources -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "code", "zh", "en"),
    [
        ("钉钉", "dingtalk", "钉钉", "DingTalk"),
        ("DingTalk", "dingtalk", "钉钉", "DingTalk"),
        ("企业微信", "wecom", "企业微信", "WeCom"),
        ("wecom", "wecom", "企业微信", "WeCom"),
        ("QQ", "qq", "QQ", "QQ"),
        ("qq", "qq", "QQ", "QQ"),
        ("其他", "other", "其他", "other"),
        ("其它", "other", "其他", "other"),
        ("微信", "wechat", "微信", "WeChat"),  # an old one, unchanged
    ],
)
def test_a_touch_by_the_new_channels_is_stored_as_a_code_and_shown_as_a_word(book, typed, code, zh, en):
    ok(book("log", "海纳", "沟通", "--channel", typed))
    [touch] = history(book)
    assert touch["channel"] == code
    wide = {"COLUMNS": "120"}  # room for the channel column
    assert zh in ok(book("history", "海纳", "--format", "table", env=ZH | wide)).stdout
    assert en in ok(book("history", "海纳", "--format", "table", env=EN | wide)).stdout
    assert ok(book("show", "海纳", "--format", "json")).stdout.count(f'"last_channel": "{code}"') == 1


def test_touch_edit_and_import_know_the_new_channels(book, tmp_path: Path):
    ok(book("log", "海纳", "沟通", "--channel", "电话"))
    [touch] = history(book)
    ok(book("touch", "edit", str(touch["id"]), "--channel", "企业微信"))
    assert history(book)[0]["channel"] == "wecom"
    csv = tmp_path / "touches.csv"
    csv.write_text(
        "客户名称,日期,方式,内容\n杭州海纳科技,2026-11-20,钉钉,发了报价\n杭州海纳科技,2026-11-21,QQ,聊了\n"
    )
    ok(book("import", "touches", str(csv)))
    assert sorted(t["channel"] for t in history(book)) == ["dingtalk", "qq", "wecom"]


def test_the_activity_report_counts_touches_by_the_new_channels(book):
    for channel in ("钉钉", "钉钉", "企业微信", "QQ", "其他", "电话"):
        ok(book("log", "海纳", "沟通", "--channel", channel))
    weeks = json.loads(ok(book("report", "activity", "--format", "json")).stdout)
    this_week = next(w for w in weeks if w["week"] == "2026-11-23")
    counts = {key: this_week[key] for key in ("dingtalk", "wecom", "qq", "other", "phone")}
    assert counts == {"dingtalk": 2, "wecom": 1, "qq": 1, "other": 1, "phone": 1}


@pytest.mark.parametrize(
    ("typed", "code"),
    [("抖音", "short_video"), ("短视频", "short_video"), ("抖音/短视频", "short_video"),
     ("short video", "short_video"), ("其他", "other"), ("other", "other")],
)  # fmt: skip
def test_a_customer_from_the_new_sources(kehu, typed, code):
    ok(kehu("add", "杭州海纳科技", "--source", typed))
    [card] = json.loads(ok(kehu("export", "customers", "--format", "json")).stdout)
    assert card["source"] == code
    [row] = json.loads(ok(kehu("report", "sources", "--format", "json")).stdout)
    assert (row["source"], row["customers"]) == (code, 1)


def test_a_word_in_no_list_names_the_new_choices(book):
    channel = book("log", "海纳", "沟通", "--channel", "飞鸽", env=ZH)
    assert channel.exit_code == 2
    assert "钉钉、企业微信、QQ、其他" in channel.stderr
    source = book("edit", "海纳", "--source", "pigeon", env=EN)
    assert source.exit_code == 2
    assert "short video, other" in source.stderr


def test_the_new_channels_and_sources_complete(book, target_db):
    from tests.cli.test_completion import offered

    assert offered("kehu log 海纳 --channel 钉", db=target_db) == ["钉钉"]
    assert offered("kehu log 海纳 --channel 企", db=target_db) == ["企业微信"]
    assert offered("kehu log 海纳 --channel Q", db=target_db) == ["QQ"]
    assert offered("kehu log 海纳 --channel D", db=target_db) == ["DingTalk"]
    assert offered("kehu log 海纳 --channel 其", db=target_db) == ["其他"]
    assert offered("kehu add 某公司 --source 抖", db=target_db) == ["抖音/短视频"]
    assert offered("kehu add 某公司 --source sh", db=target_db) == ["short_video"]  # no space to break
