"""Floor of `kehu import customers FILE` into an empty book.

    python import_customers.py DB CSV TODAY

stdlib csv + sqlite3: read the sheet as a stream, map its Chinese headers, turn each cell into what kehu
stores (vocabulary labels to codes, 120万 and 1,200.00 to cents, 2027/3/31 to ISO dates, the
unique name key), and insert the rows as they are read, with one executemany in one
transaction; each new card due from today (grade E never) in the first stage of the key-account
funnel. No pinyin (not in the standard library) and no validation beyond what the conversions
need.
"""

import csv
import sqlite3
import sys
import unicodedata
from datetime import UTC, date, datetime
from decimal import Decimal

HEADERS = {
    "客户名称": "name", "客户类型": "kind", "行业": "industry", "地区": "region", "地址": "address",
    "销售员": "owner", "企业性质": "nature", "员工人数": "employees", "营业额": "revenue", "网址": "website",
    "电话": "phone", "邮箱": "email", "微信": "wechat", "客户来源": "source", "大客户类型": "ka_type",
    "客户等级": "grade", "预计成交额": "expected_value", "预计成交日期": "expected_close", "币种": "currency",
    "备注": "notes",
}  # fmt: skip
CHOICES = {
    "kind": {"单位": "company", "个人": "person"},
    "industry": {"制造业": "manufacturing", "软件/IT": "software", "互联网": "internet", "医疗": "healthcare",
                 "教育": "education", "金融": "finance", "能源": "energy", "建筑": "construction",
                 "零售": "retail", "物流": "logistics", "化工": "chemicals", "汽车": "automotive",
                 "电子": "electronics", "通信": "telecom", "食品": "food", "政府": "public_sector",
                 "农业": "agriculture", "其他": "other"},
    "nature": {"国企": "state_owned", "政府机关": "government", "民营": "private", "外资": "foreign",
               "上市公司": "listed", "事业单位": "institution", "合资": "joint_venture"},
    "source": {"朋友熟人": "friends", "社会关系网": "network", "客户介绍": "referral", "展会": "trade_show",
               "网络搜索": "web", "权威数据库": "database", "行业网站": "industry_site",
               "电话营销": "cold_call", "老客户": "old_customer", "竞争对手": "competitor",
               "市场考察": "field_research",
               "会议论坛": "conference", "专业机构": "agency", "陌生拜访": "walk_in"},
    "ka_type": {"普通": "ordinary", "伙伴式": "partner", "战略性": "strategic"},
    "currency": {"人民币": "CNY", "美元": "USD", "欧元": "EUR", "港币": "HKD"},
}  # fmt: skip
UNITS = {"万": 10_000, "亿": 100_000_000}
COLUMNS = ("name", "name_key", "pinyin_full", "pinyin_initials", "kind", "industry", "region", "address",
           "owner", "nature", "employees", "revenue", "website", "phone", "email", "wechat", "source",
           "ka_type", "grade", "expected_value", "expected_close", "currency", "notes", "created_at",
           "updated_at", "next_due", "pipeline", "stage", "stage_since", "status")  # fmt: skip


def cents(text: str) -> int:
    text = text.replace(",", "")
    unit = UNITS.get(text[-1:], 1)
    if unit != 1:
        text = text[:-1]
    return int(Decimal(text) * unit * 100)


def iso_day(text: str) -> str:
    year, month, day = text.replace("/", "-").split("-")
    return date(int(year), int(month), int(day)).isoformat()


def choice(words: dict[str, str]):
    return lambda text: words.get(text, text.upper())


CONVERT = {
    **{key: choice(words) for key, words in CHOICES.items()},
    "revenue": cents,
    "expected_value": cents,
    "employees": lambda text: int(text.removesuffix("人")),
    "expected_close": iso_day,
}


def converter(headers: list[str], now: str, today: str):
    """A function from one sheet row to the customer row kehu stores."""
    plan = [(COLUMNS.index(HEADERS[h.strip()]), CONVERT.get(HEADERS[h.strip()])) for h in headers]
    template = dict.fromkeys(COLUMNS)
    template.update(pinyin_full="", pinyin_initials="", kind="company", currency="CNY", created_at=now,
                    updated_at=now, pipeline="key-account", stage="analyse", stage_since=today,
                    status="open")  # fmt: skip
    template = list(template.values())
    name, key, grade, due = (COLUMNS.index(c) for c in ("name", "name_key", "grade", "next_due"))

    def stored(cells: list[str]) -> list:
        row = template.copy()
        for (column, convert), cell in zip(plan, cells, strict=True):
            cell = cell.strip()
            if cell:
                row[column] = convert(cell) if convert else cell
        row[key] = " ".join(unicodedata.normalize("NFKC", row[name]).split()).casefold()
        row[due] = None if row[grade] == "E" else today
        return row

    return stored


def main() -> None:
    path, sheet, today = sys.argv[1:4]
    db = sqlite3.connect(path, isolation_level=None, timeout=5)
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("BEGIN IMMEDIATE")
    insert = f"INSERT INTO customer ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
    with open(sheet, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        stored = converter(next(reader), datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.000000"), today)
        count = db.executemany(insert, map(stored, reader)).rowcount
    db.execute("COMMIT")
    print(f"imported {count} customers", file=sys.stderr)


if __name__ == "__main__":  # import_customers_pg.py imports the conversions
    main()
