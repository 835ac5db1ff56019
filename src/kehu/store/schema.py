"""The schema revisions this kehu knows, oldest first; the last is the one it writes.

Kept as plain constants so that opening an up-to-date database needs no Alembic import; a test
checks that they match the revision files in migrations/versions.
"""

KNOWN_REVISIONS: tuple[str, ...] = (
    "0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010", "0011", "0012",
)  # fmt: skip
HEAD_REVISION = KNOWN_REVISIONS[-1]
# Revisions that change nothing a dump holds (an index, a wall): a dump written before one of
# them loads as it is into a book after it (io/dump.py); any other revision between the two
# means the dump must be written again by this kehu.
SAME_RECORDS_AS_BEFORE: frozenset[str] = frozenset({"0005", "0011", "0012"})
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
    "0009": frozenset({
        "rival", "relationship_change", "need", "proposal", "quote", "stage_answer", "ix_rival_name_key",
        "ix_relationship_change_contact", "ix_need_customer", "ix_proposal_customer", "ix_quote_customer",
    }),
    "0010": frozenset({
        "instalment", "collection_action", "credit_check", "complaint", "target", "ix_instalment_due",
        "ix_collection_action_customer", "ix_collection_action_promise", "ix_credit_check_customer",
        "ix_complaint_customer",
    }),
    "0011": frozenset({"ix_customer_won", "ix_payment_customer"}),
    "0012": frozenset({"ix_payment_instalment"}),
}  # fmt: skip

# The triggers and views kehu's migrations create in a SQLite file: none. Any other is code that
# someone else put there and that would run inside kehu's transactions (issue 12): refused.
SQLITE_TRIGGERS_AND_VIEWS: frozenset[str] = frozenset()

# The kinds of column whose stored value is not what kehu hands out (store/sql.py converts them
# by name, both ways). A column name means the same kind in every table; tests/store/test_models.py
# checks these against the SQLModel tables of store/models.py.
# A birthday is a day too, but one kept without its year comes back as a domain.monthday.MonthDay
# (stored on the marker year 1604; see that module).
DAY, MOMENT, MONEY, BOOL, BIRTHDAY = "day", "moment", "money", "bool", "birthday"
COLUMN_KINDS: dict[str, str] = {
    "birthday": BIRTHDAY,
    **dict.fromkeys((
        "accepted_on", "answered_on", "changed_on", "checked_on", "delivered_on", "due_on", "expected_close",
        "happened_on", "last_touch_on", "lost_on", "next_due", "next_step_on", "noted_on", "paid_on",
        "planned_on", "promised_on", "raised_on", "resolved_on", "sent_on", "signed_on", "since",
        "snoozed_until", "stage_since", "valid_until", "won_on",
    ), DAY),
    **dict.fromkeys(("archived_at", "created_at", "updated_at"), MOMENT),
    **dict.fromkeys(
        ("amount", "authority_limit", "collect_amount", "credit_limit", "current_asset_ratio", "discount",
         "expected_value", "net_margin", "price", "promised_amount", "registered_capital", "return_on_assets",
         "revenue", "touches_per_day", "won_value"), MONEY
    ),
    **dict.fromkeys(("birthday_lunar", "is_key", "manager"), BOOL),
}  # fmt: skip

# Each table's columns at the head revision, in order (checked against models.py by the same test):
# what opening a SQLite file compares its schema with, without importing the models.
HEAD_COLUMNS: dict[str, tuple[str, ...]] = {
    "customer": (
        "id", "name", "name_key", "pinyin_full", "pinyin_initials", "kind", "industry", "region", "address",
        "owner", "nature", "employees", "revenue", "website", "phone", "email", "wechat", "source",
        "referrer_id", "ka_type", "grade", "expected_value", "expected_close", "currency", "notes",
        "created_at", "updated_at", "archived_at", "last_touch_on", "last_channel", "last_contact_id",
        "next_step_on", "next_step", "snoozed_until", "next_due", "pipeline", "stage", "stage_since",
        "status", "won_on", "won_value", "lost_on", "lost_reason", "lost_detail",
    ),
    "setting": ("key", "value"),
    "team_member": ("login", "name", "manager", "created_at"),
    "contact": (
        "id", "customer_id", "name", "name_key", "title", "phone", "email", "wechat", "birthday",
        "birthday_lunar", "hometown", "hobbies", "family", "role", "style", "insider", "is_key", "notes",
        "created_at", "updated_at", "archived_at", "department", "reports_to_id", "years_at_company",
        "authority", "authority_limit", "relationship",
    ),
    "contract": (
        "id", "customer_id", "number", "amount", "currency", "signed_on", "due_on", "terms_days", "notes",
        "created_at", "delivered_on", "delivery_note", "accepted_on",
    ),
    "grade_change": ("id", "customer_id", "changed_on", "old_grade", "new_grade", "reason", "created_at"),
    "qualification": (
        "customer_id", "need", "timetable", "budget", "can_win", "worth_it", "our_strength", "updated_at",
    ),
    "stage_change": (
        "id", "customer_id", "pipeline", "from_stage", "to_stage", "event", "changed_on", "evidence",
        "created_at",
    ),
    "payment": (
        "id", "customer_id", "contract_id", "amount", "paid_on", "notes", "created_at", "instalment_id",
    ),
    "touch": (
        "id", "customer_id", "contact_id", "happened_on", "channel", "summary", "outcome", "next_step_on",
        "next_step", "created_at",
    ),
    "visit_plan": (
        "id", "customer_id", "contact_id", "planned_on", "purpose", "people", "preparation", "content",
        "expected_result", "next_follow_up", "status", "touch_id", "created_at", "updated_at",
        "cancel_reason",
    ),
    "rival": (
        "id", "customer_id", "name", "name_key", "their_contact", "since", "share", "strengths", "weaknesses",
        "price", "notes", "won_on", "created_at", "updated_at",
    ),
    "relationship_change": (
        "id", "customer_id", "contact_id", "changed_on", "old_relationship", "new_relationship", "reason",
        "created_at",
    ),
    "need": (
        "id", "customer_id", "contact_id", "description", "kind", "priority", "status", "noted_on", "notes",
        "created_at", "updated_at",
    ),
    "proposal": (
        "id", "customer_id", "title", "version", "amount", "sent_on", "file", "status", "notes", "created_at",
        "updated_at",
    ),
    "quote": (
        "id", "customer_id", "version", "amount", "discount", "valid_until", "sent_on", "status", "notes",
        "created_at", "updated_at",
    ),
    "stage_answer": (
        "id", "customer_id", "pipeline", "stage", "question", "answer", "answered_on", "created_at",
        "updated_at",
    ),
    "instalment": (
        "id", "customer_id", "contract_id", "seq", "amount", "label", "event", "days", "due_on", "created_at",
    ),
    "collection_action": (
        "id", "customer_id", "contract_id", "happened_on", "method", "document", "result", "promised_on",
        "promised_amount", "promise_status", "created_at", "updated_at",
    ),
    "credit_check": (
        "id", "customer_id", "checked_on", "registered_capital", "years_in_business", "payment_history",
        "collection_days", "credit_limit", "current_asset_ratio", "net_margin", "return_on_assets",
        "inventory_days", "receivable_days", "notes", "created_at",
    ),
    "complaint": (
        "id", "customer_id", "contact_id", "raised_on", "description", "severity", "status", "resolved_on",
        "resolution", "created_at", "updated_at",
    ),
    "target": (
        "id", "month", "owner", "amount", "collect_amount", "new_customers", "touches_per_day", "created_at",
        "updated_at",
    ),
}  # fmt: skip
