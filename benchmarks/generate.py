#!/usr/bin/env python3
"""Write a realistic kehu customer book, deterministically, for the benchmarks (issue 6).

    .venv/bin/python benchmarks/generate.py --customers 100000 --touches 1000000 --seed 1 \
        --out /tmp/book.db [--csv /tmp/customers.csv] [--today 2026-11-23] [--check]

The schema is kehu's own: the file is created by running `kehu --db FILE info` once, so the
tables, indexes and alembic_version are exactly what kehu writes. The book is then filled with
the standard library's sqlite3 (`executemany`, one transaction), which takes seconds where going
through kehu would take hours.

Everything comes from random.Random(seed) and the fixed `--today` (not the clock), so the same
arguments give the same bytes of data. What the book holds:

* customers: distinct Chinese company names (city + 字号 + industry word + 有限公司), grades A–E
  and some ungraded, owners, sources (referrals point at an older customer), industries,
  regions, natures, expected values in cents, phones, some archived;
* contacts: 1–3 per customer, at most one key contact, some birthdays (a few lunar);
* touches: spread over the last year, more for better grades, in date order, with channels,
  contacts, outcomes and next steps; some customers never touched (mostly new leads);
* each customer's follow-up state as kehu keeps it: last touch, channel, contact and next step
  from the newest touch, a few snoozes, and next_due by kehu's rule (snooze, else the next step,
  else E never, else never touched: the day added, else last touch + A1 B7 C15 D30 days;
  ungraded as D), so `kehu check` passes;
* the funnel: every customer in the six-step key-account pipeline with its stage moves; some
  won (stage 回收账款, with contracts, each one instalment, and payments; those whose money is
  all in moved on to 维护, as kehu pay moves them), some lost with a reason;
* issue 17's after-sale records: collection actions on overdue money (most with a promise to
  pay) and complaints of customers in 维护 (some still open);
* grade history, qualification answers, planned visits.

`--csv FILE` also writes a customers CSV of the same number of rows (other names), with Chinese
headers and the values a salesperson's sheet holds (labels, 120万, 2027/3/31), for
`kehu import customers`.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sqlite3
import subprocess
import sys
import time
import unicodedata
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from pathlib import Path

DEFAULT_TODAY = "2026-11-23"

# --- words -----------------------------------------------------------------------------------

# (city, province for the region column, telephone area code)
CITIES = [
    ("北京", "北京", "010"), ("上海", "上海", "021"), ("天津", "天津", "022"), ("重庆", "重庆", "023"),
    ("广州", "广东", "020"), ("深圳", "广东", "0755"), ("佛山", "广东", "0757"), ("东莞", "广东", "0769"),
    ("中山", "广东", "0760"), ("珠海", "广东", "0756"), ("惠州", "广东", "0752"), ("杭州", "浙江", "0571"),
    ("宁波", "浙江", "0574"), ("温州", "浙江", "0577"), ("绍兴", "浙江", "0575"), ("嘉兴", "浙江", "0573"),
    ("台州", "浙江", "0576"), ("金华", "浙江", "0579"), ("湖州", "浙江", "0572"), ("苏州", "江苏", "0512"),
    ("南京", "江苏", "025"), ("无锡", "江苏", "0510"), ("常州", "江苏", "0519"), ("南通", "江苏", "0513"),
    ("扬州", "江苏", "0514"), ("徐州", "江苏", "0516"), ("合肥", "安徽", "0551"), ("芜湖", "安徽", "0553"),
    ("武汉", "湖北", "027"), ("宜昌", "湖北", "0717"), ("襄阳", "湖北", "0710"), ("长沙", "湖南", "0731"),
    ("株洲", "湖南", "0731"), ("成都", "四川", "028"), ("绵阳", "四川", "0816"), ("西安", "陕西", "029"),
    ("郑州", "河南", "0371"), ("洛阳", "河南", "0379"), ("济南", "山东", "0531"), ("青岛", "山东", "0532"),
    ("烟台", "山东", "0535"), ("潍坊", "山东", "0536"), ("淄博", "山东", "0533"), ("临沂", "山东", "0539"),
    ("石家庄", "河北", "0311"), ("唐山", "河北", "0315"), ("保定", "河北", "0312"), ("廊坊", "河北", "0316"),
    ("沈阳", "辽宁", "024"), ("大连", "辽宁", "0411"), ("鞍山", "辽宁", "0412"), ("长春", "吉林", "0431"),
    ("哈尔滨", "黑龙江", "0451"), ("福州", "福建", "0591"), ("厦门", "福建", "0592"),
    ("泉州", "福建", "0595"), ("南昌", "江西", "0791"), ("南宁", "广西", "0771"), ("柳州", "广西", "0772"),
    ("桂林", "广西", "0773"), ("昆明", "云南", "0871"), ("贵阳", "贵州", "0851"), ("太原", "山西", "0351"),
    ("呼和浩特", "内蒙古", "0471"), ("兰州", "甘肃", "0931"), ("银川", "宁夏", "0951"),
    ("乌鲁木齐", "新疆", "0991"), ("海口", "海南", "0898"),
]  # fmt: skip
# Characters of a trade name (字号); a name is two different ones: 14,000+ trade names.
NAME_CHARS = (
    "华海恒瑞信达通泰鑫盛源宏博创新腾飞远中天宇嘉润金星光明辉盈峰宁安康德诚和永昌兴旺隆丰佳美"
    "力众合联方正凯越卓尚益百汇晨阳云龙凤鹏江山峻伟立欣荣森林青蓝睿智捷迅驰锐亿万铭鼎坤乾聚"
    "航洋帆宸泽浩瀚昊晟弘毅俊豪亨利元亚东南西北骏锦绣雅扬帝皓晖耀翔"
)
# Industry words of a company name, with the INDUSTRY code they suggest.
INDUSTRY_WORDS = [
    ("科技", "software"), ("信息技术", "software"), ("软件", "software"), ("网络科技", "internet"),
    ("电子商务", "internet"), ("电子", "electronics"), ("半导体", "electronics"), ("光电", "electronics"),
    ("机械", "manufacturing"), ("精密制造", "manufacturing"), ("重工", "manufacturing"),
    ("自动化设备", "manufacturing"), ("包装", "manufacturing"), ("纺织", "manufacturing"),
    ("医疗器械", "healthcare"), ("生物医药", "healthcare"), ("教育科技", "education"),
    ("培训", "education"), ("金融服务", "finance"), ("投资管理", "finance"), ("能源", "energy"),
    ("新能源", "energy"), ("电力设备", "energy"), ("建筑工程", "construction"), ("建材", "construction"),
    ("商贸", "retail"), ("百货", "retail"), ("贸易", "retail"), ("物流", "logistics"),
    ("供应链管理", "logistics"), ("化工", "chemicals"), ("新材料", "chemicals"),
    ("汽车零部件", "automotive"), ("汽车销售服务", "automotive"), ("通信技术", "telecom"),
    ("食品", "food"), ("饮料", "food"), ("农业科技", "agriculture"), ("环保科技", "other"),
    ("实业", "other"),
]  # fmt: skip
# Chinese labels of kehu's vocabularies (domain/vocabulary.py), for the CSV a salesperson writes.
INDUSTRY_ZH = {
    "manufacturing": "制造业", "software": "软件/IT", "internet": "互联网", "healthcare": "医疗",
    "education": "教育", "finance": "金融", "energy": "能源", "construction": "建筑", "retail": "零售",
    "logistics": "物流", "chemicals": "化工", "automotive": "汽车", "electronics": "电子",
    "telecom": "通信", "food": "食品", "public_sector": "政府", "agriculture": "农业", "other": "其他",
}  # fmt: skip
SOURCES = [  # (code, Chinese label, weight)
    ("friends", "朋友熟人", 4), ("network", "社会关系网", 3), ("referral", "客户介绍", 10),
    ("trade_show", "展会", 14), ("web", "网络搜索", 15), ("database", "权威数据库", 5),
    ("industry_site", "行业网站", 8), ("cold_call", "电话营销", 12), ("old_customer", "老客户", 5),
    ("competitor", "竞争对手", 3), ("field_research", "市场考察", 4), ("conference", "会议论坛", 6),
    ("agency", "专业机构", 3), ("walk_in", "陌生拜访", 8),
]  # fmt: skip
NATURES = [("private", "民营", 60), ("state_owned", "国企", 14), ("foreign", "外资", 8),
           ("listed", "上市公司", 7), ("joint_venture", "合资", 5), ("institution", "事业单位", 4),
           ("government", "政府机关", 2)]  # fmt: skip
KA_TYPES = [("ordinary", "普通", 70), ("partner", "伙伴式", 20), ("strategic", "战略性", 10)]
GRADES = [("A", 6), ("B", 14), ("C", 28), ("D", 32), ("E", 15), (None, 5)]
CADENCE = {"A": 1, "B": 7, "C": 15, "D": 30, "E": None, None: 30}  # ungraded counts as D
TOUCH_WEIGHT = {"A": 6.0, "B": 3.0, "C": 1.5, "D": 1.0, "E": 0.3, None: 1.0}
OWNERS = ["王磊", "李娜", "张伟", "刘洋", "陈静", "杨帆", "赵敏", "黄强", "周杰", "吴婷", "徐明", "孙丽",
          "马超", "朱琳", "胡军", "郭涛", "何芳", "高翔", "林峰", "罗敏", "郑凯", "梁爽", "谢磊", "宋佳",
          "唐宁", "许诺", "韩冰", "冯雪", "邓辉", "曹阳"]  # fmt: skip
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈"
    "曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"
)
GIVEN_CHARS = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕"
    "建国志强海波宁晨浩宇子涵欣怡梓轩雨嘉琪博文思远晓东立新春雷鹏飞"
)
TITLES = [("总经理", 10), ("副总经理", 8), ("董事长", 3), ("采购经理", 14), ("采购专员", 8), ("技术总监", 8),
          ("工程师", 10), ("财务总监", 5), ("生产部长", 6), ("项目经理", 10), ("办公室主任", 5),
          ("设备科长", 5), ("质量经理", 4)]  # fmt: skip
ROLES = ["initiator", "decision_maker", "designer", "evaluator", "purchaser", "technical_assessor", "user"]
STYLES = ["peacock", "koala", "owl", "tiger", "chameleon"]
HOBBIES = ["钓鱼", "高尔夫", "喝茶", "书法", "跑步", "羽毛球", "摄影", "登山", "象棋", "红酒", "篮球"]
HOMETOWNS = ["湖南", "四川", "山东", "河南", "浙江", "江苏", "广东", "湖北", "安徽", "江西", "福建"]
FAMILY = ["儿子在读高中", "女儿刚上大学", "家有二胎", "爱人是老师", "父母同住", "孩子在国外读书"]
CHANNELS = [("phone", 40), ("wechat", 25), ("visit", 15), ("email", 10), ("meeting", 4), ("sms", 3),
            ("exhibition", 2), ("fax", 1)]  # fmt: skip
TOPICS = ["报价", "技术方案", "合同条款", "付款方式", "交货期", "样品测试结果", "年度采购计划", "售后服务",
          "竞品情况", "预算审批进度", "招标文件", "产品选型"]  # fmt: skip
SUMMARY_FORMS = {"phone": "电话沟通{}", "wechat": "微信交流{}", "visit": "上门拜访，面谈{}",
                 "email": "邮件发送{}", "meeting": "视频会议讨论{}", "sms": "短信确认{}",
                 "exhibition": "展会上见面，交流{}", "fax": "传真{}"}  # fmt: skip
OUTCOMES = ["对方有兴趣", "需要内部讨论", "要求降价5%", "同意安排技术交流", "暂无需求", "已转给采购部",
            "等待预算批复", "确认下周回复", "对方要样品", "认可方案"]  # fmt: skip
NEXT_STEPS = ["送样品", "发报价单", "安排技术交流", "拜访采购经理", "跟进合同", "电话回访", "发送方案",
              "约见总经理", "催款", "确认交货期"]  # fmt: skip
NOTES = ["老板很重视质量", "对价格敏感", "年底有预算", "竞争对手在跟进", "需要先做样品测试", "决策链较长",
         "去年采购过同类产品", "关系不错，可以多走动"]  # fmt: skip
STAGES = ["analyse", "trust", "needs", "value", "commit", "collect"]  # the six-step key-account funnel
OPEN_STAGE_WEIGHTS = [45, 22, 15, 10, 8]  # analyse .. commit, for open and lost customers
EVIDENCE = ["确认了销售机会", "建立了信任关系", "收到书面采购需求", "客户认可方案价值", "客户露出购买信号"]
LOST_REASONS = [
    ("price", 30),
    ("competitor", 25),
    ("no_budget", 15),
    ("need_changed", 8),
    ("relationship", 8),
    ("timing", 6),
    ("product_fit", 4),
    ("no_decision", 3),
    ("other", 1),
]
LOST_DETAILS = ["对手报价低15%", "预算被砍", "项目搁置", "老板换人了", "选了本地供应商", "技术指标不满足"]
VISIT_PURPOSES = ["技术交流", "送样品", "商务谈判", "拜访总经理", "合同签订", "售后回访", "现场调研"]
QUALIFY_KEYS = ("need", "timetable", "budget", "can_win", "worth_it", "our_strength")


def weighted(pairs):
    """(values, cumulative weights) for rng.choices."""
    return [p[0] for p in pairs], list(accumulate(p[-1] for p in pairs))


# --- helpers ---------------------------------------------------------------------------------


def stamp(day: date, seconds: int) -> str:
    """A kehu timestamp (naive UTC, as SQLAlchemy writes it for SQLite) on `day`."""
    return f"{day.isoformat()} {seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}.000000"


def name_key(name: str) -> str:
    """kehu's unique key of a name (domain/names.py): NFKC, spaces collapsed, case folded."""
    return " ".join(unicodedata.normalize("NFKC", name).split()).casefold()


def local_day(created_at: str) -> date:
    """The day a customer was added, on the local clock, as kehu counts it (domain.cadence)."""
    moment = datetime.fromisoformat(created_at).replace(tzinfo=UTC)
    return moment.astimezone().date()


def next_due(grade, added_on, last_touch_on, next_step_on, snoozed_until):
    """kehu's rule (domain/cadence.py), restated so that `kehu check` verifies it independently."""
    if snoozed_until is not None:
        return snoozed_until
    if next_step_on is not None:
        return next_step_on
    days = CADENCE[grade]
    if days is None:
        return None
    if last_touch_on is None:
        return added_on
    return last_touch_on + timedelta(days=days)


def money_cents(rng: random.Random, low_yuan: float, high_yuan: float, step_yuan: int = 1000) -> int:
    """A log-uniform round amount in cents."""
    yuan = low_yuan * (high_yuan / low_yuan) ** rng.random()
    return max(step_yuan, int(yuan // step_yuan) * step_yuan) * 100


def company_names(rng: random.Random, count: int) -> list[tuple[str, int, int]]:
    """`count` distinct (name, city index, industry-word index), sampled without replacement."""
    pairs = [a + b for a in NAME_CHARS for b in NAME_CHARS if a != b]
    space = len(CITIES) * len(pairs) * len(INDUSTRY_WORDS)
    if count > space:
        raise SystemExit(f"generate: at most {space} distinct names")
    result = []
    for number in rng.sample(range(space), count):
        number, word = divmod(number, len(INDUSTRY_WORDS))
        city, pair = divmod(number, len(pairs))
        result.append((f"{CITIES[city][0]}{pairs[pair]}{INDUSTRY_WORDS[word][0]}有限公司", city, word))
    return result


def _pinyin_chunk(names: list[str]) -> list[tuple[str, str]]:
    from kehu.domain.names import pinyin_forms

    return [pinyin_forms(name) for name in names]


def pinyin_all(names: list[str]) -> list[tuple[str, str]]:
    """kehu's own pinyin (domain.names.pinyin_forms) of every name, on every core (it is slow)."""
    chunks = [names[i : i + 5000] for i in range(0, len(names), 5000)]
    workers = min(os.cpu_count() or 1, len(chunks))
    if workers <= 1:
        return [forms for chunk in chunks for forms in _pinyin_chunk(chunk)]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(workers) as pool:
        return [forms for part in pool.map(_pinyin_chunk, chunks) for forms in part]


def kehu_command() -> list[str]:
    """kehu beside this Python (the venv), else on PATH, else `python -m kehu`."""
    beside = Path(sys.executable).parent / "kehu"
    if beside.exists():
        return [str(beside)]
    import shutil

    found = shutil.which("kehu")
    return [found] if found else [sys.executable, "-m", "kehu"]


def kehu_env(config_dir: Path) -> dict[str, str]:
    """The environment kehu runs in here: no user config or database, a fixed language."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEHU_")}
    env["KEHU_CONFIG"] = str(config_dir / "no-config.toml")  # absent: the default settings
    env.setdefault("LANG", "C.UTF-8")
    return env


def log(message: str) -> None:
    print(f"generate: {message}", file=sys.stderr, flush=True)


# --- the book ----------------------------------------------------------------------------------


class Book:
    def __init__(self, customers: int, touches: int, seed: int, today: date) -> None:
        self.n, self.t, self.today = customers, touches, today
        self.rng = random.Random(seed)
        self.customers: list[dict] = []
        self.contacts: list[tuple] = []
        self.contacts_of: list[list[int]] = []  # per customer index: contact ids, key contact first
        self.grade_changes: list[tuple] = []
        self.stage_changes: list[tuple] = []
        self.qualifications: list[tuple] = []
        self.contracts: list[tuple] = []
        self.instalments: list[tuple] = []
        self.payments: list[tuple] = []
        self.visits: list[tuple] = []
        # Issue 17's records (collection actions with promises, complaints) come from their own
        # stream, so the rest of the book stays what it was before they were added.
        self.after_rng = random.Random(seed + 17)
        self.collection_actions: list[tuple] = []
        self.complaints: list[tuple] = []

    # customers ------------------------------------------------------------------------------

    def make_customers(self) -> None:
        rng, today = self.rng, self.today
        names = company_names(rng, self.n)
        log(f"pinyin of {self.n} names")
        forms = pinyin_all([name for name, _c, _w in names])
        # Ids follow the order the cards were added: creation days sorted, over the last two years.
        ages = sorted((rng.randrange(730) for _ in range(self.n)), reverse=True)
        grades, grade_w = weighted(GRADES)
        sources, source_w = weighted([(s[0], s[2]) for s in SOURCES])
        natures, nature_w = weighted([(s[0], s[2]) for s in NATURES])
        kas, ka_w = weighted([(s[0], s[2]) for s in KA_TYPES])
        owner_w = list(accumulate(1.0 / (i + 2) ** 0.5 for i in range(len(OWNERS))))
        for index, ((name, city, word), (full, initials), age) in enumerate(
            zip(names, forms, ages, strict=True)
        ):
            cid = index + 1
            city_name, province, area = CITIES[city]
            added = today - timedelta(days=age)
            created_at = stamp(added, rng.randrange(3600, 11 * 3600))
            grade = rng.choices(grades, cum_weights=grade_w)[0]
            source = rng.choices(sources, cum_weights=source_w)[0]
            has_value = rng.random() < 0.85
            c = {
                "id": cid, "name": name, "name_key": name_key(name), "pinyin_full": full,
                "pinyin_initials": initials, "kind": "company",
                "industry": INDUSTRY_WORDS[word][1] if rng.random() < 0.9 else None,
                "region": province if province == city_name else f"{province}{city_name}",
                "address": f"{city_name}市{rng.choice('东西南北中')}"
                           f"{rng.choice(('环路', '大道', '路', '街'))}{rng.randrange(1, 999)}号"
                           if rng.random() < 0.6 else None,
                "owner": rng.choices(OWNERS, cum_weights=owner_w)[0],
                "nature": rng.choices(natures, cum_weights=nature_w)[0] if rng.random() < 0.7 else None,
                "employees": int(10 * 2000 ** rng.random()) if rng.random() < 0.7 else None,
                "revenue": money_cents(rng, 1e6, 5e9, 10000) if rng.random() < 0.4 else None,
                "website": f"www.{full[:14]}.com" if rng.random() < 0.3 else None,
                "phone": f"{area}-{rng.randrange(10**7, 10**8)}" if rng.random() < 0.8 else None,
                "email": f"sales{cid}@{initials}.com.cn" if rng.random() < 0.4 else None,
                "wechat": f"wx_{initials}{rng.randrange(1000)}" if rng.random() < 0.2 else None,
                "source": source,
                "referrer_id": rng.randrange(1, cid)
                               if source == "referral" and cid > 1 and rng.random() < 0.6 else None,
                "ka_type": rng.choices(kas, cum_weights=ka_w)[0] if grade in ("A", "B") else None,
                "grade": grade,
                "expected_value": money_cents(rng, 5e4, 8e6) if has_value else None,
                "expected_close": (today + timedelta(days=rng.randrange(1, 240))).isoformat()
                                  if has_value and rng.random() < 0.4 else None,
                "currency": "USD" if rng.random() < 0.02 else "CNY",
                "notes": rng.choice(NOTES) if rng.random() < 0.2 else None,
                "created_at": created_at, "updated_at": created_at, "archived_at": None,
                "last_touch_on": None, "last_channel": None, "last_contact_id": None,
                "next_step_on": None, "next_step": None, "snoozed_until": None, "next_due": None,
                "pipeline": "key-account", "stage": "analyse",
                "stage_since": local_day(created_at).isoformat(),
                "status": "open", "won_on": None, "won_value": None, "lost_on": None, "lost_reason": None,
                "lost_detail": None,
                # not columns: the day added (local), and whether the card is a lead never touched
                "_added": local_day(created_at), "_lead": rng.random() < (0.5 if age < 60 else 0.03),
            }  # fmt: skip
            if rng.random() < 0.02:
                gone = added + timedelta(days=rng.randrange(age + 1))
                c["archived_at"] = c["updated_at"] = stamp(gone, rng.randrange(3600, 11 * 3600))
                if c["archived_at"] < created_at:
                    c["archived_at"] = c["updated_at"] = created_at
            self.customers.append(c)
            self._grade_history(c)

    def _grade_history(self, c: dict) -> None:
        rng = self.rng
        if rng.random() >= 0.12:
            return
        letters = ["A", "B", "C", "D", "E"]
        steps = rng.choice((1, 1, 2))
        span = (self.today - c["_added"]).days
        days = sorted(c["_added"] + timedelta(days=rng.randrange(span + 1)) for _ in range(steps))
        grades = [rng.choice([g for g in letters if g != c["grade"]]) for _ in range(steps - 1)] + [
            c["grade"]
        ]
        old = rng.choice((None, rng.choice(letters)))
        for day, new in zip(days, grades, strict=True):
            if new == old:
                continue
            reason = rng.choice(("预算已批", "需求变化", "长期未联系", "关系升温", None))
            self.grade_changes.append((c["id"], day.isoformat(), old, new, reason,
                                       stamp(day, rng.randrange(3600, 39600))))  # fmt: skip
            old = new

    # contacts --------------------------------------------------------------------------------

    def make_contacts(self) -> None:
        rng = self.rng
        titles, title_w = weighted(TITLES)
        next_id = 1
        for c in self.customers:
            count = rng.choices((1, 2, 3), cum_weights=(30, 75, 100))[0]
            seen: set[str] = set()
            ids = []
            for number in range(count):
                while True:
                    name = rng.choice(SURNAMES) + "".join(
                        rng.choice(GIVEN_CHARS) for _ in range(rng.choice((1, 2)))
                    )
                    if name not in seen:
                        seen.add(name)
                        break
                birthday = None
                if rng.random() < 0.2:
                    birthday = date(rng.randrange(1960, 1996), rng.randrange(1, 13), rng.randrange(1, 29))
                    if rng.random() < 0.05:
                        birthday = birthday.replace(day=29) if birthday.month != 2 else birthday
                added = c["_added"] + timedelta(days=rng.randrange(0, 30))
                added = min(added, self.today)
                created = stamp(added, rng.randrange(3600, 39600))
                created = max(created, c["created_at"])
                self.contacts.append((
                    next_id, c["id"], name, name, rng.choices(titles, cum_weights=title_w)[0],
                    f"1{rng.choice('3578')}{rng.randrange(10**9):09d}" if rng.random() < 0.9 else None,
                    f"c{next_id}@{c['pinyin_initials']}.com.cn" if rng.random() < 0.25 else None,
                    f"wx{rng.randrange(10**6, 10**7)}" if rng.random() < 0.4 else None,
                    birthday.isoformat() if birthday else None,
                    1 if birthday and rng.random() < 0.08 else 0,
                    rng.choice(HOMETOWNS) if rng.random() < 0.2 else None,
                    rng.choice(HOBBIES) if rng.random() < 0.2 else None,
                    rng.choice(FAMILY) if rng.random() < 0.1 else None,
                    rng.choice(ROLES) if rng.random() < 0.7 else None,
                    rng.choice(STYLES) if rng.random() < 0.5 else None,
                    rng.choice(("low", "middle", "high")) if rng.random() < 0.15 else None,
                    1 if number == 0 and rng.random() < 0.85 else 0,
                    None, created, created,
                    stamp(self.today, 3600) if rng.random() < 0.01 and number > 0 else None,
                ))  # fmt: skip
                ids.append(next_id)
                next_id += 1
            self.contacts_of.append(ids)

    # touches ---------------------------------------------------------------------------------

    def touch_rows(self):
        """Yield the touch rows in date order (ids follow), setting each customer's last touch."""
        rng, today = self.rng, self.today
        weights = [0.0 if c["_lead"] else TOUCH_WEIGHT[c["grade"]] for c in self.customers]
        cum = list(accumulate(weights))
        first = today - timedelta(days=364)
        low = [max((c["_added"] - first).days, 0) for c in self.customers]
        days: list[list[int]] = [[] for _ in range(365)]
        for index in rng.choices(range(self.n), cum_weights=cum, k=self.t):
            days[rng.randrange(low[index], 365)].append(index)
        channels, channel_w = weighted(CHANNELS)
        summaries = {ch: [SUMMARY_FORMS[ch].format(t) for t in TOPICS] for ch in SUMMARY_FORMS}
        touch_id = 0
        for offset, indexes in enumerate(days):
            day = first + timedelta(days=offset)
            iso = day.isoformat()
            later = [(day + timedelta(days=k)).isoformat() for k in range(22)]
            for index in indexes:
                c = self.customers[index]
                touch_id += 1
                channel = rng.choices(channels, cum_weights=channel_w)[0]
                contacts = self.contacts_of[index]
                contact = rng.choice(contacts) if rng.random() < 0.8 else None
                step_in = rng.randrange(1, 22) if rng.random() < 0.45 else None
                seconds = rng.randrange(3600, 39600)
                created = stamp(day, seconds)
                if created < c["created_at"]:
                    created = c["created_at"]
                row = (
                    touch_id, c["id"], contact, iso, channel, rng.choice(summaries[channel]),
                    rng.choice(OUTCOMES) if rng.random() < 0.5 else None,
                    later[step_in] if step_in else None,
                    rng.choice(NEXT_STEPS) if step_in else None, created,
                )  # fmt: skip
                # Touches come in date order: the newest one so far sets the follow-up state.
                c["last_touch_on"], c["last_channel"], c["last_contact_id"] = iso, channel, contact
                c["next_step_on"], c["next_step"] = row[7], row[8]
                yield row

    def settle_follow_ups(self) -> None:
        rng, today = self.rng, self.today
        for c in self.customers:
            if c["last_touch_on"] and c["grade"] != "E" and rng.random() < 0.02:
                c["snoozed_until"] = (today + timedelta(days=rng.randrange(1, 15))).isoformat()
            due = next_due(
                c["grade"], c["_added"],
                date.fromisoformat(c["last_touch_on"]) if c["last_touch_on"] else None,
                date.fromisoformat(c["next_step_on"]) if c["next_step_on"] else None,
                date.fromisoformat(c["snoozed_until"]) if c["snoozed_until"] else None,
            )  # fmt: skip
            c["next_due"] = due.isoformat() if due else None

    # funnel, money, visits -------------------------------------------------------------------

    def make_funnel(self) -> None:
        rng, today = self.rng, self.today
        reasons, reason_w = weighted(LOST_REASONS)
        stage_w = list(accumulate(OPEN_STAGE_WEIGHTS))
        contract_id = payment_id = 0
        for c in self.customers:
            added = c["_added"]
            span = (today - added).days
            roll = rng.random()
            lost_chance = 0.35 if c["grade"] == "E" else 0.06
            if roll < 0.03 and span >= 2:
                status = "won"
            elif roll < 0.03 + lost_chance and span >= 1:
                status = "lost"
            else:
                status = "open"
            reached = 4 if status == "won" else rng.choices(range(5), cum_weights=stage_w)[0]
            end = today if status == "open" else added + timedelta(days=rng.randrange(1, span + 1))
            moves = sorted(
                added + timedelta(days=rng.randrange((end - added).days + 1)) for _ in range(reached)
            )
            since = added
            for step, day in enumerate(moves, 1):
                self._move(c, STAGES[step - 1], STAGES[step], "advance", day, EVIDENCE[step - 1])
                since = day
            c["stage"], c["stage_since"] = STAGES[reached], since.isoformat()
            if status == "lost":
                c["status"], c["lost_on"] = "lost", end.isoformat()
                c["lost_reason"] = rng.choices(reasons, cum_weights=reason_w)[0]
                c["lost_detail"] = rng.choice(LOST_DETAILS) if rng.random() < 0.5 else None
                self._move(c, c["stage"], c["stage"], "lost", end, c["lost_detail"])
            elif status == "won":
                value = c["expected_value"] or money_cents(rng, 5e4, 3e6)
                c["status"], c["won_on"], c["won_value"] = "won", end.isoformat(), value
                c["stage"], c["stage_since"] = "collect", end.isoformat()
                self._move(c, "commit", "collect", "won", end, None)
                contract_id, payment_id = self._contracts(c, end, value, contract_id, payment_id)
            if reached >= 1 and rng.random() < 0.6:
                answers = [
                    rng.choices(("yes", "unknown", "no"), cum_weights=(60, 90, 100))[0] for _ in QUALIFY_KEYS
                ]
                self.qualifications.append((c["id"], *answers, stamp(since, 7200)))
            if c["archived_at"] is None and rng.random() < 0.003:
                self._visit(c)

    def _move(self, c: dict, from_stage, to_stage, event: str, day: date, evidence) -> None:
        self.stage_changes.append((c["id"], "key-account", from_stage, to_stage, event, day.isoformat(),
                                   evidence, max(stamp(day, 30000), c["created_at"])))  # fmt: skip

    def _contracts(self, c: dict, signed: date, value: int, contract_id: int, payment_id: int):
        rng, today = self.rng, self.today
        parts = [value] if rng.random() < 0.75 or value < 200 else [value // 2, value - value // 2]
        all_paid = True
        last_paid = signed
        for number, amount in enumerate(parts):
            contract_id += 1
            on = signed if number == 0 else min(signed + timedelta(days=rng.randrange(1, 60)), today)
            terms = rng.choice((0, 30, 30, 60, 90))
            due = on + timedelta(days=terms)
            self.contracts.append((contract_id, c["id"], f"HT-{on.year}-{contract_id:06d}", amount,
                                   c["currency"], on.isoformat(), due.isoformat(), terms, None,
                                   stamp(on, 25000)))  # fmt: skip
            # One instalment of the whole amount, as revision 0010 makes of every older contract.
            self.instalments.append((contract_id, c["id"], contract_id, 1, amount, None, None, None,
                                     due.isoformat(), stamp(on, 25000)))  # fmt: skip
            # Most money comes in; some is partly paid, some not at all (the receivables).
            latest = (today - on).days
            # Old contracts were mostly collected; recent ones are often not yet due.
            paid, partly = (0.92, 0.97) if (today - due).days > 60 else (0.5, 0.7)
            roll = rng.random()
            if roll < paid and latest >= 0:
                payments = (
                    [amount]
                    if rng.random() < 0.6 or amount < 200
                    else [amount * 3 // 10, amount - amount * 3 // 10]
                )
            elif roll < partly and latest >= 0:
                payments = [amount * rng.randrange(2, 8) // 10]
                all_paid = False
            else:
                payments = []
                all_paid = False
            paid_days = sorted(
                on + timedelta(days=rng.randrange(min(latest, terms + 30) + 1)) for _ in payments
            )
            for paid, day in zip(payments, paid_days, strict=True):
                payment_id += 1
                self.payments.append((payment_id, c["id"], contract_id, paid, day.isoformat(), None,
                                      stamp(day, 28000), contract_id))  # fmt: skip
                last_paid = max(last_paid, day)
            if sum(payments) < amount and due < today:
                self._collection_action(c, contract_id, due, amount - sum(payments))
        if all_paid:  # all the money in: the won customer moves on to 维护, as kehu pay does
            self._move(c, "collect", "maintain", "collected", last_paid, None)
            c["stage"], c["stage_since"] = "maintain", last_paid.isoformat()
            self._complaint(c, last_paid)
        return contract_id, payment_id

    def _collection_action(self, c: dict, contract_id: int, due: date, owed: int) -> None:
        """Some overdue money was chased (kehu collect): a call, often with a promise to pay,
        some of them broken already."""
        rng, today = self.after_rng, self.today
        if rng.random() >= 0.4:
            return
        on = min(due + timedelta(days=rng.randrange(1, 45)), today)
        promised = on + timedelta(days=rng.randrange(3, 21)) if rng.random() < 0.6 else None
        self.collection_actions.append((
            len(self.collection_actions) + 1, c["id"], contract_id, on.isoformat(), "phone", None, None,
            promised and promised.isoformat(), owed if promised else None, "open" if promised else None,
            stamp(on, 30000), stamp(on, 30000),
        ))  # fmt: skip

    def _complaint(self, c: dict, since: date) -> None:
        """Some customers in 维护 complained (kehu complaint add); most were resolved."""
        rng, today = self.after_rng, self.today
        if rng.random() >= 0.15 or since >= today:
            return
        raised = since + timedelta(days=rng.randrange((today - since).days + 1))
        resolved = None if rng.random() < 0.3 else min(raised + timedelta(days=rng.randrange(1, 20)), today)
        contacts = self.contacts_of[c["id"] - 1]
        self.complaints.append((
            len(self.complaints) + 1, c["id"], contacts[0] if contacts else None, raised.isoformat(),
            rng.choice(("到货延迟", "安装质量问题", "发票开错", "售后响应慢")),
            rng.choice(("low", "medium", "medium", "high", "critical")),
            "resolved" if resolved else "open", resolved and resolved.isoformat(),
            "已处理" if resolved else None, stamp(raised, 30000), stamp(resolved or raised, 32000),
        ))  # fmt: skip

    def _visit(self, c: dict) -> None:
        rng, today = self.rng, self.today
        day = today + timedelta(days=rng.randrange(-2, 15))
        contacts = self.contacts_of[c["id"] - 1]
        created = max(stamp(min(day, today) - timedelta(days=3), 30000), c["created_at"])
        self.visits.append((
            len(self.visits) + 1, c["id"], rng.choice(contacts) if contacts else None, day.isoformat(),
            rng.choice(VISIT_PURPOSES), c["owner"], rng.choice(("样品两套", "报价单", "技术方案", None)),
            None, rng.choice(("确认需求", "推进合同", None)), None,
            "planned" if rng.random() < 0.9 else "cancelled", None, created, created, None,  # cancel_reason
        ))  # fmt: skip


# --- writing -----------------------------------------------------------------------------------


def create_schema(path: Path) -> None:
    """Let kehu itself create the file: its tables, indexes and alembic_version exactly."""
    command = [*kehu_command(), "--db", str(path), "info"]
    done = subprocess.run(command, env=kehu_env(path.parent), capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"generate: `{' '.join(command)}` failed ({done.returncode}):\n{done.stderr}")


def insert(db: sqlite3.Connection, table: str, columns: list[str], rows) -> int:
    statement = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    count = 0
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= 50_000:
            db.executemany(statement, batch)
            count += len(batch)
            batch = []
    db.executemany(statement, batch)
    return count + len(batch)


def columns_of(db: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in db.execute(f"PRAGMA table_info({table})")]


def write_book(book: Book, path: Path) -> None:
    db = sqlite3.connect(path, isolation_level=None)
    # Bulk load: rollback journal and no syncs while filling; kehu's WAL mode is set back after.
    db.execute("PRAGMA journal_mode = DELETE")
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA cache_size = -400000")
    db.execute("BEGIN")
    log("touches")
    touches = insert(db, "touch", columns_of(db, "touch"), book.touch_rows())
    book.settle_follow_ups()
    columns = columns_of(db, "customer")
    log("customers")
    insert(db, "customer", columns, (tuple(c[k] for k in columns) for c in book.customers))
    # A contact's row holds the columns up to archived_at: revision 0009's organisation and
    # relationship columns (after it) stay empty.
    contact_columns = columns_of(db, "contact")
    insert(db, "contact", contact_columns[: contact_columns.index("archived_at") + 1], book.contacts)
    without_id = lambda table: [c for c in columns_of(db, table) if c != "id"]  # noqa: E731
    insert(db, "grade_change", without_id("grade_change"), book.grade_changes)
    insert(db, "stage_change", without_id("stage_change"), book.stage_changes)
    insert(db, "qualification", columns_of(db, "qualification"), book.qualifications)
    # A contract's row holds the columns up to created_at: revision 0010's delivery and
    # acceptance columns (after it) stay empty.
    contract_columns = columns_of(db, "contract")
    insert(db, "contract", contract_columns[: contract_columns.index("created_at") + 1], book.contracts)
    insert(db, "instalment", columns_of(db, "instalment"), book.instalments)
    insert(db, "payment", columns_of(db, "payment"), book.payments)
    insert(db, "collection_action", columns_of(db, "collection_action"), book.collection_actions)
    insert(db, "complaint", columns_of(db, "complaint"), book.complaints)
    insert(db, "visit_plan", columns_of(db, "visit_plan"), book.visits)
    db.execute("COMMIT")
    db.execute("PRAGMA journal_mode = WAL")
    db.close()
    log(f"{len(book.customers)} customers, {len(book.contacts)} contacts, {touches} touches, "
        f"{len(book.stage_changes)} stage moves, {len(book.contracts)} contracts, "
        f"{len(book.payments)} payments, {len(book.visits)} visits, "
        f"{len(book.collection_actions)} collection actions, {len(book.complaints)} complaints")  # fmt: skip


def write_csv(path: Path, count: int, seed: int, today: date) -> None:
    """A customers sheet as a salesperson keeps it in Excel: Chinese headers, labels, 120万."""
    rng = random.Random(seed * 7919 + 17)
    names = company_names(rng, count)
    headers = ["客户名称", "客户类型", "行业", "地区", "地址", "销售员", "企业性质", "员工人数", "营业额",
               "网址", "电话", "邮箱", "微信", "客户来源", "大客户类型", "客户等级", "预计成交额",
               "预计成交日期", "币种", "备注"]  # fmt: skip
    grades, grade_w = weighted(GRADES)
    sources, source_w = weighted([(s[1], s[2]) for s in SOURCES])
    natures, nature_w = weighted([(s[1], s[2]) for s in NATURES])
    kas, ka_w = weighted([(s[1], s[2]) for s in KA_TYPES])
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(headers)
        for number, (name, city, word) in enumerate(names, 1):
            city_name, province, area = CITIES[city]
            grade = rng.choices(grades, cum_weights=grade_w)[0]
            value = money_cents(rng, 5e4, 8e6) // 100 if rng.random() < 0.85 else None
            if value is None:
                value_text = ""
            elif value % 10000 == 0 and rng.random() < 0.6:
                value_text = f"{value // 10000}万"
            else:
                value_text = f"{value:,}.00" if rng.random() < 0.3 else str(value)
            close = today + timedelta(days=rng.randrange(1, 240))
            revenue = money_cents(rng, 1e6, 5e9, 10000) // 100
            employees = int(10 * 2000 ** rng.random())
            writer.writerow([
                name, "单位", INDUSTRY_ZH[INDUSTRY_WORDS[word][1]] if rng.random() < 0.9 else "",
                province if province == city_name else f"{province}{city_name}",
                f"{city_name}市{rng.choice('东西南北中')}大道{rng.randrange(1, 999)}号"
                if rng.random() < 0.6 else "",
                rng.choice(OWNERS),
                rng.choices(natures, cum_weights=nature_w)[0] if rng.random() < 0.7 else "",
                (f"{employees}人" if rng.random() < 0.3 else str(employees)) if rng.random() < 0.7 else "",
                f"{revenue // 10000}万" if rng.random() < 0.4 else "",
                f"www.example{number}.com" if rng.random() < 0.3 else "",
                f"{area}-{rng.randrange(10**7, 10**8)}" if rng.random() < 0.8 else "",
                f"sales{number}@example{number}.cn" if rng.random() < 0.4 else "",
                f"wx{rng.randrange(10**6, 10**7)}" if rng.random() < 0.2 else "",
                rng.choices(sources, cum_weights=source_w)[0],
                rng.choices(kas, cum_weights=ka_w)[0] if grade in ("A", "B") else "",
                grade or "", value_text,
                (close.isoformat() if rng.random() < 0.7 else f"{close.year}/{close.month}/{close.day}")
                if value and rng.random() < 0.4 else "",
                "美元" if rng.random() < 0.01 else ("CNY" if rng.random() < 0.2 else "人民币"),
                rng.choice(NOTES) if rng.random() < 0.2 else "",
            ])  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--touches", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--today", default=DEFAULT_TODAY, help="the book's today (ISO date; default %(default)s)"
    )
    parser.add_argument("--out", type=Path, required=True, help="the database file to write (must not exist)")
    parser.add_argument("--csv", type=Path, help="also write a customers CSV of the same size here")
    parser.add_argument("--force", action="store_true", help="overwrite --out (and --csv) if they exist")
    parser.add_argument(
        "--check", action="store_true", help="run `kehu check` on the result (exit 1 if it fails)"
    )
    args = parser.parse_args(argv)
    today = date.fromisoformat(args.today)
    out: Path = args.out.resolve()
    started = time.perf_counter()
    for extra in ("", "-wal", "-shm", "-journal"):
        target = Path(f"{out}{extra}")
        if target.exists():
            if not args.force:
                raise SystemExit(f"generate: {target} exists (use --force to overwrite)")
            target.unlink()
    out.parent.mkdir(parents=True, exist_ok=True)
    log(f"schema: kehu --db {out} info")
    create_schema(out)
    book = Book(args.customers, args.touches, args.seed, today)
    book.make_customers()
    log("contacts, funnel, contracts")
    book.make_contacts()
    book.make_funnel()
    write_book(book, out)
    if args.csv:
        log(f"csv: {args.csv}")
        write_csv(args.csv.resolve(), args.customers, args.seed, today)
    log(f"done in {time.perf_counter() - started:.1f} s: {out} ({out.stat().st_size / 2**20:.0f} MiB)")
    if args.check:
        done = subprocess.run([*kehu_command(), "--db", str(out), "check"], env=kehu_env(out.parent),
                              capture_output=True, text=True)  # fmt: skip
        sys.stderr.write(done.stderr)
        log(f"kehu check exited {done.returncode}")
        return 0 if done.returncode == 0 else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
