"""Floor of `kehu report --format table` (the dashboard).

    python report.py DB TODAY

The dashboard's numbers in stdlib sqlite3, each table read once:

* one aggregate scan of the active customers, grouped by stage, grade and lost: the summary
  (customers, won on or before today with their value, lost), each funnel stage's customers
  (lost ones left out) and expected value, and follow-up compliance per grade (touched within
  the grade's cadence: A 1, B 7, C 15, D and ungraded 30 days);
* the stays in each funnel stage, from the stage moves in index order (ix_stage_change_customer)
  and each customer's stage and day added, in one pass: conversion (of those who ever entered a
  stage, the share who entered the next), median days of completed stays, idle customers (in
  their stage longer than its max idle days; the three longest named, as kehu shows them).
  A pass in Python over two plain cursors: measured here, it is faster than window functions
  and a temp table in SQL;
* receivables by age bucket: each instalment's amount less the payments made to it, aged from
  its own due day (an undated one is not due), summed by SQLite per bucket;
* repeat business: the contracts of active customers signed by today, on or after the
  customer's first new deal (stage change event new_deal), summed.

The key-account and development pipelines end with the after-sale stage (maintain, 100%, 365
idle days), as kehu gives every pipeline whose last stage does not already start there.

Printed as plain text: the summary first as "figure,value" lines (repeat business the last of
them: run.py compares the first five with kehu's), then one line per row.
"""

import sqlite3
import statistics
import sys
import time
from collections import defaultdict
from datetime import date

# (stage, win probability in percent, max idle days) of the built-in pipelines.
PIPELINES = {
    "key-account": [("analyse", 10, 30), ("trust", 15, 45), ("needs", 20, 45), ("value", 40, 30),
                    ("commit", 75, 30), ("collect", 100, 60), ("maintain", 100, 365)],
    "development": [("target", 10, 30), ("samples", 15, 30), ("assess", 25, 30), ("relationship", 40, 45),
                    ("close", 60, 30), ("maintain", 100, 365)],
    "consultative": [("prospect", 10, 30), ("discover", 15, 45), ("approve", 20, 45), ("shortlist", 25, 30),
                     ("commit", 50, 30), ("deliver", 100, 60), ("repeat", 100, 90)],
}  # fmt: skip
GRADES = ("A", "B", "C", "D", "E", None)
CUSTOMERS = """
SELECT stage, grade, lost_on IS NOT NULL, count(*), coalesce(sum(won_on <= :today), 0),
       coalesce(sum(CASE WHEN won_on <= :today THEN won_value END), 0), coalesce(sum(expected_value), 0),
       coalesce(sum(CASE WHEN status = 'open' AND (won_on IS NULL OR won_on > :today)
                         THEN expected_value END), 0),
       coalesce(sum(julianday(:today) - julianday(last_touch_on) <= CASE coalesce(grade, 'D')
                    WHEN 'A' THEN 1 WHEN 'B' THEN 7 WHEN 'C' THEN 15 ELSE 30 END), 0)
FROM customer WHERE archived_at IS NULL GROUP BY 1, 2, 3
"""
DAY = "CAST(julianday({}) - 2440587.5 AS INTEGER)"  # days since 1970-01-01
ADDED = f"""
SELECT id, stage, lost_on IS NULL, {DAY.format("date(created_at, :local)")} FROM customer
WHERE archived_at IS NULL
"""
MOVES = f"""
SELECT customer_id, from_stage, to_stage, {DAY.format("changed_on")} FROM stage_change
WHERE to_stage != from_stage ORDER BY customer_id, changed_on, id
"""
RECEIVABLES = """
SELECT CASE WHEN days IS NULL OR days <= 0 THEN 0 WHEN days <= 30 THEN 1 WHEN days <= 60 THEN 2
            WHEN days <= 90 THEN 3 ELSE 4 END AS bucket, sum(outstanding)
FROM (SELECT julianday(:today) - julianday(i.due_on) AS days, i.amount - coalesce(p.paid, 0) AS outstanding
      FROM instalment i JOIN contract k ON k.id = i.contract_id JOIN customer c ON c.id = i.customer_id
      LEFT JOIN (SELECT instalment_id, sum(amount) AS paid FROM payment GROUP BY instalment_id) p
             ON p.instalment_id = i.id
      WHERE i.amount > coalesce(p.paid, 0))
GROUP BY bucket
"""
REPEAT = """
SELECT coalesce(sum(k.amount), 0) FROM contract k
JOIN (SELECT customer_id, min(changed_on) AS first_on FROM stage_change WHERE event = 'new_deal'
      GROUP BY customer_id) n ON n.customer_id = k.customer_id
JOIN customer c ON c.id = k.customer_id
WHERE k.signed_on >= n.first_on AND k.signed_on <= :today AND c.archived_at IS NULL
"""


def cents(value: int) -> str:
    return f"{value // 100}.{value % 100:02d}"


def local_offset() -> str:
    """The SQLite modifier from UTC to the local day kehu counts in ('localtime' only with DST)."""
    return "localtime" if time.daylight else f"{-time.timezone} seconds"


def stays(db: sqlite3.Connection, today: date, max_idle: dict[str, int]):
    """Who ever entered each stage, the days of each completed stay per stage, and the idle
    customers per stage as (days, id), from one pass over the stage moves."""
    moves = defaultdict(list)
    for customer_id, *move in db.execute(MOVES):
        moves[customer_id].append(move)
    entered: dict[str, set[int]] = defaultdict(set)
    days: dict[str, list[int]] = defaultdict(list)
    idle: dict[str, list[tuple[int, int]]] = defaultdict(list)
    today_day = (today - date(1970, 1, 1)).days
    for customer_id, now_in, open_, added in db.execute(ADDED, {"local": local_offset()}):
        history = moves.get(customer_id, ())
        stage, since = (history[0][0], added) if history else (now_in, added)
        latest = None  # the latest entry into the stage the customer is in now
        for _from, to, on in history:
            if stage:
                entered[stage].add(customer_id)
                days[stage].append(on - since)
                if stage == now_in:
                    latest = since
            stage, since = to, on
        if stage:
            entered[stage].add(customer_id)
            if stage == now_in:
                latest = since
        if open_ and latest is not None and now_in in max_idle and today_day - latest > max_idle[now_in]:
            idle[now_in].append((today_day - latest, customer_id))
    return entered, days, idle


def pipeline_stages(db: sqlite3.Connection) -> list[tuple]:
    """(stage, percent, idle limit) of the book's default pipeline."""
    key = db.execute("SELECT value FROM setting WHERE key = 'pipeline'").fetchone()
    return PIPELINES.get(key[0] if key else "key-account", PIPELINES["key-account"])


def funnel(db: sqlite3.Connection, today: date, in_stage: dict) -> tuple[list[tuple], int]:
    """One row per stage of the default pipeline, and the open pipeline's weighted value."""
    stages = pipeline_stages(db)
    entered, days, idle = stays(db, today, {stage: limit for stage, _p, limit in stages})
    rows, total = [], 0
    for index, (stage, percent, _limit) in enumerate(stages):
        count, value = in_stage.get(stage, (0, 0))
        weighted = (value * percent + 50) // 100
        total += weighted
        after = stages[index + 1][0] if index + 1 < len(stages) else None
        conversion = ""
        if after and entered[stage]:
            conversion = f"{len(entered[stage] & entered[after]) / len(entered[stage]):.1%}"
        median = f"{statistics.median(days[stage]):g}" if days[stage] else ""
        longest = sorted(idle[stage], key=lambda item: (-item[0], item[1]))[:3]
        names = dict(db.execute(f"SELECT id, name FROM customer WHERE id IN ({','.join('?' * len(longest))})",
                                [i for _d, i in longest]).fetchall())  # fmt: skip
        rows.append((stage, count, cents(value), cents(weighted), conversion, median, len(idle[stage]),
                     "、".join(names[i] for _d, i in longest)))  # fmt: skip
    return rows, total


def main() -> None:
    path, today = sys.argv[1], sys.argv[2]
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    args = {"today": today}
    customers = won = won_value = lost = 0
    in_stage: dict[str, tuple[int, int]] = {}
    grades = {grade: [0, 0] for grade in GRADES}
    # The dashboard's open pipeline weighs open customers only: status open, not won by today, not lost.
    open_value: dict[str, int] = {}
    for stage, grade, is_lost, count, won_here, won_value_here, value, open_here, touched in db.execute(
        CUSTOMERS, args
    ):
        customers, won, won_value = customers + count, won + won_here, won_value + won_value_here
        if is_lost:
            lost += count
            continue
        before = in_stage.get(stage, (0, 0))
        in_stage[stage] = (before[0] + count, before[1] + value)
        open_value[stage] = open_value.get(stage, 0) + open_here
        grades[grade][0] += count
        grades[grade][1] += touched
    stages, _weighted = funnel(db, date.fromisoformat(today), in_stage)
    percents = {stage: percent for stage, percent, _limit in pipeline_stages(db)}
    weighted = sum((value * percents.get(stage, 0) + 50) // 100 for stage, value in open_value.items())
    buckets = dict(db.execute(RECEIVABLES, args).fetchall())
    repeat = db.execute(REPEAT, args).fetchone()[0]
    out = sys.stdout
    out.write(f"figure,value\ncustomers,{customers}\nopen pipeline (weighted),{cents(weighted)}\n"
              f"won,{won} · {cents(won_value)}\nlost,{lost}\n"
              f"to collect,{cents(sum(buckets.values()))}\nrepeat business,{cents(repeat)}\n")  # fmt: skip
    for row in stages:
        out.write("  ".join(str(cell) for cell in row) + "\n")
    for bucket, label in enumerate(("not due", "1-30 days", "31-60 days", "61-90 days", "over 90 days")):
        out.write(f"{label}  {cents(buckets.get(bucket, 0))}\n")
    for grade, (count, touched) in grades.items():
        if grade is None and not count:
            continue
        share = "" if grade == "E" or not count else f"{touched / count:.1%}"
        out.write(f"{grade or '-'}  {count}  {'' if grade == 'E' else touched}  {share}\n")


main()
