"""Floor of `kehu list --grade A --format csv` and `kehu export customers --format csv`.

    python cards.py DB [--grade A]

stdlib sqlite3 → csv.writer: the same columns, rows and spelling as kehu's CSV (money from
cents to 1234.50, moments as 2026-11-23T09:30:00Z), so the two outputs can be compared byte
for byte. With --grade: active customers of that grade; without: every card, archived too.
"""

import csv
import sqlite3
import sys

COLUMNS = ("id", "name", "kind", "industry", "region", "address", "owner", "nature", "employees",
           "revenue", "website", "phone", "email", "wechat", "source", "referrer", "ka_type", "grade",
           "expected_value", "expected_close", "currency", "notes", "created_at", "updated_at",
           "archived_at")  # fmt: skip
MONEY = {"revenue", "expected_value"}
MOMENTS = {"created_at", "updated_at", "archived_at"}


def main() -> None:
    path = sys.argv[1]
    grade = sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == "--grade" else None
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    selected = ", ".join("r.name" if c == "referrer" else f"c.{c}" for c in COLUMNS)
    sql = f"SELECT {selected} FROM customer c LEFT JOIN customer r ON r.id = c.referrer_id"
    args: tuple = ()
    if grade:
        sql += " WHERE c.archived_at IS NULL AND c.grade = ?"
        args = (grade,)
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
