"""The schema revisions this kehu knows, oldest first; the last is the one it writes.

Kept as plain constants so that opening an up-to-date database needs no Alembic import; a test
checks that they match the revision files in migrations/versions.
"""

KNOWN_REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005", "0006")
HEAD_REVISION = KNOWN_REVISIONS[-1]
KEHU_TABLES = frozenset({"customer", "contact"})  # present since 0001
