"""Every fixed statement kehu runs is prepared against a freshly migrated database of each
backend (issue 13): a renamed or dropped column fails here, not in a user's command.

The statements are the UPPER_CASE string constants of the store's and the use cases' modules
that begin with a SQL verb; statements composed at run time (filters, sort orders) are run by
the command tests. EXPLAIN prepares a statement without running it; every parameter is NULL.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

import kehu.book
import kehu.store
from kehu.store.db import open_store
from kehu.store.location import resolve_location

VERB = re.compile(r"\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b", re.IGNORECASE)
PARAMETER = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")
POSTGRESQL_ONLY = {"kehu.store.team"}  # team mode's roles and row-level security


def _statements() -> list[tuple[str, str]]:
    found = []
    for package in (kehu.store, kehu.book):
        for info in pkgutil.iter_modules(package.__path__):
            if info.ispkg:  # migrations: Alembic's, run by the migration tests
                continue
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for name, value in vars(module).items():
                if name.isupper() and isinstance(value, str) and VERB.match(value) and "{" not in value:
                    found.append((f"{module.__name__}.{name}", value))
    return found


STATEMENTS = _statements()


def test_the_statements_are_found():
    assert len(STATEMENTS) > 50


@pytest.fixture
def store(target_db):
    store = open_store(resolve_location(target_db))
    yield store
    store.close()


def test_every_fixed_statement_prepares_on_a_fresh_book(store):
    postgresql = store.backend.is_postgresql
    failures = []
    for where, sql in STATEMENTS:
        if not postgresql and where.rsplit(".", 1)[0] in POSTGRESQL_ONLY:
            continue
        params = dict.fromkeys(PARAMETER.findall(sql))
        try:
            with store.read() as connection:
                connection.execute(f"EXPLAIN {sql}", params)
        except Exception as error:  # noqa: BLE001 (every failing statement is listed)
            failures.append(f"{where}: {str(error).splitlines()[0]}")
    assert failures == []
