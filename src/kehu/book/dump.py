"""Moving a whole book: `kehu dump` writes every record as a line (io/dump.py's format), `kehu load`
reads a dump into an empty database, all of it or nothing.

Loading reads the lines as they come and writes in batches, all inside one transaction: a bad line
anywhere (reported with its number) and nothing is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from kehu.errors import BadData, KehuError, NotPermitted
from kehu.i18n import _, ngettext
from kehu.io.dump import TABLES, Table, header_line, read_records, record_line
from kehu.store import dumping
from kehu.store.bulk import insert_many
from kehu.store.customers import set_referrers
from kehu.store.org import set_superiors
from kehu.store.sequences import continue_numbering

if TYPE_CHECKING:
    from kehu.store.db import Store
    from kehu.store.sql import Connection

BATCH = 1000  # records written at a time: a load's memory does not grow with the book
TABLE_NAMES = tuple(table.name for table in TABLES)
# A new book holds its own settings (the default pipeline); a load replaces them.
_KEPT_WHEN_EMPTY = ("setting",)


class Counts(dict):
    """Records per table."""

    @property
    def total(self) -> int:
        return sum(self.values())


def dump_lines(connection: Connection, counts: Counts) -> Iterator[str]:
    """Every line of the dump of the book on `connection`; `counts` fills in as they go."""
    yield header_line()
    for table in TABLES:
        counts[table.name] = 0
        for values in dumping.rows_of(connection, table.name, table.columns, table.key):
            yield record_line(table, values)
            counts[table.name] += 1


def book_size(connection: Connection) -> int:
    """How many records a dump of this book holds (for a progress bar)."""
    return dumping.count_rows(connection, TABLE_NAMES)


def stored_records(connection: Connection) -> int:
    """Records in every table but the settings (a book's own defaults, replaced by a load)."""
    return dumping.count_rows(connection, [name for name in TABLE_NAMES if name not in _KEPT_WHEN_EMPTY])


def load(store: Store, lines: Iterable[str], progress: Callable[[int], None] | None = None) -> Counts:
    """Write every record of a dump into the empty book of `store`, in one transaction; the
    records per table. BadData (with the line number) for anything that is not a record kehu
    wrote or would write, ConfigError for a dump of a newer kehu, KehuError for a book that
    holds records already."""
    from kehu.domain.names import load_pinyin

    load_pinyin()  # every customer's pinyin is recomputed: build the tables before taking the lock
    with store.write() as connection:
        _require_tables_owner(connection)
        present = stored_records(connection)
        if present:
            message = ngettext("{db} is not empty ({count} record): load needs an empty database",
                               "{db} is not empty ({count} records): load needs an empty database", present)
            raise KehuError(message.format(db=store.location.display(), count=present))  # fmt: skip
        try:
            return load_lines(connection, lines, progress)
        except UnicodeDecodeError as error:  # raised inside the transaction: nothing is kept
            raise BadData(_("the dump is not UTF-8 text ({error})").format(error=error.reason)) from None


def _require_tables_owner(connection: Connection) -> None:
    """On PostgreSQL a load is the tables' owner's: it writes every owner's customers and moves the
    id sequences on (setval, which a member may not), so a member is told at once, not after the
    whole file was read."""
    if not connection.backend.is_postgresql:
        return
    from kehu.store.team import current_seat

    seat = current_seat(connection)
    if not seat.administrator:
        message = _("only the owner of the book's tables can load a dump into it (you are {login})")
        raise NotPermitted(message.format(login=seat.login))


def load_lines(
    connection: Connection, lines: Iterable[str], progress: Callable[[int], None] | None = None
) -> Counts:
    """Write every record of a dump in the caller's transaction (see load)."""
    records = read_records(lines)  # the header is checked before anything is written
    dumping.clear_settings(connection)  # the dump's settings replace the new book's defaults
    batch = _Batch(connection)
    counts = Counts()
    referrers: list[tuple[int, int]] = []  # customer, its referrer
    superiors: list[tuple[int, int]] = []  # contact, whom they report to
    for number, table, row in records:
        if table is not batch.table or len(batch.rows) >= BATCH:
            batch.write(before=number)
            batch.table = table
        # A referrer or a superior may come later in the dump: the reference is set once all are in.
        if table.name == "customer" and row["referrer_id"] is not None:
            referrers.append((row["id"], row["referrer_id"]))
            row["referrer_id"] = None
        if table.name == "contact" and row["reports_to_id"] is not None:
            superiors.append((row["id"], row["reports_to_id"]))
            row["reports_to_id"] = None
        batch.rows.append(tuple(row[column] for column in table.columns))
        counts[table.name] = counts.get(table.name, 0) + 1
        if progress:
            progress(1)
    batch.write(before=None)
    with _holding_together(None):
        if referrers:
            set_referrers(connection, referrers)
        if superiors:
            set_superiors(connection, superiors)
    continue_numbering(connection, TABLE_NAMES)  # the next new record of each table follows the dump's
    return counts


class _Batch:
    """The records of one table waiting to be written."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.table: Table | None = None
        self.rows: list[tuple[Any, ...]] = []

    def write(self, *, before: int | None) -> None:
        """Write the rows held; `before` is the line of the record that comes next (None: the end)."""
        if self.table is not None and self.rows:
            with _holding_together(before):
                insert_many(self.connection, self.table.name, self.table.columns, self.rows)
        self.rows = []


@contextmanager
def _holding_together(before: int | None) -> Iterator[None]:
    """What the checks of io/dump.py let through yet the database refuses (a constraint they do
    not know) is BadData saying where it was found (`before`: the next record's line; None: the
    end), not a driver's error."""
    try:
        yield
    except dumping.integrity_errors() as error:
        where = _("before line {line}").format(line=before) if before else _("at the end")
        detail = (str(error).strip().splitlines() or [""])[0]
        raise BadData(_("the dump does not hold together {where}: {detail}").format(
            where=where, detail=detail)) from None  # fmt: skip
