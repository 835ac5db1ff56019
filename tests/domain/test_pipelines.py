"""The funnels of DOMAIN §4: the three built-in pipelines, stage lookup, and user pipelines in TOML.

Messages are English: the autouse fixture in tests/conftest.py clears KEHU_LANG and LC_ALL and sets
LANG=C.UTF-8.
"""

from __future__ import annotations

import dataclasses
import json
import textwrap

import pytest

from kehu.domain import pipelines
from kehu.domain.pipelines import (
    BUILTIN,
    DEFAULT_MAX_IDLE_DAYS,
    DEFAULT_PIPELINE,
    Pipeline,
    PipelineError,
    Stage,
    load_pipeline_toml,
)

KEY_ACCOUNT = BUILTIN["key-account"]
DEVELOPMENT = BUILTIN["development"]
CONSULTATIVE = BUILTIN["consultative"]


# --- the built-in pipelines --------------------------------------------------------------------


def test_the_three_builtins_and_the_default():
    assert list(BUILTIN) == ["key-account", "development", "consultative"]
    assert DEFAULT_PIPELINE == "key-account"
    assert [(p.key, p.zh, p.en, p.builtin) for p in BUILTIN.values()] == [
        ("key-account", "大客户拓展六部曲", "six-step key-account funnel", True),
        ("development", "大客户开发流程", "key-account development process", True),
        ("consultative", "顾问型“赢”销七步法", "seven-step consultative selling", True),
    ]


# 维护 (after-sale care, DOMAIN §4 "成交后的客户维护" and §6) follows every pipeline: appended to
# the six-step and development funnels; the seven-step one ends in its own after-sale step,
# 重复采购, which starts where all the money is collected, so none is added there.
MAINTAIN = ("maintain", "维护", "after-sale care")
STAGES = {
    "key-account": [
        ("analyse", "客户分析", "analyse the customer"),
        ("trust", "建立信任", "build trust"),
        ("needs", "挖掘需求", "uncover needs"),
        ("value", "呈现价值", "present value"),
        ("commit", "赢取承诺", "win commitment"),
        ("collect", "回收账款", "collect payment"),
        MAINTAIN,
    ],
    "development": [
        ("target", "确定开发对象", "pick the target"),
        ("samples", "样品资料提供/信息收集", "samples and information"),
        ("assess", "价值评估/开发程序", "value assessment"),
        ("relationship", "关系建立", "relationship with decision makers"),
        ("close", "促成成交", "close the deal"),
        MAINTAIN,
    ],
    "consultative": [
        ("prospect", "寻找客户", "find the customer"),
        ("discover", "发现需求", "discover the need"),
        ("approve", "促成立项", "get the project approved"),
        ("shortlist", "确保入围", "get short-listed"),
        ("commit", "赢取承诺", "win commitment"),
        ("deliver", "交易实施", "delivery"),
        ("repeat", "重复采购", "repeat purchase"),
    ],
}
PROBABILITIES = {
    "key-account": [0.10, 0.15, 0.20, 0.40, 0.75, 1.00, 1.00],
    "development": [0.10, 0.15, 0.25, 0.40, 0.60, 1.00],
    "consultative": [0.10, 0.15, 0.20, 0.25, 0.50, 1.00, 1.00],
}
IDLE_DAYS = {
    "key-account": [30, 45, 45, 30, 30, 60, 365],
    "development": [30, 30, 30, 45, 30, 365],
    "consultative": [30, 45, 45, 30, 30, 60, 90],
}


@pytest.mark.parametrize("key", list(STAGES))
def test_builtin_stages_names_probabilities_and_idle_days(key):
    pipeline = BUILTIN[key]
    assert [(stage.key, stage.zh, stage.en) for stage in pipeline.stages] == STAGES[key]
    assert [stage.probability for stage in pipeline.stages] == PROBABILITIES[key]
    assert [stage.max_idle_days for stage in pipeline.stages] == IDLE_DAYS[key]


@pytest.mark.parametrize("key", list(STAGES))
def test_builtin_probabilities_never_decrease_and_stay_within_0_and_1(key):
    probabilities = [stage.probability for stage in BUILTIN[key].stages]
    assert probabilities == sorted(probabilities)
    assert probabilities[0] > 0
    assert probabilities[-1] <= 1


@pytest.mark.parametrize("key", ["key-account", "development"])
def test_six_step_and_development_probabilities_strictly_increase(key):
    # A probability is the chance the deal is won (DOMAIN §4): every selling stage brings it
    # closer. 维护 is no selling stage but what comes after the sale, the deal won and paid: it
    # stays at 100%, as the seven-step funnel's 重复采购 does after 交易实施, even right after
    # 回收账款's 100% (a signed contract is won, money still to collect).
    *selling, after_sale = BUILTIN[key].stages
    probabilities = [stage.probability for stage in selling]
    assert all(before < after for before, after in zip(probabilities, probabilities[1:], strict=False))
    assert (after_sale.key, after_sale.probability) == ("maintain", 1.0)
    assert BUILTIN[key].after_sale == after_sale


def test_consultative_step_4_moves_a_customer_from_25_to_50_percent():
    shortlist = CONSULTATIVE.stage("确保入围")
    assert CONSULTATIVE.index("shortlist") == 3
    assert shortlist.probability == 0.25
    assert CONSULTATIVE.next_stage("shortlist").probability == 0.50


@pytest.mark.parametrize("stage", [s for p in BUILTIN.values() for s in p.stages], ids=lambda s: s.key)
def test_every_builtin_stage_has_an_end_marker_and_questions_in_both_languages(stage: Stage):
    assert stage.end_marker_zh.strip() and stage.end_marker_en.strip()
    assert len(stage.questions_zh) >= 1
    assert len(stage.questions_zh) == len(stage.questions_en)
    assert all(question.strip() for question in stage.questions_zh + stage.questions_en)
    assert stage.max_idle_days > 0


def test_six_step_markers_are_the_seed_and_domain_table():
    # DOMAIN §4's table, in seed 001's words; each start marker is the end marker before it.
    # Then 维护 (DOMAIN §4, §6): it starts once all the money is in and ends with the next
    # purchase (seed 001's 开始下一次采购, as the seven-step funnel's 重复采购).
    assert [(s.start_marker_zh, s.end_marker_zh) for s in KEY_ACCOUNT.stages] == [
        ("锁定目标客户", "发现明显、近在眼前的并且有价值的销售机会"),
        ("发现明显、近在眼前的并且有价值的销售机会", "与关键客户建立了信赖关系"),
        ("与关键客户建立信赖关系", "得到明确的客户需求（通常是书面采购要求或者招标书）"),
        ("得到明确的客户需求（通常是书面采购要求或者招标书）", "客户露出购买信号，开始谈判"),
        ("客户露出购买信号，开始谈判", "达成协议，签订合同"),
        ("达成协议，签订合同", "依照合同，回收全部账款"),
        ("依照合同，回收全部账款", "开始下一次采购"),
    ]
    assert [s.end_marker_en for s in KEY_ACCOUNT.stages] == [
        "a clear, near, valuable sales opportunity is found",
        "a relationship of trust with the key people",
        "clear customer requirements are obtained"
        " (usually written purchase requirements or a tender document)",
        "the customer shows buying signals, negotiation starts",
        "agreement reached, contract signed",
        "all money collected as the contract says",
        "the customer starts the next purchase",
    ]
    ends = [s.end_marker_en for s in KEY_ACCOUNT.stages]
    assert [s.start_marker_en for s in KEY_ACCOUNT.stages] == ["a target customer is chosen", *ends[:-1]]


def test_seed_questions_are_kept_in_order():
    analyse = KEY_ACCOUNT.stage("analyse")
    assert analyse.questions_zh[:6] == (
        "客户需要产品吗？",
        "有采购时间表吗？",
        "客户预算是多少？",
        "是否能赢？",
        "是否值得投入？",
        "是否我们的擅长？",
    )
    shortlist = CONSULTATIVE.stage("shortlist")
    assert len(shortlist.questions_zh) == 9
    assert shortlist.questions_zh[0] == "这家公司是做什么的/怎样做/为什么这样做/什么时候开始这样做？"
    assert shortlist.questions_en[-1] == "What is my next-step strategy?"
    assert CONSULTATIVE.stage("deliver").questions_zh[0] == "具体的实施计划是什么？"
    assert CONSULTATIVE.stage("repeat").end_marker_zh == "开始下一次采购"


def _to_toml(pipeline: Pipeline) -> str:
    # JSON strings are TOML basic strings; enough to write a pipeline out for the loader.
    lines = [f"{name} = {json.dumps(value, ensure_ascii=False)}" for name, value in _top(pipeline)]
    for stage in pipeline.stages:
        lines.append("[[stage]]")
        for field in dataclasses.fields(Stage):
            name = {"zh": "name_zh", "en": "name_en"}.get(field.name, field.name)
            value = getattr(stage, field.name)
            value = list(value) if isinstance(value, tuple) else value
            lines.append(f"{name} = {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def _top(pipeline: Pipeline) -> list[tuple[str, str]]:
    return [("key", pipeline.key), ("name_zh", pipeline.zh), ("name_en", pipeline.en)]


@pytest.mark.parametrize("key", list(STAGES))
def test_builtins_obey_the_rules_of_user_pipelines(key):
    loaded = load_pipeline_toml(_to_toml(BUILTIN[key]))
    assert dataclasses.replace(loaded, builtin=True) == BUILTIN[key]


# --- finding a stage -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, key",
    [
        ("trust", "trust"),
        ("建立信任", "trust"),
        ("build trust", "trust"),
        ("Build  Trust", "trust"),  # case and spaces do not matter
        ("ＣＯＬＬＥＣＴ", "collect"),  # nor full-width letters
        (" 呈现价值 ", "value"),
        ("1", "analyse"),
        ("3", "needs"),
        ("６", "collect"),
    ],
)
def test_stage_by_key_chinese_name_english_name_or_number(typed, key):
    assert KEY_ACCOUNT.stage(typed).key == key


UNKNOWN = (
    "unknown stage {name}; the stages are: 1 analyse the customer (analyse), 2 build trust (trust),"
    " 3 uncover needs (needs), 4 present value (value), 5 win commitment (commit),"
    " 6 collect payment (collect), 7 after-sale care (maintain)"
)


@pytest.mark.parametrize("typed", ["0", "8", "won", "", "赢得订单"])
def test_unknown_stage_is_a_value_error_listing_the_stages(typed):
    with pytest.raises(ValueError) as caught:
        KEY_ACCOUNT.stage(typed)
    assert str(caught.value) == UNKNOWN.format(name=json.dumps(typed, ensure_ascii=False))


def test_a_key_or_name_wins_over_a_number():
    numbered = Pipeline(
        "n",
        "n",
        "n",
        (
            dataclasses.replace(KEY_ACCOUNT.stages[0], key="a", zh="2", en="two"),
            dataclasses.replace(KEY_ACCOUNT.stages[1], key="b", zh="一", en="one"),
        ),
        builtin=False,
    )
    assert numbered.stage("2").key == "a"
    assert numbered.stage("1").key == "a"


def test_next_stage_and_index():
    assert KEY_ACCOUNT.next_stage("analyse") == KEY_ACCOUNT.stages[1]
    assert KEY_ACCOUNT.next_stage("commit").key == "collect"
    assert KEY_ACCOUNT.next_stage("collect").key == "maintain"
    assert KEY_ACCOUNT.next_stage("maintain") is None
    assert CONSULTATIVE.next_stage("repeat") is None
    assert [KEY_ACCOUNT.index(stage.key) for stage in KEY_ACCOUNT.stages] == [0, 1, 2, 3, 4, 5, 6]
    with pytest.raises(ValueError) as caught:
        KEY_ACCOUNT.index("建立信任")  # index and next_stage take stored keys only
    assert str(caught.value) == UNKNOWN.format(name='"建立信任"')
    with pytest.raises(ValueError):
        KEY_ACCOUNT.next_stage("won")


def test_labels_follow_the_users_language(monkeypatch):
    trust = KEY_ACCOUNT.stage("trust")
    assert (KEY_ACCOUNT.label, trust.label, trust.start_marker, trust.end_marker) == (
        "six-step key-account funnel",
        "build trust",
        "a clear, near, valuable sales opportunity is found",
        "a relationship of trust with the key people",
    )
    assert trust.questions == trust.questions_en
    monkeypatch.setenv("KEHU_LANG", "zh_CN")
    assert (KEY_ACCOUNT.label, trust.label, trust.start_marker, trust.end_marker) == (
        "大客户拓展六部曲",
        "建立信任",
        "发现明显、近在眼前的并且有价值的销售机会",
        "与关键客户建立了信赖关系",
    )
    assert trust.questions == trust.questions_zh
    assert trust.questions[0] == "关键客户是哪种沟通风格：孔雀、考拉熊、猫头鹰、老虎还是变色龙？"


# --- user pipelines in TOML --------------------------------------------------------------------

VALID = """\
key = "saas"
name_zh = "SaaS 销售"
name_en = "SaaS sales"

[[stage]]
key = "lead"
name_zh = "线索"
name_en = "lead"
probability = 0.1
start_marker_zh = "留下联系方式"
start_marker_en = "contact details left"
end_marker_zh = "确认有预算"
end_marker_en = "budget confirmed"
questions_zh = ["客户预算是多少？", "  有采购时间表吗？ "]
questions_en = ["What is the customer's budget?", "Is there a purchase timetable?"]
max_idle_days = 14

[[stage]]
key = "won"
name_zh = "成交"
probability = 1
"""


def test_a_valid_pipeline_loads_exactly():
    assert load_pipeline_toml(VALID) == Pipeline(
        key="saas",
        zh="SaaS 销售",
        en="SaaS sales",
        stages=(
            Stage(
                key="lead",
                zh="线索",
                en="lead",
                probability=0.1,
                start_marker_zh="留下联系方式",
                start_marker_en="contact details left",
                end_marker_zh="确认有预算",
                end_marker_en="budget confirmed",
                questions_zh=("客户预算是多少？", "有采购时间表吗？"),
                questions_en=("What is the customer's budget?", "Is there a purchase timetable?"),
                max_idle_days=14,
            ),
            # One language given: it serves both. Nothing else given: the defaults.
            Stage("won", "成交", "成交", 1.0, "", "", "", "", (), (), DEFAULT_MAX_IDLE_DAYS),
            KEY_ACCOUNT.stage("maintain"),  # 维护 follows a user's pipeline too, the built-in stage
        ),
        builtin=False,
    )
    assert DEFAULT_MAX_IDLE_DAYS == 30


def test_the_example_in_the_module_docstring_loads():
    docstring = pipelines.__doc__
    example = textwrap.dedent(docstring[docstring.index("::\n") + 3 : docstring.index("\nRequired:")])
    pipeline = load_pipeline_toml(example)
    assert (pipeline.key, pipeline.en, [s.key for s in pipeline.stages]) == (
        "saas",
        "SaaS sales",
        ["lead", "won", "maintain"],
    )
    assert [s.probability for s in pipeline.stages] == [0.1, 1.0, 1.0]
    assert pipeline.stages[0].questions_en == (
        "What is the customer's budget?",
        "Is there a purchase timetable?",
    )


HEAD = 'key = "saas"\nname_en = "SaaS sales"\n'  # lines 1-2


def test_a_user_pipeline_that_has_its_after_sale_stage_gets_no_second_one():
    # Its last stage starts once all the money is in (as the seven-step funnel's 重复采购)...
    paid = 'start_marker_zh = "依照合同，回收全部账款"'
    ending = load_pipeline_toml(HEAD + stage("lead", "0.1") + stage("care", "1", paid))
    assert [s.key for s in ending.stages] == ["lead", "care"]
    assert ending.after_sale.key == "care"
    # ... or it has a stage keyed maintain of its own.
    keyed = load_pipeline_toml(HEAD + stage("lead", "0.1") + stage("maintain", "1"))
    assert [(s.key, s.en) for s in keyed.stages] == [("lead", "lead"), ("maintain", "maintain")]


def stage(key: str, probability: str = "0.5", *extra: str) -> str:
    """A [[stage]] table of 4 + len(extra) lines: header, key, name_en, probability, extra."""
    return (
        "\n".join(
            ["[[stage]]", f'key = "{key}"', f'name_en = "{key}"', f"probability = {probability}", *extra]
        )
        + "\n"
    )


STAGE_FIELDS = (
    "key, name_zh, name_en, probability, start_marker_zh, start_marker_en, end_marker_zh,"
    " end_marker_en, questions_zh, questions_en, max_idle_days"
)

INVALID = [
    (
        "syntax error",
        HEAD + "[[stage]]\nkey = lead\n",
        ["line 4: TOML syntax error: Invalid value"],
    ),
    (
        "syntax error in an unterminated string",
        HEAD + 'name_zh = "SaaS\n',
        ["line 3: TOML syntax error: Illegal character '\\n'"],
    ),
    (
        "syntax error at the end of the document",
        HEAD + 'questions = ["a",\n',
        ["line 3: TOML syntax error: Invalid value"],
    ),
    (
        "a key given twice is a syntax error in TOML",
        HEAD + stage("lead") + 'key = "again"\n',
        ["line 7: TOML syntax error: Cannot overwrite a value"],
    ),
    (
        "missing name of the pipeline",
        'key = "saas"\n' + stage("lead"),
        ["line 1: missing name: give name_zh, name_en or both"],
    ),
    (
        "missing key of the pipeline",
        'name_zh = "SaaS 销售"\n' + stage("lead"),
        ["line 1: missing key"],
    ),
    (
        "missing key, name and probability of a stage, on its header line",
        HEAD + stage("lead") + '[[stage]]\nend_marker_en = "won"\n',
        [
            "line 7: missing key",
            "line 7: missing name: give name_zh, name_en or both",
            "line 7: missing probability",
        ],
    ),
    (
        "blank names count as missing",
        'key = "saas"\nname_zh = " "\nname_en = ""\n' + stage("lead"),
        ["line 1: missing name: give name_zh, name_en or both"],
    ),
    (
        "duplicate stage key on the line of its second key",
        HEAD + stage("lead", "0.1") + stage("deal", "0.5") + stage("lead", "0.9"),
        ['line 12: duplicate stage key "lead" (first on line 4)'],
    ),
    (
        "probability 1.5",
        HEAD + stage("lead", "0.1") + stage("won", "1.5"),
        ["line 10: probability must be a number from 0 to 1, not 1.5"],
    ),
    (
        "probability as a percentage string",
        HEAD + stage("lead", '"10%"'),
        ['line 6: probability must be a number from 0 to 1, not "10%"'],
    ),
    (
        "probability negative, probability a boolean",
        HEAD + stage("lead", "-0.1") + stage("won", "true"),
        [
            "line 6: probability must be a number from 0 to 1, not -0.1",
            "line 10: probability must be a number from 0 to 1, not true",
        ],
    ),
    (
        "decreasing probabilities",
        HEAD + stage("lead", "0.2") + stage("deal", "0.6") + stage("talk", "0.4") + stage("won", "1.0"),
        ["line 14: probability 0.4 is lower than 0.6 of the stage before"],
    ),
    (
        "an invalid probability is skipped when comparing",
        HEAD + stage("lead", "0.6") + stage("deal", "2") + stage("talk", "0.4"),
        [
            "line 10: probability must be a number from 0 to 1, not 2",
            "line 14: probability 0.4 is lower than 0.6 of the stage before",
        ],
    ),
    (
        "max_idle_days zero, fractional, text",
        HEAD
        + stage("a", "0.1", "max_idle_days = 0")
        + stage("b", "0.2", "max_idle_days = 2.5")
        + stage("c", "0.3", 'max_idle_days = "30"'),
        [
            "line 7: max_idle_days must be a whole number of days above 0, not 0",
            "line 12: max_idle_days must be a whole number of days above 0, not 2.5",
            'line 17: max_idle_days must be a whole number of days above 0, not "30"',
        ],
    ),
    (
        "unknown field in a stage and at the top",
        HEAD + 'owner = "me"\n' + stage("lead", "0.5", "probabilty = 0.5"),
        [
            'line 3: unknown field "owner" (known: key, name_zh, name_en, stage)',
            f'line 8: unknown field "probabilty" (known: {STAGE_FIELDS})',
        ],
    ),
    (
        "a sub-table of a stage is an unknown field, on its header line",
        HEAD + stage("lead") + "[stage.extra]\nnote = 1\n",
        [f'line 7: unknown field "extra" (known: {STAGE_FIELDS})'],
    ),
    (
        "no stages",
        HEAD,
        ["line 1: no stages: add at least one [[stage]] table"],
    ),
    (
        "no stages in an empty file: every missing field on line 1",
        "",
        [
            "line 1: missing key",
            "line 1: missing name: give name_zh, name_en or both",
            "line 1: no stages: add at least one [[stage]] table",
        ],
    ),
    (
        "[stage] instead of [[stage]]",
        HEAD + '\n[stage]\nkey = "lead"\n',
        ["line 4: stage must be written as [[stage]] tables"],
    ),
    (
        "keys that are not a-z, 0-9, _ and -",
        'key = "SaaS"\nname_en = "SaaS sales"\n' + stage("lead stage"),
        [
            'line 1: key "SaaS" may only use a-z, 0-9, _ and -',
            'line 4: key "lead stage" may only use a-z, 0-9, _ and -',
        ],
    ),
    (
        "texts of the wrong type",
        HEAD + stage("lead", "0.5", "name_zh = 1", 'questions_en = "Budget?"', "end_marker_zh = []"),
        [
            "line 7: name_zh must be text",
            "line 8: questions_en must be a list of texts",
            "line 9: end_marker_zh must be text",
        ],
    ),
    (
        "two errors at once are both reported",
        HEAD + stage("lead", "1.5", "max_idle_days = -3"),
        [
            "line 6: probability must be a number from 0 to 1, not 1.5",
            "line 7: max_idle_days must be a whole number of days above 0, not -3",
        ],
    ),
    (
        "a key-like line inside a multi-line string is not mistaken for the key",
        HEAD + stage("lead", "0.5", 'end_marker_en = """signed\nmax_idle_days = 9\n"""', "max_idle_days = 0"),
        ["line 10: max_idle_days must be a whole number of days above 0, not 0"],
    ),
]


@pytest.mark.parametrize("text, expected", [case[1:] for case in INVALID], ids=[case[0] for case in INVALID])
def test_invalid_pipelines_report_every_problem_with_its_line(text, expected):
    with pytest.raises(PipelineError) as caught:
        load_pipeline_toml(text)
    assert caught.value.lines == expected


def test_pipeline_error_names_the_source_on_every_line():
    with pytest.raises(PipelineError) as caught:
        load_pipeline_toml(HEAD + stage("lead", "1.5", "max_idle_days = -3"), source="saas.toml")
    assert isinstance(caught.value, ValueError)
    assert caught.value.source == "saas.toml"
    assert str(caught.value) == (
        "saas.toml: line 6: probability must be a number from 0 to 1, not 1.5\n"
        "saas.toml: line 7: max_idle_days must be a whole number of days above 0, not -3"
    )


def test_an_inline_array_of_stages_reports_on_the_stage_line():
    text = (
        HEAD
        + 'stage = [{key = "lead", name_en = "lead", probability = 0.5}, {key = "lead", probability = 0.7}]\n'
    )
    with pytest.raises(PipelineError) as caught:
        load_pipeline_toml(text)
    # Same line: a stage's own problems come before its comparison with the stages before it.
    assert caught.value.lines == [
        "line 3: missing name: give name_zh, name_en or both",
        'line 3: duplicate stage key "lead" (first on line 3)',
    ]
