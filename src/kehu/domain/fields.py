"""The fields of a customer card and a contact (DOMAIN.md §1–2), and how a typed cell becomes a value.

Each field has its stored key (also the English CSV header), Chinese and English labels, a kind
that selects its parser, and the other header names an Excel sheet may use. CSV import, export,
the `add`/`edit` options and the tables all read this one list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from kehu.domain import values
from kehu.domain.vocabulary import (
    CHANNEL,
    COLLECTION_DOCUMENT,
    COLLECTION_METHOD,
    COMMUNICATION_STYLE,
    COMPLAINT_STATUS,
    GRADE,
    INDUSTRY,
    INSIDER_LEVEL,
    KEY_ACCOUNT_TYPE,
    KIND,
    NATURE,
    NEED_KIND,
    NEED_STATUS,
    OFFER_STATUS,
    PRIORITY,
    PROMISE_STATUS,
    PURCHASE_ROLE,
    RELATIONSHIP,
    SEVERITY,
    SOURCE,
    STATUS,
    Choice,
    Vocabulary,
    fold,
)
from kehu.i18n import is_chinese


@dataclass(frozen=True)
class Field:
    key: str
    zh: str
    en: str
    # text name count percent money date birthday flag choice currency email timestamp ref id
    kind: str = "text"
    vocabulary: Vocabulary | None = None
    aliases: tuple[str, ...] = ()
    editable: bool = True  # settable with add/edit options and from CSV
    help_en: str = ""
    option_name: str = ""  # the add/edit option when not the key's (--years for years_at_company)

    @property
    def label(self) -> str:
        return self.zh if is_chinese() else self.en

    @property
    def option(self) -> str:
        return self.option_name or "--" + self.key.replace("_", "-")

    def header_words(self) -> tuple[str, ...]:
        return (self.key, self.zh, self.en, *self.aliases)


_STAMPS = (
    Field("created_at", "创建时间", "created", "timestamp", aliases=("created", "创建日期")),
    Field("updated_at", "更新时间", "updated", "timestamp", aliases=("updated", "修改时间")),
    Field("archived_at", "归档时间", "archived", "timestamp", aliases=("archived",)),
)

CUSTOMER_FIELDS: tuple[Field, ...] = (
    Field("id", "编号", "id", "id", editable=False, aliases=("客户编号", "ID")),
    Field("name", "客户名称", "name", "name", aliases=("客户", "名称", "公司名称", "单位名称", "customer")),
    Field("kind", "客户类型", "kind", "choice", KIND, ("类型", "type")),
    Field("industry", "行业", "industry", "choice", INDUSTRY, ("所属行业",)),
    Field("region", "地区", "region", aliases=("区域", "省市", "城市", "city", "province")),
    Field("address", "地址", "address", aliases=("详细地址", "公司地址")),
    Field("owner", "销售员", "owner", aliases=("负责人", "业务员", "销售", "salesperson")),
    Field("nature", "企业性质", "nature", "choice", NATURE, ("单位性质", "ownership")),
    Field("employees", "员工人数", "employees", "count", aliases=("人数", "规模", "staff")),
    Field("revenue", "营业额", "revenue", "money", aliases=("年营业额", "年营收", "营收")),
    Field("website", "网址", "website", aliases=("官网", "网站", "url", "web")),
    Field("phone", "电话", "phone", aliases=("联系电话", "座机", "telephone", "tel")),
    Field("email", "邮箱", "email", "email", aliases=("电子邮件", "电子邮箱", "e-mail", "mail")),
    Field("wechat", "微信", "WeChat", aliases=("微信号", "weixin")),
    Field("source", "客户来源", "source", "choice", SOURCE, ("来源", "渠道")),
    Field("referrer", "介绍人", "referrer", "ref", aliases=("推荐人", "referred by", "referredby")),
    Field("ka_type", "大客户类型", "key-account type", "choice", KEY_ACCOUNT_TYPE,
          ("客户关系类型", "关系类型", "key account type", "kat")),
    Field("grade", "客户等级", "grade", "choice", GRADE, ("等级", "级别", "客户级别")),
    Field("expected_value", "预计成交额", "expected value", "money",
          aliases=("预计金额", "预计成交金额", "expected amount")),
    Field("expected_close", "预计成交日期", "expected close", "date",
          aliases=("预计成交时间", "预计签约日期", "close date")),
    Field("currency", "币种", "currency", "currency", aliases=("货币",)),
    Field("notes", "备注", "notes", aliases=("说明", "note", "remarks")),
    *_STAMPS,
)  # fmt: skip


def customer_state_fields(
    stages: Vocabulary | None = None, pipelines: Vocabulary | None = None
) -> tuple[Field, ...]:
    """Where a customer stands, beside its card in `kehu list` and `kehu export customers`: its
    pipeline, stage and status (codes), when it is due and when it was last touched (ISO dates).
    kehu sets them itself (the funnel, the follow-ups): an import reads past them.
    `stages` and `pipelines` name them in words (a table, --labels); codes need neither."""
    return (
        Field("pipeline", "销售流程", "pipeline", "choice", pipelines or NO_PIPELINES, ("流程", "漏斗"),
              editable=False),
        Field("stage", "销售阶段", "stage", "choice", stages or NO_STAGES, ("阶段",), editable=False),
        Field("status", "状态", "status", "choice", STATUS, ("成交状态", "赢丢"), editable=False),
        Field("next_due", "下次跟进", "next due", "date", aliases=("下次跟进日", "due"), editable=False),
        Field("last_touch_on", "上次跟进", "last touch", "date", aliases=("上次跟进日", "last touch on"),
              editable=False),
    )  # fmt: skip


NO_STAGES = Vocabulary("stage", ())
NO_PIPELINES = Vocabulary("pipeline", ())
CUSTOMER_STATE_FIELDS = customer_state_fields()
# A list or an export of customers: the card, then where it stands.
CUSTOMER_LIST_FIELDS = (*CUSTOMER_FIELDS, *CUSTOMER_STATE_FIELDS)

CONTACT_FIELDS: tuple[Field, ...] = (
    Field("id", "编号", "id", "id", editable=False, aliases=("联系人编号", "ID")),
    Field("customer", "客户名称", "customer", "ref", aliases=("客户", "公司", "单位", "company")),
    Field("name", "姓名", "name", "name", aliases=("联系人", "名字", "contact")),
    Field("title", "职务", "title", aliases=("职位", "职称", "position", "job title")),
    Field("phone", "电话", "phone", aliases=("手机", "手机号", "联系电话", "mobile", "tel")),
    Field("email", "邮箱", "email", "email", aliases=("电子邮件", "电子邮箱", "e-mail", "mail")),
    Field("wechat", "微信", "WeChat", aliases=("微信号", "weixin")),
    Field("birthday", "生日", "birthday", "birthday", aliases=("出生日期", "birth date")),
    Field("birthday_lunar", "农历生日", "lunar birthday", "flag", aliases=("农历", "lunar")),
    Field("hometown", "籍贯", "hometown", aliases=("老家", "家乡")),
    Field("hobbies", "爱好", "hobbies", aliases=("兴趣爱好", "兴趣", "hobby")),
    Field("family", "家庭情况", "family", aliases=("家庭", "family notes")),
    Field("role", "采购角色", "purchase role", "choice", PURCHASE_ROLE, ("角色", "role")),
    Field("style", "沟通风格", "style", "choice", COMMUNICATION_STYLE, ("风格", "性格")),
    Field("insider", "内线级别", "insider level", "choice", INSIDER_LEVEL, ("内线", "向导")),
    Field("is_key", "关键联系人", "key contact", "flag", aliases=("关键人", "key", "主要联系人")),
    # The organisation (seed 001 组织结构) and the relationship stage (建立信任), revision 0009.
    # reports_to is the superior's name: a contact of the same customer (reports_to_id stored).
    Field("department", "部门", "department", aliases=("所在部门", "科室", "dept")),
    Field("reports_to", "上级", "reports to", "ref", aliases=("直接上级", "汇报对象", "superior", "manager")),
    Field("years_at_company", "司龄", "years at company", "count", aliases=("工龄", "入职年限", "years"),
          option_name="--years"),
    Field("authority", "权限", "authority", aliases=("审批权限", "决策权限")),
    Field("authority_limit", "权限金额", "authority limit", "money",
          aliases=("审批额度", "权限额度", "limit")),
    Field("relationship", "关系阶段", "relationship", "choice", RELATIONSHIP, ("关系", "客户关系")),
    Field("notes", "备注", "notes", aliases=("说明", "note", "remarks")),
    *_STAMPS,
)  # fmt: skip

TOUCH_FIELDS: tuple[Field, ...] = (
    Field("customer", "客户名称", "customer", "ref", aliases=("客户", "公司", "company")),
    Field("happened_on", "日期", "date", "date", aliases=("跟进日期", "沟通日期", "date", "on")),
    Field("channel", "方式", "channel", "choice", CHANNEL, ("跟进方式", "沟通方式", "渠道")),
    Field("contact", "联系人", "contact", "ref", aliases=("对象", "沟通对象")),
    Field("summary", "内容", "summary", aliases=("沟通内容", "跟进内容", "what happened", "text")),
    Field("outcome", "结果", "outcome", aliases=("跟进结果", "result")),
    Field("next_step_on", "下次跟进日期", "next date", "date", aliases=("下次日期", "next on")),
    Field("next_step", "下一步", "next step", aliases=("下一步计划", "下步计划", "next")),
)

# A logged touch as history and the card show it: with its id (for kehu touch edit), contact by name.
TOUCH_SHOWN_FIELDS: tuple[Field, ...] = (
    Field("id", "编号", "id", "id"),
    Field("happened_on", "日期", "date", "date"),
    Field("channel", "方式", "channel", "choice", CHANNEL),
    Field("contact", "联系人", "contact"),
    Field("summary", "内容", "what happened"),
    Field("outcome", "结果", "outcome"),
    Field("next_step_on", "下次日期", "next date", "date"),
    Field("next_step", "下一步", "next step"),
)

# A competitor at one customer (竞争信息, seed 001 第一步): `kehu rival`, `import/export rivals`.
# won_on is set by `kehu lost --to` (not an option of add/edit); a file carries it back in.
RIVAL_FIELDS: tuple[Field, ...] = (
    Field("id", "编号", "id", "id", editable=False, aliases=("对手编号", "ID")),
    Field("customer", "客户名称", "customer", "ref", aliases=("客户", "公司", "单位", "company")),
    Field("name", "竞争对手", "rival", "name", aliases=("对手", "竞争对手名称", "competitor", "对手名称")),
    Field("their_contact", "对方销售", "their contact",
          aliases=("对方联系人", "对手销售", "their salesperson")),
    Field("since", "介入时间", "since", "date", aliases=("起始日期", "开始合作", "since when")),
    Field("share", "份额", "share", "percent", aliases=("份额(%)", "占有率", "市场份额", "share %")),
    Field("price", "报价", "price", "money", aliases=("对手报价", "价格", "their price")),
    Field("strengths", "优势", "strengths", aliases=("强项", "长处", "strength")),
    Field("weaknesses", "劣势", "weaknesses", aliases=("弱项", "短处", "weakness")),
    Field("notes", "备注", "notes", aliases=("说明", "note", "remarks")),
    Field("won_on", "赢单日期", "won on", "date", editable=False, aliases=("夺单日期", "took the deal")),
    *_STAMPS[:2],
)  # fmt: skip

# A need (挖掘需求), a proposal (建议书) and a quote (报价) of one customer (seed 001, 第三步 and
# 第四步): `kehu need|proposal|quote`, `import/export needs|proposals|quotes`. A file's id and
# version are read but not kept: an imported row is a new record, numbered as `add` numbers it.
NEED_FIELDS: tuple[Field, ...] = (
    Field("id", "编号", "id", "id", editable=False, aliases=("需求编号", "ID")),
    Field("customer", "客户名称", "customer", "ref", aliases=("客户", "公司", "单位", "company")),
    Field("description", "需求", "need", aliases=("需求内容", "需求描述", "description")),
    Field("kind", "类别", "kind", "choice", NEED_KIND, ("需求类别", "需求类型", "类型", "type")),
    Field("priority", "优先级", "priority", "choice", PRIORITY, ("重要程度", "紧急程度")),
    Field("status", "状态", "status", "choice", NEED_STATUS, ("需求状态",)),
    Field("contact", "提出人", "from", "ref", aliases=("联系人", "contact", "whose")),
    Field("noted_on", "记录日期", "noted on", "date", aliases=("日期", "date", "noted")),
    Field("notes", "备注", "notes", aliases=("说明", "note", "remarks")),
)  # fmt: skip
PROPOSAL_FIELDS: tuple[Field, ...] = (
    Field("id", "编号", "id", "id", editable=False, aliases=("建议书编号", "ID")),
    Field("customer", "客户名称", "customer", "ref", aliases=("客户", "公司", "单位", "company")),
    Field("title", "标题", "title", aliases=("建议书", "方案", "名称", "proposal")),
    Field("version", "版本", "version", "count", editable=False, aliases=("版本号", "ver")),
    Field("amount", "金额", "amount", "money", aliases=("方案金额", "建议书金额", "value")),
    Field("status", "状态", "status", "choice", OFFER_STATUS, ("建议书状态",)),
    Field("sent_on", "发送日期", "sent", "date", aliases=("提交日期", "sent on")),
    Field("file", "文件", "file", aliases=("附件", "文件路径", "path")),
    Field("notes", "备注", "notes", aliases=("说明", "note", "remarks")),
)  # fmt: skip
QUOTE_FIELDS: tuple[Field, ...] = (
    Field("id", "编号", "id", "id", editable=False, aliases=("报价编号", "ID")),
    Field("customer", "客户名称", "customer", "ref", aliases=("客户", "公司", "单位", "company")),
    Field("version", "版本", "version", "count", editable=False, aliases=("版本号", "ver")),
    Field("amount", "报价金额", "amount", "money", aliases=("金额", "报价", "price")),
    Field("discount", "折扣", "discount", "percent", aliases=("折扣(%)", "折扣率", "discount %")),
    Field("valid_until", "有效期至", "valid until", "date", aliases=("有效期", "截止日期", "valid")),
    Field("status", "状态", "status", "choice", OFFER_STATUS, ("报价状态",)),
    Field("sent_on", "发送日期", "sent", "date", aliases=("报价日期", "sent on")),
    Field("notes", "备注", "notes", aliases=("说明", "note", "remarks")),
)  # fmt: skip
# A quote as a table shows it: a draft or sent one past its valid_until reads "expired" (data
# keeps the status and the date).
QUOTE_SHOWN_STATUS = Vocabulary(
    "quote status shown", (*OFFER_STATUS.choices, Choice("expired", "已过期", "expired"))
)
QUOTE_SHOWN_FIELDS: tuple[Field, ...] = tuple(
    Field("status", "状态", "status", "choice", QUOTE_SHOWN_STATUS) if f.key == "status" else f
    for f in QUOTE_FIELDS
)

# The answers to a stage's questions (推进问题): `kehu export|import answers`. A question is
# its 1-based number in the stage's list; the pipeline and the stage are their keys.
STAGE_ANSWER_FIELDS: tuple[Field, ...] = (
    Field("customer", "客户名称", "customer", "ref", aliases=("客户", "公司", "单位", "company")),
    Field("pipeline", "销售流程", "pipeline", aliases=("流程", "漏斗")),
    Field("stage", "销售阶段", "stage", aliases=("阶段",)),
    Field("question", "问题编号", "question", "count", aliases=("问题序号", "问题", "number", "no")),
    Field("answer", "回答", "answer", aliases=("答案", "回答内容")),
    Field("answered_on", "回答日期", "day", "date", aliases=("日期", "date", "answered on")),
)  # fmt: skip

# A relationship stage change (建立信任's history): what `kehu contact relations` shows and
# `kehu import|export relationships` carries; an imported row is what `kehu contact relate` does.
RELATIONSHIP_FIELDS: tuple[Field, ...] = (
    Field("customer", "客户名称", "customer", "ref", aliases=("客户", "公司", "company")),
    Field("contact", "联系人", "contact", "ref", aliases=("姓名", "对象", "name")),
    Field("changed_on", "日期", "day", "date", aliases=("date", "变更日期")),
    Field("old_relationship", "原阶段", "from", "choice", RELATIONSHIP, ("原关系",)),
    Field("new_relationship", "新阶段", "to", "choice", RELATIONSHIP, ("新关系", "关系阶段", "relationship")),
    Field("reason", "原因", "reason", aliases=("说明", "理由")),
)

# An after-sale complaint (维护, seed 002 处理客户投诉): `kehu complaint`, `import/export
# complaints`. A file's id is read past: an imported row is a new complaint.
COMPLAINT_FIELDS: tuple[Field, ...] = (
    Field("id", "编号", "id", "id", editable=False, aliases=("投诉编号", "ID")),
    Field("customer", "客户名称", "customer", "ref", aliases=("客户", "公司", "单位", "company")),
    Field("description", "投诉内容", "complaint", aliases=("投诉", "内容", "description")),
    Field("severity", "严重程度", "severity", "choice", SEVERITY, ("级别", "紧急程度", "level")),
    Field("status", "状态", "status", "choice", COMPLAINT_STATUS, ("处理状态",)),
    Field("contact", "投诉人", "from", "ref", aliases=("联系人", "contact")),
    Field("raised_on", "投诉日期", "raised on", "date", aliases=("日期", "date", "raised")),
    Field("resolved_on", "解决日期", "resolved on", "date", aliases=("处理日期", "resolved")),
    Field("resolution", "处理结果", "resolution", aliases=("解决办法", "处理办法", "结果")),
)  # fmt: skip

# A collection action (催款, seed 001 回收账款) and the promise it got: `kehu collect`, `kehu
# collections`, `import/export collections`. promise_status and paid_since are computed on reading
# (kept once the customer's payments since the action's day reach the amount, broken once its day
# is past without): a file's are read past.
COLLECTION_FIELDS: tuple[Field, ...] = (
    Field("id", "编号", "id", "id", editable=False, aliases=("催款编号", "ID")),
    Field("customer", "客户名称", "customer", "ref", aliases=("客户", "公司", "单位", "company")),
    Field("contract", "合同", "contract", "ref", aliases=("合同编号", "contract number")),
    Field("happened_on", "日期", "day", "date", aliases=("催款日期", "date", "on")),
    Field("method", "催收方式", "method", "choice", COLLECTION_METHOD, ("方式", "collection method")),
    Field("document", "催收文书", "document", "choice", COLLECTION_DOCUMENT, ("文书", "函件")),
    Field("result", "结果", "result", aliases=("催款结果", "outcome")),
    Field("promised_on", "承诺日期", "promised on", "date", aliases=("承诺付款日", "promise date")),
    Field("promised_amount", "承诺金额", "promised amount", "money", aliases=("承诺付款", "promise amount")),
    Field("promise_status", "承诺状态", "promise", "choice", PROMISE_STATUS, editable=False,
          aliases=("兑现", "promise status")),
    Field("paid_since", "此后回款", "paid since", "money", editable=False, aliases=("paid after",)),
    *_STAMPS[:2],
)  # fmt: skip
# `kehu export collections` writes each action as `kehu collect` records it, with its promise's
# status; `kehu import collections` reads those columns and reads past the ones kehu computes or
# stamps (a `kehu collections --format csv` file imports too).
_COLLECTION_COMPUTED = ("promise_status", "paid_since", "created_at", "updated_at")
COLLECTION_EXPORT_FIELDS = tuple(f for f in COLLECTION_FIELDS if f.key not in _COLLECTION_COMPUTED[1:])
COLLECTION_IMPORT_FIELDS = tuple(f for f in COLLECTION_FIELDS if f.key not in _COLLECTION_COMPUTED)
COLLECTION_COMPUTED_FIELDS = tuple(f for f in COLLECTION_FIELDS if f.key in _COLLECTION_COMPUTED)

FIELDS_BY_KEY = {
    "customer": {f.key: f for f in CUSTOMER_FIELDS},
    "contact": {f.key: f for f in CONTACT_FIELDS},
    "rival": {f.key: f for f in RIVAL_FIELDS},
    "need": {f.key: f for f in NEED_FIELDS},
    "complaint": {f.key: f for f in COMPLAINT_FIELDS},
    "proposal": {f.key: f for f in PROPOSAL_FIELDS},
    "quote": {f.key: f for f in QUOTE_FIELDS},
}


def header_index(fields: tuple[Field, ...]) -> dict[str, Field]:
    """Map every folded header word (Chinese, English, alias) to its field."""
    index: dict[str, Field] = {}
    for field in fields:
        for word in field.header_words():
            index.setdefault(fold(word), field)
    return index


def _date_parser(absolute: bool, today: date | None) -> Callable[[str], date]:
    from kehu.domain.dates import DateOutOfRange, DateParseError, parse_absolute_date, parse_date

    def parse(text: str) -> date:
        try:
            if absolute or today is None:
                return parse_absolute_date(text)
            return parse_date(text, today)
        except DateOutOfRange:
            raise  # a ValueError too, its message says what is wrong; callers tell it apart
        except DateParseError as error:
            raise ValueError(str(error)) from None

    return parse


def parse_value(field: Field, text: str, *, today: date | None = None) -> Any:
    """Turn one non-empty cell into the field's value; ValueError says why it cannot.

    Dates from files must carry a year (`today` None); dates typed on the command line may be
    relative (明天, 下周三) and are resolved against `today`.
    """
    text = text.strip()
    kind = field.kind
    if kind == "name":
        return values.parse_name(text)
    if kind in ("text", "ref"):
        return values.parse_text(text)
    if kind == "choice":
        assert field.vocabulary is not None
        return values.parse_choice(field.vocabulary, text)
    if kind == "count" or kind == "id":
        return values.parse_count(text)
    if kind == "percent":
        return values.parse_percent(text)
    if kind == "money":
        return values.parse_money(text)
    if kind == "date":
        return _date_parser(today is None, today)(text)
    if kind == "birthday":  # a full date, or a month and day without the year (domain.monthday)
        from kehu.domain.monthday import parse_birthday

        return parse_birthday(text)
    if kind == "flag":
        return values.parse_flag(text)
    if kind == "currency":
        return values.parse_currency(text)
    if kind == "email":
        return values.parse_email(text)
    if kind == "timestamp":
        return values.parse_timestamp(text)
    raise AssertionError(f"unknown field kind {kind}")


def format_value(field: Field, value: Any, *, labels: bool = False, human: bool = False) -> str:
    """The text of a value in a CSV cell or table: codes for scripts, or labels for people.

    `human` (tables and cards only) shows moments on the local clock to the minute; files keep
    exact UTC even with labels, so that a labelled export imports back unchanged.
    """
    return formatter(field, labels=labels, human=human)(value)


def formatter(field: Field, *, labels: bool = False, human: bool = False) -> Callable[[Any], str]:
    """format_value for one field, decided once: an export calls it for millions of cells."""
    kind = field.kind
    if kind == "money":
        return values.format_money_for_people if human else values.format_money
    if kind == "date":
        return values.format_date
    if kind == "birthday":
        # A date, or a month-day without the year: --12-10 in files (ISO 8601), 12-10 to people.
        return _month_day_for_people if human else _iso
    if kind == "timestamp":
        # People read their own clock to the minute; scripts get exact UTC.
        return _local_minute if human else values.format_timestamp
    if kind == "percent" and human:
        return _percent
    if kind == "flag":
        if not labels:
            return _yes_no
        yes, no = ("是", "否") if is_chinese() else ("yes", "no")
        return lambda value: "" if value is None else (yes if value else no)
    if kind == "choice" and labels:
        assert field.vocabulary is not None
        label = field.vocabulary.label
        return lambda value: "" if value is None else label(value)
    return _plain


def _plain(value: Any) -> str:
    return "" if value is None else str(value)


PLAIN = _plain  # what csv.writer does by itself with a value: writers may skip calling it


def _percent(value: Any) -> str:
    return "" if value is None else f"{value}%"


def _iso(value: Any) -> str:
    return "" if value is None else value.isoformat()


def _month_day_for_people(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else f"{value.month:02d}-{value.day:02d}"


def _yes_no(value: Any) -> str:
    return "" if value is None else ("yes" if value else "no")


def _local_minute(value: Any) -> str:
    return "" if value is None else value.astimezone().strftime("%Y-%m-%d %H:%M")
