"""Bringing a database to the schema this kehu writes, with Alembic — imported only when a file is
new or older than this kehu, never on the everyday paths."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kehu.errors import NotPermitted
from kehu.i18n import _
from kehu.store import driver
from kehu.store.failures import newer_schema, translate_errors
from kehu.store.location import Location
from kehu.store.schema import HEAD_REVISION, KNOWN_REVISIONS

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def migrate(location: Location) -> str:
    """Bring the schema to HEAD_REVISION inside one write transaction, re-checking under the lock
    so that two kehu processes opening a new file at once do not both create it.

    Alembic is imported before the lock is taken: others wait for the lock only as long as the
    schema takes to write, not for a cold import as well."""
    from alembic import command  # noqa: F401
    from alembic.config import Config  # noqa: F401
    from alembic.runtime import migration  # noqa: F401

    engine = migration_engine(location)
    revision = None
    try:
        with translate_errors(location), engine.connect() as connection:
            if location.path is None:
                connection = connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                revision = _revision(connection, location)
                if revision is not None and revision not in KNOWN_REVISIONS:
                    raise newer_schema(location.display(), revision)
                if revision != HEAD_REVISION:
                    run_alembic_upgrade(connection)
    except NotPermitted:
        if location.path is None and revision is not None:  # a team member on an older book
            raise NotPermitted(_(
                "database {db} is at schema {revision} and this kehu writes {head}: only the book's "
                "administrator (the tables' owner) may upgrade it; ask them to run kehu on it once"
            ).format(db=location.display(), revision=revision, head=HEAD_REVISION)) from None
        raise
    finally:
        engine.dispose()
    return HEAD_REVISION


def _revision(connection: Connection, location: Location) -> str | None:
    if location.path is None:
        found = connection.exec_driver_sql("SELECT to_regclass('alembic_version')").scalar()
    else:
        found = connection.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).scalar()
    if found is None:
        return None
    return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def migration_engine(location: Location) -> Engine:
    """A SQLAlchemy engine over kehu's own driver connections (the same pragmas and timeouts);
    on SQLite its transactions begin IMMEDIATE, as every kehu write does."""
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import NullPool

    if location.path is None:
        url = "postgresql+psycopg://"
        return create_engine(url, creator=lambda: _non_autocommit(location), poolclass=NullPool)
    engine = create_engine("sqlite://", creator=lambda: driver.connect(location), poolclass=NullPool)

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _non_autocommit(location: Location):
    connection = driver.connect(location)
    connection.autocommit = False  # SQLAlchemy manages the transaction
    return connection


def run_alembic_upgrade(connection: Connection, target: str = "head") -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    command.upgrade(config, target)
