"""The closed and open word lists of the customer card (DOMAIN.md §1–2), in Chinese and English.

Each choice has a stored code (English, stable for scripts), a Chinese and an English label, and
the other words a salesperson may type or an Excel sheet may hold. Input is accepted in either
language; output is labelled in the user's. This module is the one place these words live.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from kehu.i18n import is_chinese


def fold(text: str) -> str:
    """Fold a word for matching: NFKC (full-width → half-width), trimmed, lower case, no spaces."""
    folded = unicodedata.normalize("NFKC", text).strip().casefold()
    return "".join(folded.split()).replace("_", "").replace("-", "")


@dataclass(frozen=True)
class Choice:
    code: str
    zh: str
    en: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Vocabulary:
    """A list of choices. `open` vocabularies keep unknown words as typed instead of refusing them."""

    name: str
    choices: tuple[Choice, ...]
    open: bool = False
    _index: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    # Typed words already looked up: an import asks about the same few words 100,000 times.
    _seen: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    # kehu's own choices; `choices` is these and then the words a book adds (use_added).
    _builtin: tuple[Choice, ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self._builtin:
            object.__setattr__(self, "_builtin", self.choices)
        for choice in self.choices:
            for word in (choice.code, choice.zh, choice.en, *choice.aliases):
                self._index[fold(word)] = choice.code

    def code_of(self, text: str) -> str | None:
        """The code a word already means here (a code, label or other word), else None."""
        return self._index.get(fold(text))

    def builtin(self) -> tuple[Choice, ...]:
        """kehu's own choices, without any a book added."""
        return self._builtin

    def codes(self) -> tuple[str, ...]:
        """kehu's own codes, in their order: what kehu may store in a closed list's column."""
        return tuple(choice.code for choice in self._builtin)

    def added(self) -> tuple[Choice, ...]:
        """The choices a book added to kehu's own (use_added)."""
        return self.choices[len(self._builtin) :]

    def use_added(self, choices: Iterable[Choice]) -> None:
        """Make `choices` (a book's own words, read and checked by kehu.config) follow kehu's
        own, in place of any added before. Every option, field and check holding this list then
        knows them for the run, as they know the interface language."""
        object.__setattr__(self, "choices", self._builtin + tuple(choices))
        self._index.clear()
        self._seen.clear()
        self.__post_init__()

    def parse(self, text: str) -> str:
        """Return the code for a typed word; raise ValueError for an unknown word in a closed list."""
        code = self._seen.get(text)
        if code is None:
            code = self._index.get(fold(text))
            if code is not None:
                self._seen[text] = code
        if code is not None:
            return code
        if self.open:
            return " ".join(text.split())
        raise ValueError(text)

    def label(self, code: str | None) -> str:
        """The user's-language label of a stored code (an open list's free word as it is)."""
        if code is None:
            return ""
        for choice in self.choices:
            if choice.code == code:
                return choice.zh if is_chinese() else choice.en
        return code

    def words(self) -> list[str]:
        """The labels to offer in an error message, in the user's language."""
        return [choice.zh if is_chinese() else choice.en for choice in self.choices]

    def with_words(self, words: Iterable[str]) -> Vocabulary:
        """This list and more words (a book's own, from its config), each stored as written
        there; a word that already means one of the choices adds nothing."""
        extra = []
        for word in words:
            if fold(word) not in self._index and word.strip():
                extra.append(Choice(word.strip(), word.strip(), word.strip()))
        return Vocabulary(self.name, self.choices + tuple(extra), self.open) if extra else self


KIND = Vocabulary(
    "kind",
    (
        Choice("company", "单位", "company", ("企业", "公司", "organization", "organisation", "org")),
        Choice("person", "个人", "person", ("individual", "personal", "自然人")),
    ),
)

SOURCE = Vocabulary(
    "source",
    (
        Choice("friends", "朋友熟人", "friends", ("朋友", "熟人", "friend", "acquaintance")),
        Choice("network", "社会关系网", "network", ("关系网", "社会关系", "social network")),
        Choice("referral", "客户介绍", "referral", ("转介绍", "介绍", "推荐", "referred")),
        Choice("trade_show", "展会", "trade show", ("展览会", "exhibition", "tradeshow", "fair")),
        Choice("web", "网络搜索", "web", ("网络", "搜索", "互联网", "internet", "search", "online")),
        Choice("database", "权威数据库", "database", ("数据库", "directory")),
        Choice("industry_site", "行业网站", "industry site", ("industry website",)),
        Choice("cold_call", "电话营销", "cold call", ("电话", "电销", "telemarketing")),
        Choice("old_customer", "老客户", "old customer", ("existing customer", "repeat")),
        Choice("competitor", "竞争对手", "competitor", ("竞争对手客户", "竞品")),
        Choice("field_research", "市场考察", "field research", ("考察", "market research")),
        Choice("conference", "会议论坛", "conference", ("会议", "论坛", "forum", "seminar")),
        Choice("agency", "专业机构", "agency", ("机构", "中介", "consultancy")),
        Choice("walk_in", "陌生拜访", "walk-in", ("扫街", "陌拜", "cold visit", "walkin")),
        Choice(
            "short_video",
            "抖音/短视频",
            "short video",
            ("抖音", "短视频", "快手", "视频号", "douyin", "tiktok", "kuaishou"),
        ),
        Choice("other", "其他", "other", ("其它",)),
    ),
)

KEY_ACCOUNT_TYPE = Vocabulary(
    "ka_type",
    (
        Choice("ordinary", "普通", "ordinary", ("普通型", "normal")),
        Choice("partner", "伙伴式", "partner", ("伙伴", "伙伴型", "partnership")),
        Choice("strategic", "战略性", "strategic", ("战略", "战略型", "strategy")),
    ),
)

GRADE = Vocabulary(
    "grade",
    tuple(Choice(letter, letter, letter, (f"{letter}级", f"{letter}类")) for letter in "ABCDE"),
)

NATURE = Vocabulary(
    "nature",
    (
        Choice("state_owned", "国企", "state-owned", ("国有企业", "央企", "soe", "state owned")),
        Choice("government", "政府机关", "government", ("政府", "机关", "government agency")),
        Choice("private", "民营", "private", ("民营企业", "私企", "私营", "private company")),
        Choice("foreign", "外资", "foreign-owned", ("外企", "外资企业", "foreign")),
        Choice("listed", "上市公司", "listed", ("上市", "listed company", "public company")),
        Choice("institution", "事业单位", "public institution", ("institution",)),
        Choice("joint_venture", "合资", "joint venture", ("合资企业", "jv")),
    ),
    open=True,
)

INDUSTRY = Vocabulary(
    "industry",
    (
        Choice("manufacturing", "制造业", "manufacturing", ("制造", "机械", "machinery")),
        Choice("software", "软件/IT", "software/IT", ("软件", "it", "信息技术", "software")),
        Choice("internet", "互联网", "internet", ("电商", "e-commerce")),
        Choice("healthcare", "医疗", "healthcare", ("医疗器械", "医药", "medical", "health")),
        Choice("education", "教育", "education", ("培训", "学校")),
        Choice("finance", "金融", "finance", ("银行", "保险", "证券", "banking", "insurance")),
        Choice("energy", "能源", "energy", ("电力", "新能源", "石油", "power")),
        Choice("construction", "建筑", "construction", ("建筑工程", "房地产", "real estate")),
        Choice("retail", "零售", "retail", ("商超", "批发", "wholesale")),
        Choice("logistics", "物流", "logistics", ("运输", "仓储", "transport")),
        Choice("chemicals", "化工", "chemicals", ("化学", "chemical")),
        Choice("automotive", "汽车", "automotive", ("汽配", "auto", "automobile")),
        Choice("electronics", "电子", "electronics", ("电子元器件", "半导体", "semiconductor")),
        Choice("telecom", "通信", "telecom", ("电信", "通讯", "telecommunications")),
        Choice("food", "食品", "food", ("食品饮料", "餐饮", "beverage")),
        Choice("public_sector", "政府", "public sector", ("政府部门", "公共事业")),
        Choice("agriculture", "农业", "agriculture", ("农林牧渔", "farming")),
        Choice("other", "其他", "other", ("其它",)),
    ),
    open=True,
)

PURCHASE_ROLE = Vocabulary(
    "role",
    (
        Choice("initiator", "发起者", "initiator", ("发起人",)),
        Choice("decision_maker", "决策者", "decision maker", ("决策人", "拍板人", "decider")),
        Choice("designer", "设计者", "designer", ("设计人", "spec writer")),
        Choice("evaluator", "评估者", "evaluator", ("评估人",)),
        # Seed 000 names two roles where kehu once kept one (revision 0009): who places the
        # order and who signs the purchase off.
        Choice("purchaser", "采购执行者", "purchaser", ("采购", "采购员", "buyer")),
        Choice("approver", "采购审批者", "purchase approver", ("审批者", "审批人", "approver")),
        Choice("technical_assessor", "技术论证者", "technical assessor", ("技术论证", "技术评估")),
        Choice("user", "使用者", "user", ("使用人", "用户", "end user")),
    ),
)

COMMUNICATION_STYLE = Vocabulary(
    "style",
    (
        Choice("peacock", "孔雀", "peacock", ("孔雀型", "expressive")),
        Choice("koala", "考拉", "koala", ("考拉型", "amiable")),
        Choice("owl", "猫头鹰", "owl", ("猫头鹰型", "analytical")),
        Choice("tiger", "老虎", "tiger", ("老虎型", "driver")),
        Choice("chameleon", "变色龙", "chameleon", ("变色龙型", "mixed")),
    ),
)

INSIDER_LEVEL = Vocabulary(
    "insider",
    (
        Choice("low", "低级", "low", ("低", "初级")),
        Choice("middle", "中级", "middle", ("中", "medium", "mid")),
        Choice("high", "高级", "high", ("高",)),
    ),
)

# A key person's relationship with us (seed 001, 建立信任's four stages), in order: 建立信任 ends
# when the key people are at 信赖 or beyond.
RELATIONSHIP = Vocabulary(
    "relationship",
    (
        Choice("acquainted", "认识", "acquainted", ("认识并取得好感",)),
        Choice("meeting", "约会", "meeting", ("互动",)),
        Choice("trusted", "信赖", "trusted", ("信任", "trust")),
        Choice("ally", "同盟", "ally", ("盟友", "联盟")),
    ),
)
RELATIONSHIPS = RELATIONSHIP.codes()  # in order, the closest last

# A need (挖掘需求): the four kinds the seed sorts them into, how pressing, and whether met.
NEED_KIND = Vocabulary(
    "need kind",
    (
        Choice("business", "业务", "business", ("业务需求",)),
        Choice("technical", "技术", "technical", ("技术需求", "tech")),
        Choice("commercial", "商务", "commercial", ("商务需求",)),
        Choice("personal", "个人", "personal", ("个人需求",)),
    ),
)
PRIORITY = Vocabulary(
    "priority",
    (
        Choice("high", "高", "high", ("紧急", "h")),
        Choice("medium", "中", "medium", ("一般", "m", "mid")),
        Choice("low", "低", "low", ("l",)),
    ),
)
NEED_STATUS = Vocabulary(
    "need status",
    (
        Choice("open", "待满足", "open", ("未满足",)),
        Choice("met", "已满足", "met", ("满足",)),
        Choice("dropped", "已放弃", "dropped", ("放弃", "取消")),
    ),
)
# A proposal's or a quote's status (呈现价值).
OFFER_STATUS = Vocabulary(
    "offer status",
    (
        Choice("draft", "草稿", "draft"),
        Choice("sent", "已发送", "sent", ("已发", "发送")),
        Choice("accepted", "已接受", "accepted", ("接受", "同意")),
        Choice("rejected", "已拒绝", "rejected", ("拒绝",)),
    ),
)

# The money after the sale (issue 17, seed 001 回收账款): what an instalment's day counts from,
# the four collection methods, what became of a promise to pay, and a credit check's payment
# history with us.
INSTALMENT_EVENT = Vocabulary(
    "instalment event",
    (
        Choice("signing", "签约", "signing", ("签合同", "合同签订", "on signing")),
        Choice("delivery", "交货", "delivery", ("发货", "到货", "交付", "delivered")),
        Choice("acceptance", "验收", "acceptance", ("验收合格", "accepted")),
    ),
)
COLLECTION_METHOD = Vocabulary(
    "collection method",
    (
        Choice("phone", "电话", "phone", ("电话催收", "打电话", "call")),
        Choice("finance", "财务", "finance", ("财务催收", "逾期通知书", "overdue notice")),
        Choice("visit", "上门", "visit", ("上门催收", "拜访", "面谈")),
        Choice("legal", "法律", "legal", ("法律催收", "催款函", "律师", "lawyer")),
    ),
)
# The document each method sends (seed 001): the finance route an overdue notice, the legal route
# a collection letter; a call and a visit send none (a visit ends in a compromise or a deadline,
# said in the action's result).
COLLECTION_DOCUMENT = Vocabulary(
    "collection document",
    (
        Choice("overdue_notice", "逾期通知书", "overdue notice", ("逾期通知", "notice")),
        Choice("collection_letter", "催款函", "collection letter", ("律师函", "letter", "demand letter")),
    ),
)
PROMISE_STATUS = Vocabulary(
    "promise status",
    (
        Choice("open", "待兑现", "open", ("未到期",)),
        Choice("kept", "已兑现", "kept", ("兑现",)),
        Choice("broken", "未兑现", "broken", ("失信", "违约")),
    ),
)
PAYMENT_HISTORY = Vocabulary(
    "payment history",
    (
        Choice("good", "良好", "good", ("按时", "好")),
        Choice("slow", "拖延", "slow", ("慢", "偶有拖欠")),
        Choice("bad", "差", "bad", ("拖欠", "坏账")),
        Choice("none", "无往来", "none", ("无", "新客户", "new")),
    ),
)
# An after-sale complaint's severity and whether it is resolved.
SEVERITY = Vocabulary(
    "severity",
    (
        Choice("low", "低", "low", ("轻微",)),
        Choice("medium", "中", "medium", ("一般", "mid")),
        Choice("high", "高", "high", ("严重",)),
        Choice("critical", "紧急", "critical", ("非常严重", "urgent")),
    ),
)
COMPLAINT_STATUS = Vocabulary(
    "complaint status",
    (Choice("open", "待处理", "open", ("未解决",)), Choice("resolved", "已解决", "resolved", ("解决",))),
)

CURRENCY_NAMES = {
    "人民币": "CNY", "rmb": "CNY", "元": "CNY", "¥": "CNY", "美元": "USD", "$": "USD",
    "欧元": "EUR", "€": "EUR", "港币": "HKD", "港元": "HKD", "日元": "JPY", "英镑": "GBP",
}  # fmt: skip

# What a qualification question (DOMAIN §5) may be answered.
ANSWER = Vocabulary(
    "answer",
    (
        Choice("yes", "是", "yes", ("y",)),
        Choice("no", "否", "no", ("n",)),
        Choice("unknown", "不确定", "unknown", ("未知", "?")),
    ),
)
# The six qualification questions (DOMAIN §5), by the key their answers are stored under.
QUESTION = Vocabulary(
    "question",
    (
        Choice("need", "客户需要产品", "the customer needs the product"),
        Choice("timetable", "有采购时间表", "there is a purchase timetable"),
        Choice("budget", "有客户预算", "there is a budget"),
        Choice("can_win", "我们能赢", "we can win"),
        Choice("worth_it", "值得投入", "it is worth the investment"),
        Choice("our_strength", "是我们的擅长", "it is our strength"),
    ),
)
# The same answers as a table, typed word → stored code.
ANSWERS = {word: c.code for c in ANSWER.choices for word in (c.code, c.zh, *c.aliases)}

# Why a customer was lost (丢单原因); a book adds its own words as `lost_reasons` in the config,
# kept as they are written there (see Vocabulary.with_words).
LOST_REASON = Vocabulary(
    "lost_reason",
    (
        Choice("price", "价格", "price"),
        Choice("competitor", "输给竞争对手", "lost to a competitor"),
        Choice("no_budget", "没有预算", "no budget"),
        Choice("need_changed", "需求变化", "need changed"),
        Choice("relationship", "关系不到位", "relationship"),
        Choice("timing", "时机不对", "timing"),
        Choice("product_fit", "产品不符", "product fit"),
        Choice("no_decision", "不了了之", "no decision"),
        Choice("other", "其他", "other", ("其它",)),
    ),
)

# Codes that kehu itself writes and nobody types: a customer's status, a funnel event (a row of
# stage_change), a visit plan's status. Nothing else may be stored there (a dump is checked).
STATUS = Vocabulary("status", (
    Choice("open", "进行中", "open", ("跟进中", "未成交", "在谈")),
    Choice("won", "赢单", "won", ("成交", "已成交", "签约")),
    Choice("lost", "丢单", "lost", ("已丢单", "输单")),
))  # fmt: skip
STATUSES = STATUS.codes()
FUNNEL_EVENT = Vocabulary("funnel event", (
    Choice("advance", "推进", "advanced"), Choice("back", "退回", "moved back"),
    Choice("won", "赢单", "won"), Choice("lost", "丢单", "lost"),
    Choice("reopen", "重新打开", "reopened"), Choice("collected", "回款完成", "money collected"),
    # kehu reopen --new-deal: a won customer's next purchase starts (repeat business, 重复采购).
    Choice("new_deal", "新一单", "new deal"),
    # A stage passed on the way to one further ahead without its evidence (kehu advance
    # --skip-evidence): a row per stage passed keeps the funnel's entries and conversions right.
    Choice("skipped", "跳过", "skipped"),
))  # fmt: skip
PLAN_STATUS = Vocabulary("plan status", (
    Choice("planned", "计划中", "planned"), Choice("done", "已完成", "done"),
    Choice("cancelled", "已取消", "cancelled"),
))  # fmt: skip
FUNNEL_EVENTS = FUNNEL_EVENT.codes()
PLAN_STATUSES = PLAN_STATUS.codes()

TRUE_WORDS = frozenset({"是", "对", "有", "yes", "y", "true", "1", "√", "✓", "x"})
FALSE_WORDS = frozenset({"否", "不是", "无", "no", "n", "false", "0"})

CHANNEL = Vocabulary(
    "channel",
    (
        Choice("phone", "电话", "phone", ("打电话", "call", "tel")),
        Choice("visit", "拜访", "visit", ("上门", "面谈", "走访", "meet")),
        Choice("wechat", "微信", "WeChat", ("weixin", "wx")),
        Choice("email", "邮件", "email", ("电子邮件", "e-mail", "mail")),
        Choice("sms", "短信", "SMS", ("text",)),
        Choice("meeting", "会议", "meeting", ("开会", "视频会议")),
        Choice("exhibition", "展会", "exhibition", ("trade show",)),
        Choice("fax", "传真", "fax", ()),
        Choice("dingtalk", "钉钉", "DingTalk", ("dingding", "ding", "钉")),
        Choice("wecom", "企业微信", "WeCom", ("企微", "wechat work", "wework", "wxwork")),
        Choice("qq", "QQ", "QQ", ()),
        Choice("other", "其他", "other", ("其它",)),
    ),
)
