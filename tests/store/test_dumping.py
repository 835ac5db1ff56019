"""dump/load through SQL text: what io/dump.py knows of the columns is what the SQLModel tables
say, and a book larger than a batch goes out and comes back the same on both backends."""

from __future__ import annotations

import json
import re
from decimal import Decimal

from sqlalchemy import Integer

from kehu.book.dump import BATCH, Counts, dump_lines, load, load_lines, stored_records
from kehu.errors import BadData
from kehu.io.dump import INTEGER_COLUMNS, TABLES, header_line
from kehu.store import dumping
from kehu.store.models import metadata
from kehu.store.schema import HEAD_COLUMNS
from tests.helpers import ok

CUSTOMERS = 2 * BATCH + 500  # three batches; more than a PostgreSQL cursor's fetch of 2,000 rows


def test_the_dumped_tables_are_every_table_but_the_team_with_the_models_keys():
    assert {table.name for table in TABLES} == set(HEAD_COLUMNS) - {"team_member"}
    for table in TABLES:
        model = metadata.tables[table.name]
        assert table.columns == tuple(column.name for column in model.columns), table.name
        assert table.key == tuple(column.name for column in model.primary_key.columns), table.name


def test_the_integer_and_required_columns_are_the_models():
    for table in TABLES:
        model = metadata.tables[table.name]
        integers = {
            c.name for c in model.columns if isinstance(c.type, Integer)
        }  # not Money: a TypeDecorator
        assert integers == set(table.columns) & INTEGER_COLUMNS, table.name
        assert table.required == {c.name for c in model.columns if not c.nullable}, table.name


def _customer_line(number: int) -> str:
    row = dict.fromkeys(HEAD_COLUMNS["customer"])
    row.update(
        id=number, name=f"客户{number:05d}", name_key=f"客户{number:05d}", pinyin_full="", pinyin_initials="",
        kind="company", currency="CNY", status="open", expected_value=f"{number}.50",
        created_at="2026-11-20T01:02:03.456789Z", updated_at="2026-11-20T01:02:03Z", next_due="2026-11-23",
        referrer_id=number + 1 if number < CUSTOMERS else None,  # each refers the next: forward references
    )  # fmt: skip
    return json.dumps({"table": "customer", "row": row}, ensure_ascii=False) + "\n"


def test_a_book_of_several_batches_loads_and_dumps_the_same(store, kehu):
    setting = json.dumps({"table": "setting", "row": {"key": "pipeline", "value": "key-account"}}) + "\n"
    lines = [header_line(), *(_customer_line(n) for n in range(1, CUSTOMERS + 1)), setting]
    advanced: list[int] = []
    counts = load(store, lines, advanced.append)
    assert counts == {"customer": CUSTOMERS, "setting": 1} and counts.total == len(advanced)
    dumped = Counts()
    with store.read() as connection:
        assert stored_records(connection) == CUSTOMERS
        again = list(dump_lines(connection, dumped))
        first = next(
            dumping.rows_of(connection, "customer", ("id", "expected_value", "referrer_id"), ("id",))
        )
    assert first == (1, Decimal("1.50"), 2)
    assert dumped.total == CUSTOMERS + 1
    # The pinyin is recomputed on the way in; everything else comes back as it was written.
    assert [_without_pinyin(line) for line in again] == [_without_pinyin(line) for line in lines]
    # The numbering goes on after the largest loaded id (PostgreSQL's sequence was moved on).
    ok(kehu("add", "新客户"))
    with store.read() as connection:
        assert connection.execute("SELECT id FROM customer WHERE name = '新客户'").scalar() == CUSTOMERS + 1


def _without_pinyin(line: str) -> str:
    record = json.loads(line)
    if "row" in record:
        record["row"].pop("pinyin_full", None)
        record["row"].pop("pinyin_initials", None)
    else:
        record.pop("kehu")
    return json.dumps(record, ensure_ascii=False)


def test_a_constraint_the_checks_do_not_know_is_bad_data_with_its_place(store):
    """Rows the database already holds (a load into a book that is not empty, past the check)."""
    setting = json.dumps({"table": "setting", "row": {"key": "pipeline", "value": "key-account"}}) + "\n"
    lines = [header_line(), _customer_line(CUSTOMERS), setting]
    load(store, lines)
    try:
        with store.write() as connection:
            load_lines(connection, lines)
    except BadData as error:
        assert str(error).startswith("the dump does not hold together before line 3: "), error
    else:
        raise AssertionError("a second customer with the same id was written")


def test_every_statement_of_dump_and_team_is_one_the_database_takes(store, backend):
    """What the test of every query module does, for these two (team mode's: on PostgreSQL)."""
    from kehu.store import team

    modules = [dumping, *([team] if backend == "postgresql" else [])]
    with store.read() as connection:
        for module in modules:
            statements = {k: v for k, v in vars(module).items() if k.isupper() and isinstance(v, str)}
            assert statements, module
            for statement in statements.values():  # a renamed column or table fails here
                params = dict.fromkeys(re.findall(r"(?<![:\w]):([A-Za-z_]\w*)", statement))
                connection.execute(f"EXPLAIN {statement}", params).all()
