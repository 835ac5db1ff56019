"""Names: the key that makes spellings equal, and pinyin that agrees with pypinyin's converter."""

from __future__ import annotations

import random

import pytest
from pypinyin import Style, lazy_pinyin

from kehu.domain.names import in_order, likeness, name_key, pinyin_forms, similarity_key


def _pypinyin_forms(name: str) -> tuple[str, str]:
    """What pypinyin's own (slow) converter gives, spelled the way kehu stores it."""
    key = name_key(name)
    full, initials = [], []
    for syllable in lazy_pinyin(key, style=Style.NORMAL, errors=lambda chars: list(chars)):
        word = "".join(ch for ch in syllable if ch.isascii() and ch.isalnum())
        if word:
            full.append(word)
            latin = syllable.isascii() and syllable in key
            initials.append(word if latin else word[0])
    return "".join(full), "".join(initials)


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [
        ("杭州海纳科技有限公司", "hangzhouhainakejiyouxiangongsi", "hzhnkjyxgs"),
        ("深圳ABC电子", "shenzhenabcdianzi", "szabcdz"),
        ("深圳ＡＢＣ电子", "shenzhenabcdianzi", "szabcdz"),  # full-width letters fold first
        ("重庆长安汽车", "chongqingchanganqiche", "cqcaqc"),  # 重 and 长 read as in their words
        ("中国银行厦门分行", "zhongguoyinhangxiamenfenhang", "zgyhxmfh"),
        ("成都市都江堰", "chengdushidujiangyan", "cdsdjy"),  # a three-character word
        ("佛山绿色能源", "foshanlvsenengyuan", "fslsny"),  # ü is written v
        ("3M中国", "3mzhongguo", "3mzg"),
        ("Apex Solutions, Inc.上海代表处", "apexsolutionsincshanghaidaibiaochu", "apexsolutionsincshdbc"),
    ],
)
def test_pinyin_of_names(name: str, full: str, initials: str) -> None:
    assert pinyin_forms(name) == (full, initials)


def _names(rng: random.Random, trade_chars: str, count: int) -> list[str]:
    cities = ("北京", "上海", "重庆", "长沙", "长春", "厦门", "成都", "佛山", "银川", "乐山", "蚌埠", "六安")
    words = ("银行", "科技", "重工", "长城", "都市", "音乐", "发展", "和平", "会计", "行业", "传媒", "朝阳")
    return [rng.choice(cities) + "".join(rng.sample(trade_chars, 2)) + rng.choice(words) + "有限公司"
            for _ in range(count)]  # fmt: skip


def test_pinyin_agrees_with_pypinyin_on_company_names() -> None:
    for name in _names(random.Random(7), "华海恒瑞信达通泰鑫盛源宏博创新腾飞远中天宇嘉润金星光明辉", 400):
        assert pinyin_forms(name) == _pypinyin_forms(name), name


def test_pinyin_mostly_agrees_where_words_overlap() -> None:
    # Trade names made of characters with several readings overlap the words around them
    # (查行会计: 行会 or 会计?); pypinyin's segmentation and kehu's lookups may then choose
    # differently. Most still agree.
    names = _names(random.Random(7), "华行重长乐都发和会强调传朝藏曾单解仇查朴区", 400)
    agree = sum(pinyin_forms(name) == _pypinyin_forms(name) for name in names)
    assert agree >= 0.9 * len(names), agree


def test_the_pinyin_cache_gives_what_building_gives_and_survives_damage(monkeypatch, tmp_path):
    """The lookups are built once and read back by later processes (issue 13: 1 s of every
    `kehu add`); a damaged or foreign file is built again, never trusted."""
    from kehu.domain import names

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    built = names._build_pinyin_tables()
    names._pinyin_tables.cache_clear()
    try:
        assert names._pinyin_tables() == built  # built, and written
        [cache] = (tmp_path / "kehu").glob("pinyin-*.marshal")
        names._pinyin_tables.cache_clear()
        assert names._pinyin_tables() == built  # read back
        for damage in (cache.read_bytes()[:1000], b"", b"\x00garbage"):
            cache.write_bytes(damage)
            names._pinyin_tables.cache_clear()
            assert names._pinyin_tables() == built
            assert cache.read_bytes() != damage  # written again whole
        assert pinyin_forms("重庆长安汽车") == ("chongqingchanganqiche", "cqcaqc")
    finally:
        names._pinyin_tables.cache_clear()


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("杭州海纳科技有限公司", "杭州海纳科技"),
        ("杭州海纳科技", "杭州海纳科技"),
        ("杭州海纳科技 股份有限公司", "杭州海纳科技"),
        ("杭州海纳科技有限责任公司", "杭州海纳科技"),
        ("杭州海纳科技集团有限公司", "杭州海纳科技"),
        ("海尔集团", "海尔"),
        ("IBM（中国）有限公司", "ibm"),
        ("西门子(中国)有限公司", "西门子"),
        ("ACME Co., Ltd.", "acme"),
        ("Acme Co.,Ltd", "acme"),
        ("acme inc", "acme"),
        ("ＡＣＭＥ　Corporation", "acme"),  # full-width letters and space
        ("A.C.M.E. LLC", "acme"),
        ("Müller GmbH", "müller"),
        ("Acme Limited", "acme"),
        ("Costco", "costco"),  # a legal form only as a whole word
        ("Incubator", "incubator"),
        ("集团", "集团"),  # never emptied: a name that is only a legal form keeps it
        ("华为技术有限公司上海分公司", "华为技术有限公司上海"),
    ],
)
def test_similarity_key_drops_legal_forms_spaces_punctuation_and_case(name: str, key: str) -> None:
    assert similarity_key(name) == key


def test_names_that_differ_by_more_than_form_keep_apart() -> None:
    assert similarity_key("杭州海纳科技") != similarity_key("杭州海钠科技有限公司")
    assert similarity_key("杭州海纳") != similarity_key("杭州海纳科技")


@pytest.mark.parametrize(
    ("letters", "text", "found"),
    [("hzkj", "hzhnkj", True), ("hzhnkj", "hzhnkj", True), ("hkz", "hzhnkj", False), ("", "x", True),
     ("hzkjx", "hzhnkj", False)],
)  # fmt: skip
def test_in_order_allows_gaps_but_not_reordering(letters: str, text: str, found: bool) -> None:
    assert in_order(letters, text) is found


@pytest.mark.parametrize(
    ("typed", "other", "alike"),
    [
        ("苏州恒端", "苏州恒瑞精密机械", 0.75),  # a typo in the short name of a long one
        ("恒端精密", "苏州恒瑞精密机械", 0.75),  # anywhere in it
        ("hzhnjk", "hzhnkj", 10 / 12),  # two initials swapped
        ("杭州食品", "杭州海纳科技", 0.5),  # only the city in common
        ("杭州钠", "杭州海纳科技", 4 / 9),  # three characters: compared whole only
        ("完全不同", "杭州海纳科技", 0.0),
        ("", "杭州海纳科技", 0.0),
    ],
)
def test_likeness_is_of_the_whole_or_of_the_stretch_most_alike(typed: str, other: str, alike: float) -> None:
    assert likeness(typed, other) == pytest.approx(alike)
