"""Floor of `kehu followups today --format table --limit 50` (the morning list).

    python followups.py DB TODAY

The same list from the best indexed queries, in stdlib sqlite3:

* due customers: a range scan of ix_customer_next_due (due on or before today, not archived)
  with the urgency score (domain/urgency.py: days overdue, grade, the stage's win probability,
  log10 of the expected value) computed in SQL; the top 50 by it (then due date, id) joined to
  their key contacts, and the totals (overdue, due today) over the same rows, in one statement;
* planned visits on or before today (ix_visit_plan_day), birthdays today (a scan of the contacts'
  birthdays; lunar ones are read but not converted, the standard library has no lunar calendar),
  and contracts with money overdue (receivables: amount less payments, past their due date);
* issue 17's sections: promises to pay due by today and not kept (the customer's payments since
  the action short of the amount), open complaints, and one after-sale touch per won customer in
  维护 (the earliest of: a satisfaction visit 7 days after the latest delivery, thanking the
  referrer on entering 维护, asking for a referral 30 days in, the next purchase 335 days after the
  latest signing) not yet done by a later touch — each with the key contact, 50 at most.

Printed as plain text rows in the sections kehu prints, and the totals line on stderr.
"""

import math
import sqlite3
import sys
from datetime import date, timedelta

# Win probability in percent per (pipeline, stage) of the built-in pipelines (domain/builtin_pipelines.py;
# issue 17 appends 维护, 100%, to those not ending after the sale already).
PROBABILITY = {
    "key-account": {"analyse": 10, "trust": 15, "needs": 20, "value": 40, "commit": 75, "collect": 100,
                    "maintain": 100},
    "development": {"target": 10, "samples": 15, "assess": 25, "relationship": 40, "close": 60,
                    "maintain": 100},
    "consultative": {"prospect": 10, "discover": 15, "approve": 20, "shortlist": 25, "commit": 50,
                     "deliver": 100, "repeat": 100},
}  # fmt: skip
# The score in tenths of a point, an exact integer (SQLite's round() is slow, and integers tie
# exactly where kehu's rounded floats do): overdue 100 a day up to 30 days, grade, 300 × the
# stage's win probability (none when lost), 50 × log10 of the expected value in yuan.
STAGE_TENTHS = (
    "CASE c.pipeline "
    + " ".join(
        f"WHEN '{pipeline}' THEN CASE c.stage "
        + " ".join(f"WHEN '{stage}' THEN {3 * percent}" for stage, percent in stages.items())
        + " ELSE 0 END"
        for pipeline, stages in PROBABILITY.items()
    )
    + " ELSE 0 END"
)
SCORE = f"""
    100 * min(max(CAST(:today_day - julianday(c.next_due) AS INTEGER), 0), 30)
  + CASE c.grade WHEN 'A' THEN 400 WHEN 'B' THEN 250 WHEN 'C' THEN 120 WHEN 'E' THEN 0 ELSE 50 END
  + CASE WHEN c.status = 'lost' THEN 0 ELSE {STAGE_TENTHS} END
  + CASE WHEN c.expected_value >= 100 THEN CAST(50 * log10(c.expected_value / 100.0) + 0.5 AS INTEGER)
         ELSE 0 END"""
# The due customers scored once (MATERIALIZED): the top 50 joined to their key contacts, and
# the totals as one more row (id NULL) of the same statement.
DUE = f"""
WITH due AS MATERIALIZED (
  SELECT c.id, c.next_due, {SCORE} AS score FROM customer c
  WHERE c.next_due <= :today AND c.archived_at IS NULL AND c.status <> 'lost')
SELECT c.id, c.name, c.grade, c.next_due, c.last_touch_on, c.last_channel, c.next_step,
       k.name, coalesce(k.phone, c.phone), top.score / 10.0
FROM (SELECT id, score FROM due ORDER BY score DESC, next_due, id LIMIT 50) AS top
JOIN customer c ON c.id = top.id
LEFT JOIN contact k ON k.customer_id = c.id AND k.is_key = 1 AND k.archived_at IS NULL
UNION ALL
SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, coalesce(sum(next_due < :today), 0),
       coalesce(sum(next_due = :today), 0)
FROM due
"""
PLANS = """
SELECT c.name, c.grade, v.planned_on, v.purpose, k.name, k.phone
FROM visit_plan v JOIN customer c ON c.id = v.customer_id LEFT JOIN contact k ON k.id = v.contact_id
WHERE v.status = 'planned' AND v.planned_on <= :today AND c.archived_at IS NULL
ORDER BY v.planned_on, v.id
"""
BIRTHDAYS = """
SELECT c.id, c.name, c.grade, k.birthday, k.birthday_lunar, k.name, k.phone
FROM contact k JOIN customer c ON c.id = k.customer_id
WHERE k.birthday IS NOT NULL AND k.archived_at IS NULL AND c.archived_at IS NULL
  AND (k.birthday_lunar OR substr(k.birthday, 6) = substr(:today, 6))
"""  # no ORDER BY: it would make SQLite scan the wide customer table instead of the contacts
TO_COLLECT = """
SELECT c.name, k.due_on, k.amount - coalesce(p.paid, 0), julianday(:today) - julianday(k.due_on) AS days
FROM contract k JOIN customer c ON c.id = k.customer_id
LEFT JOIN (SELECT contract_id, sum(amount) AS paid FROM payment GROUP BY contract_id) p
       ON p.contract_id = k.id
WHERE k.amount > coalesce(p.paid, 0) AND k.due_on < :today
ORDER BY days DESC, k.customer_id
"""

KEY_CONTACT = "LEFT JOIN contact k ON k.customer_id = c.id AND k.is_key = 1 AND k.archived_at IS NULL"
PROMISES = f"""
SELECT c.name, c.grade, a.promised_on, a.promised_amount, k.name, coalesce(k.phone, c.phone)
FROM collection_action a JOIN customer c ON c.id = a.customer_id {KEY_CONTACT}
WHERE a.promised_on <= :today AND c.archived_at IS NULL
  AND coalesce((SELECT sum(p.amount) FROM payment p
                WHERE p.customer_id = a.customer_id AND p.paid_on >= a.happened_on), 0)
      < coalesce(a.promised_amount, 1)
ORDER BY a.promised_on, a.id
"""
COMPLAINTS = f"""
SELECT c.name, c.grade, m.raised_on, m.severity, m.description, k.name, coalesce(k.phone, c.phone)
FROM complaint m JOIN customer c ON c.id = m.customer_id {KEY_CONTACT}
WHERE m.status = 'open' AND c.archived_at IS NULL
ORDER BY m.raised_on, m.id
"""
AFTER_SALE = f"""
SELECT c.id, c.name, c.grade, c.stage_since, c.last_touch_on, r.name,
       (SELECT max(t.delivered_on) FROM contract t WHERE t.customer_id = c.id),
       (SELECT max(t.signed_on) FROM contract t WHERE t.customer_id = c.id),
       k.name, coalesce(k.phone, c.phone)
FROM customer c LEFT JOIN customer r ON r.id = c.referrer_id {KEY_CONTACT}
WHERE c.status = 'won' AND c.archived_at IS NULL AND c.stage IN ('maintain', 'repeat')
"""
# domain/agenda.py: each after-sale touch, the day it counts from and the days after it.
AFTER_SALE_DAYS = (
    ("satisfaction", "delivered", 7),
    ("thank_referrer", "entered", 0),
    ("ask_referral", "entered", 30),
    ("next_purchase", "signed", 335),
)


def after_sale_touch(row: tuple, today: str) -> tuple[str, str] | None:
    """The earliest after-sale touch (day, what) due by today and not done by a later touch."""
    _id, _name, _grade, entered, touched, referrer, delivered, signed, _contact, _phone = row
    starts = {"delivered": delivered, "entered": entered, "signed": signed}
    waiting = []
    for what, since, after in AFTER_SALE_DAYS:
        if starts[since] is None or (what == "thank_referrer" and not referrer):
            continue
        day = (date.fromisoformat(starts[since]) + timedelta(days=after)).isoformat()
        if (touched is None or touched < day) and day <= today:
            waiting.append((day, what))
    return min(waiting) if waiting else None


def connect(path: str) -> sqlite3.Connection:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        db.execute("SELECT log10(10)")
    except sqlite3.OperationalError:  # SQLite built without its math functions
        db.create_function("log10", 1, math.log10, deterministic=True)
    return db


def collection_step(days: float) -> str:
    return (
        "phone call"
        if days <= 30
        else "collection letter"
        if days <= 60
        else "visit"
        if days <= 90
        else "legal"
    )


def main() -> None:
    path, today = sys.argv[1], sys.argv[2]
    db = connect(path)
    args = {"today": today, "today_day": db.execute("SELECT julianday(?)", (today,)).fetchone()[0]}
    *due, totals = db.execute(DUE, args).fetchall()
    overdue_count, due_count = totals[-2:]
    plans = db.execute(PLANS, args).fetchall()
    candidates = db.execute(BIRTHDAYS, args).fetchall()
    birthdays = [row[1:] for row in sorted(candidates) if not row[4]]  # in customer id order
    lunar = len(candidates) - len(birthdays)  # read, but without a lunar calendar not placed on a day
    collect = db.execute(TO_COLLECT, args).fetchall()
    promises = db.execute(PROMISES, args).fetchall()
    complaints = db.execute(COMPLAINTS, args).fetchall()
    after_sale = [(touch, row) for row in db.execute(AFTER_SALE, args)
                  if (touch := after_sale_touch(row, today))]  # fmt: skip
    after_sale.sort(key=lambda pair: (pair[0][0], pair[1][0]))
    out = sys.stdout
    for title, rows in (
        ("Overdue", [r for r in due if r[3] < today]),
        ("Due", [r for r in due if r[3] == today]),
    ):
        if rows:
            out.write(f"{title}\n")
        for _id, name, grade, next_due, last_on, channel, step, contact, phone, score in rows:
            last = f"{last_on or ''} {channel or ''}".strip()
            out.write(f"{name:<28}{grade or '-':<4}{next_due:<12}{last:<20}{step or '':<14}{contact or '':<8}"
                      f"{phone or ''} {score}\n")  # fmt: skip
    if collect:
        out.write("To collect\n")
    for name, due_on, outstanding, days in collect:
        out.write(f"{name:<28}{due_on:<12}{int(days)} days overdue  collect {outstanding / 100:.2f}: "
                  f"{collection_step(days)}\n")  # fmt: skip
    if plans:
        out.write("Planned visits\n")
    for name, grade, planned_on, purpose, contact, phone in plans:
        person = f"{contact or '':<8}{phone or ''}"
        out.write(f"{name:<28}{grade or '-':<4}{planned_on:<12}visit: {purpose:<14}{person}\n")
    if birthdays:
        out.write("Birthdays\n")
    for name, grade, _birthday, _lunar, contact, phone in birthdays:
        out.write(f"{name:<28}{grade or '-':<4}{today:<12}birthday  {contact:<8}{phone or ''}\n")
    if promises:
        out.write("Promises to pay\n")
    for name, grade, promised_on, amount, contact, phone in promises[:50]:
        out.write(f"{name:<28}{grade or '-':<4}{promised_on:<12}promised {(amount or 0) / 100:.2f}  "
                  f"{contact or '':<8}{phone or ''}\n")  # fmt: skip
    if complaints:
        out.write("Complaints\n")
    for name, grade, raised_on, severity, description, contact, phone in complaints[:50]:
        out.write(f"{name:<28}{grade or '-':<4}{raised_on:<12}{severity or ''}: {description}  "
                  f"{contact or '':<8}{phone or ''}\n")  # fmt: skip
    if after_sale:
        out.write("After the sale\n")
    for (day, what), row in after_sale[:50]:
        name, grade, referrer, contact, phone = row[1], row[2], row[5], row[8], row[9]
        out.write(f"{name:<28}{grade or '-':<4}{day:<12}{what} {referrer or ''}  "
                  f"{contact or '':<8}{phone or ''}\n")  # fmt: skip
    all_due = overdue_count + due_count
    shown = f" (showing {len(due)} of {all_due})" if len(due) < all_due else ""
    sys.stderr.write(f"{overdue_count} overdue, {due_count} due, {len(plans)} planned visits, "
                     f"{len(birthdays)} birthdays, {len(collect)} to collect, "
                     f"{len(promises)} promises to pay, {len(complaints)} complaints open, "
                     f"{len(after_sale)} after-sale touches{shown}; "
                     f"{lunar} lunar birthdays not converted\n")  # fmt: skip


main()
