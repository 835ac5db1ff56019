"""The schema revisions this kehu knows, oldest first; the last is the one it writes.

Kept as plain constants so that opening an up-to-date database needs no Alembic import; a test
checks that they match the revision files in migrations/versions.
"""

KNOWN_REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005", "0006", "0007")
HEAD_REVISION = KNOWN_REVISIONS[-1]
KEHU_TABLES = frozenset({"customer", "contact"})  # present since 0001

# The tables and named indexes each revision adds to a SQLite file. A file whose alembic_version
# names an older revision yet holds a later one's was set back by hand: the migrations would fail
# on it half-way, so it is refused. (tests/faults/test_received_files.py checks these against
# what the revisions build.)
SQLITE_ADDED_BY: dict[str, frozenset[str]] = {
    "0002": frozenset({
        "grade_change", "touch", "visit_plan",
        "ix_customer_next_due", "ix_grade_change_customer", "ix_touch_customer", "ix_visit_plan_day",
    }),
    "0003": frozenset({"qualification", "setting", "stage_change", "ix_stage_change_customer"}),
    "0004": frozenset({
        "contract", "payment", "ix_contract_customer", "ix_contract_due", "ix_payment_contract",
    }),
    "0005": frozenset({"ix_customer_due_rank"}),
    "0006": frozenset({"team_member"}),
}  # fmt: skip

# The triggers and views kehu's migrations create in a SQLite file: none. Any other is code that
# someone else put there and that would run inside kehu's transactions (issue 12): refused.
SQLITE_TRIGGERS_AND_VIEWS: frozenset[str] = frozenset()
