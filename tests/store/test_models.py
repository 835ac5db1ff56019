"""The SQLModel tables are the schema: the migrations build exactly them on both backends, and
store/schema.py's plain lists (what the everyday commands use instead of importing the models)
say the same."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Boolean, Date, create_engine

from kehu.store.location import resolve_location
from kehu.store.models import MODELS, metadata
from kehu.store.schema import BIRTHDAY, BOOL, COLUMN_KINDS, DAY, HEAD_COLUMNS, HEAD_REVISION, MOMENT, MONEY
from kehu.store.types import Birthday, Money, UTCDateTime


def test_the_migrations_build_exactly_the_sqlmodel_tables(kehu, target_db):
    assert kehu("info").exit_code == 0
    engine = create_engine(resolve_location(target_db).url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert context.get_current_revision() == HEAD_REVISION
            assert compare_metadata(context, metadata) == []
    finally:
        engine.dispose()


def test_every_table_is_a_sqlmodel_class():
    assert {model.__tablename__ for model in MODELS} == set(metadata.tables) == set(HEAD_COLUMNS)


def test_the_plain_column_lists_are_the_models_columns_in_order():
    for name, table in metadata.tables.items():
        assert HEAD_COLUMNS[name] == tuple(column.name for column in table.columns), name


def _kind(column) -> str | None:
    kinds = ((Money, MONEY), (UTCDateTime, MOMENT), (Birthday, BIRTHDAY), (Date, DAY), (Boolean, BOOL))
    for sa_type, kind in kinds:
        if isinstance(column.type, sa_type):
            return kind
    return None


def test_every_converted_column_kind_is_the_models_type_in_every_table():
    seen: dict[str, str] = {}
    for table in metadata.tables.values():
        for column in table.columns:
            kind = _kind(column)
            # a name means one kind everywhere, or the conversion by name would be wrong somewhere
            assert COLUMN_KINDS.get(column.name) == kind, f"{table.name}.{column.name}"
            if kind:
                seen[column.name] = kind
    assert seen == COLUMN_KINDS
