"""Floor of `kehu log ID 电话沟通 --channel 电话` (one touch, no next step).

    python log.py DB ID TODAY

One write transaction (BEGIN IMMEDIATE, synchronous=NORMAL as kehu sets it) in stdlib sqlite3:
read the customer's grade and last contact by id, INSERT the touch, UPDATE the customer's
follow-up state (last touch, channel and contact; next step and snooze cleared; next due =
today + the grade's cadence, none for E), and close a visit planned for that customer today
(ix_visit_plan_day).
"""

import sqlite3
import sys
from datetime import UTC, date, datetime, timedelta

CADENCE_DAYS = {"A": 1, "B": 7, "C": 15, "D": 30, None: 30}  # ungraded counts as D; E: never


def main() -> None:
    path, customer_id, today = sys.argv[1], int(sys.argv[2]), date.fromisoformat(sys.argv[3])
    db = sqlite3.connect(path, isolation_level=None, timeout=5)
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("BEGIN IMMEDIATE")
    grade, contact_id = db.execute(
        "SELECT grade, last_contact_id FROM customer WHERE id = ?", (customer_id,)
    ).fetchone()
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    touch_id = db.execute(
        "INSERT INTO touch (customer_id, contact_id, happened_on, channel, summary, created_at) "
        "VALUES (?, ?, ?, 'phone', '电话沟通', ?)",
        (customer_id, contact_id, today.isoformat(), now),
    ).lastrowid
    days = CADENCE_DAYS.get(grade)
    due = None if days is None else (today + timedelta(days=days)).isoformat()
    db.execute(
        "UPDATE customer SET last_touch_on = ?, last_channel = 'phone', last_contact_id = ?, "
        "next_step_on = NULL, next_step = NULL, snoozed_until = NULL, next_due = ? WHERE id = ?",
        (today.isoformat(), contact_id, due, customer_id),
    )
    db.execute(
        "UPDATE visit_plan SET status = 'done', touch_id = ?, updated_at = ? "
        "WHERE planned_on = ? AND status = 'planned' AND customer_id = ?",
        (touch_id, now, today.isoformat(), customer_id),
    )
    db.execute("COMMIT")
    print(f"logged; next due {due or 'never'}", file=sys.stderr)


main()
