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
    COMMUNICATION_STYLE,
    GRADE,
    INDUSTRY,
    INSIDER_LEVEL,
    KEY_ACCOUNT_TYPE,
    KIND,
    NATURE,
    PURCHASE_ROLE,
    SOURCE,
    Vocabulary,
    fold,
)
from kehu.i18n import is_chinese


@dataclass(frozen=True)
class Field:
    key: str
    zh: str
    en: str
    kind: str = "text"  # text name count money date birthday flag choice currency email timestamp ref id
    vocabulary: Vocabulary | None = None
    aliases: tuple[str, ...] = ()
    editable: bool = True  # settable with add/edit options and from CSV
    help_en: str = ""

    @property
    def label(self) -> str:
        return self.zh if is_chinese() else self.en

    @property
    def option(self) -> str:
        return "--" + self.key.replace("_", "-")

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

FIELDS_BY_KEY = {
    "customer": {f.key: f for f in CUSTOMER_FIELDS},
    "contact": {f.key: f for f in CONTACT_FIELDS},
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
