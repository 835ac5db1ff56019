"""Floor of `kehu show NAME --format table` (one customer card).

    python show.py DB NAME

What kehu show reads, by the best indexed queries in stdlib sqlite3: the card by its unique
name key (sqlite_autoindex on name_key) with its referrer's name (primary key), where it stands
in the funnel (columns of the card), and its active contacts, key contact first (the unique
index on customer_id, name_key); the latest five touches and how many there are (the index on
customer_id, happened_on), the open visit plans and the contracts with what was paid (issue 14's
card before a call). Printed as "field  value" lines and one line per contact, touch, plan and
contract.
"""

import sqlite3
import sys
import unicodedata

CARD = """
SELECT c.*, r.name AS referrer FROM customer c LEFT JOIN customer r ON r.id = c.referrer_id
WHERE c.name_key = ?
"""
CONTACTS = """
SELECT name, title, role, style, insider, phone, wechat, birthday, is_key FROM contact
WHERE customer_id = ? AND archived_at IS NULL ORDER BY is_key DESC, id
"""
TOUCHES = """
SELECT t.id, t.happened_on, t.channel, ct.name, t.summary, t.next_step FROM touch t
LEFT JOIN contact ct ON ct.id = t.contact_id WHERE t.customer_id = ?
ORDER BY t.happened_on DESC, t.id DESC LIMIT 5
"""
TOUCH_COUNT = "SELECT count(*) FROM touch WHERE customer_id = ?"
PLANS = (
    "SELECT id, planned_on, purpose FROM visit_plan WHERE customer_id = ? AND status = 'planned'"
    " ORDER BY planned_on"
)
CONTRACTS = """
SELECT k.number, k.due_on, k.amount, COALESCE(SUM(p.amount), 0) FROM contract k
LEFT JOIN payment p ON p.contract_id = k.id WHERE k.customer_id = ? GROUP BY k.id ORDER BY k.due_on
"""
HIDDEN = {"name_key", "pinyin_full", "pinyin_initials", "referrer_id"}


def main() -> None:
    path, name = sys.argv[1], sys.argv[2]
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    key = " ".join(unicodedata.normalize("NFKC", name).split()).casefold()
    cursor = db.execute(CARD, (key,))
    row = cursor.fetchone()
    if row is None:
        sys.exit(f"no customer {name!r}")
    card = dict(zip((d[0] for d in cursor.description), row, strict=True))
    out = sys.stdout
    out.write(f"#{card['id']}  {card['name']}\n")
    for field, value in card.items():
        if value is not None and value != "" and field not in HIDDEN and field != "name":
            if field in ("revenue", "expected_value", "won_value"):
                value = f"{value // 100}.{value % 100:02d}"
            out.write(f"  {field:<16}{value}\n")
    out.write("Contacts\n")
    for contact_name, *rest, is_key in db.execute(CONTACTS, (card["id"],)):
        cells = "  ".join("" if v is None else str(v) for v in rest)
        out.write(f"  {contact_name}{' ★' if is_key else ''}  {cells}\n")
    out.write(f"Touches ({db.execute(TOUCH_COUNT, (card['id'],)).fetchone()[0]})\n")
    for touch in db.execute(TOUCHES, (card["id"],)):
        out.write("  " + "  ".join("" if v is None else str(v) for v in touch) + "\n")
    for plan in db.execute(PLANS, (card["id"],)):
        out.write("  " + "  ".join(str(v) for v in plan) + "\n")
    for number, due_on, amount, paid in db.execute(CONTRACTS, (card["id"],)):
        out.write(f"  {number}  {due_on}  {amount / 100:.2f}  {(amount - paid) / 100:.2f}\n")


main()
