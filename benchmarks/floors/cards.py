"""Floor of `kehu list --grade A --format csv`, `kehu export customers --format csv` and the
list a salesperson pulls (PULLED, run.py's case list-pulled).

    python cards.py DB [--grade A | --pulled]

stdlib sqlite3 → csv.writer: the same columns, rows and spelling as kehu's CSV (money from
cents to 1234.50, moments as 2026-11-23T09:30:00Z, where each customer stands after its card),
so the two outputs can be compared byte for byte. With --grade: active customers of that grade;
with --pulled: active open customers in 呈现价值 worth 50万 or more, not touched since November,
most valuable first; without: every card, archived too.
"""

import csv
import sqlite3
import sys

COLUMNS = ("id", "name", "kind", "industry", "region", "address", "owner", "nature", "employees",
           "revenue", "website", "phone", "email", "wechat", "source", "referrer", "ka_type", "grade",
           "expected_value", "expected_close", "currency", "notes", "created_at", "updated_at",
           "archived_at", "pipeline", "stage", "status", "next_due", "last_touch_on")  # fmt: skip
MONEY = {"revenue", "expected_value"}
MOMENTS = {"created_at", "updated_at", "archived_at"}


def main() -> None:
    path = sys.argv[1]
    grade = sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == "--grade" else None
    pulled = sys.argv[2:] == ["--pulled"]
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    selected = ", ".join("r.name" if c == "referrer" else f"c.{c}" for c in COLUMNS)
    sql = f"SELECT {selected} FROM customer c LEFT JOIN customer r ON r.id = c.referrer_id"
    args: tuple = ()
    if grade:
        sql += " WHERE c.archived_at IS NULL AND c.grade = ?"
        args = (grade,)
    if pulled:
        sql += (" WHERE c.archived_at IS NULL AND COALESCE(c.pipeline, 'key-account') = 'key-account'"
                " AND c.stage = 'value' AND c.status = 'open' AND c.expected_value >= 50000000"
                " AND (c.last_touch_on IS NULL OR c.last_touch_on < '2026-11-01')"
                " ORDER BY c.expected_value DESC NULLS LAST, c.id")  # fmt: skip
    else:
        sql += " ORDER BY c.id"
    money = [i for i, c in enumerate(COLUMNS) if c in MONEY]
    moments = [i for i, c in enumerate(COLUMNS) if c in MOMENTS]
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in db.execute(sql, args):
        cells = ["" if v is None else str(v) for v in row]
        for i in money:
            if row[i] is not None:
                cells[i] = f"{row[i] // 100}.{row[i] % 100:02d}"
        for i in moments:
            if row[i] is not None:
                cells[i] = f"{row[i][:10]}T{row[i][11:19]}Z"
        writer.writerow(cells)


main()
