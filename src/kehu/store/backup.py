"""A consistent copy of the SQLite database while other kehu processes keep writing.

SQLite's online backup API copies the file a step of pages at a time. All the steps run inside
one read transaction on the source, so together they copy one snapshot: in WAL mode a reader
neither blocks the writers nor is disturbed by them. (Outside such a transaction a backup whose
source changes between steps starts over, and under steady writing might never finish.)

The copy is written to a temporary file beside the target, checked with `PRAGMA quick_check`,
synced, and only then given the target's name: the target is either the old file or the whole
new copy, never half of one. A target that exists is replaced only when asked to.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kehu.errors import CannotCreate, ConfigError, KehuError, MissingInput, NotPermitted
from kehu.i18n import _
from kehu.store.db import is_kehu_file
from kehu.store.driver import busy_seconds
from kehu.store.failures import database_error, error_family
from kehu.store.location import Location
from kehu.store.schema import KEHU_TABLES

STEP_PAGES = 1024  # 4 MiB of 4 KiB pages per step: how often the progress bar moves


@dataclass(frozen=True)
class BackupResult:
    target: Path
    customers: int
    size: int  # bytes


def backup(
    location: Location,
    target: Path,
    *,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> BackupResult:
    """Copy the database at `location` to `target`; `progress(done, total)` counts pages."""
    if location.path is None:
        raise KehuError(_("backup works on SQLite files; for PostgreSQL use pg_dump"))
    source = location.path
    _check_source(source)
    target = target.expanduser().absolute()
    _check_target(source, target, force)
    try:
        reader = sqlite3.connect(_read_uri(source), uri=True, timeout=busy_seconds(), isolation_level=None)
    except sqlite3.Error as error:
        raise database_error(location, error) from None
    try:
        return _copy(location, reader, target, force, progress)
    finally:
        reader.close()


def _check_source(source: Path) -> None:
    if source.is_dir():
        raise CannotCreate(_("{path} is a directory, not a database file").format(path=source))
    if not source.exists():
        raise MissingInput(_("no database at {db}: nothing to back up").format(db=source))
    if not source.is_file():  # /dev/null, a pipe
        raise CannotCreate(_("{path} is not a regular file, so not a database file").format(path=source))
    if not os.access(source, os.R_OK):
        raise NotPermitted(_("cannot read database {path}: permission denied").format(path=source))


def _check_target(source: Path, target: Path, force: bool) -> None:
    if target.is_dir():
        raise CannotCreate(_("{path} is a directory; give the backup a file name").format(path=target))
    if target.exists():
        if os.path.samefile(source, target):
            raise CannotCreate(_("cannot back up {db} onto itself").format(db=source))
        if not force:
            raise CannotCreate(_("{path} exists; use --force to replace it").format(path=target))
        # --force is for an older backup: a mistyped name must not cost a text file, another
        # program's database or /etc/passwd (issue 12).
        if not is_kehu_file(target):
            raise CannotCreate(
                _("{path} is not a kehu database: --force replaces only an older backup").format(path=target)
            )
    if not target.parent.is_dir():
        raise CannotCreate(
            _("cannot create {path}: directory {dir} does not exist").format(path=target, dir=target.parent)
        )
    if not os.access(target.parent, os.W_OK):
        raise NotPermitted(_("cannot create database {path}: directory is read-only").format(path=target))


def _read_uri(source: Path) -> str:
    """Read-write when allowed, so that the last connection to close tidies the -wal away as
    every kehu does; read-only otherwise, immutable where SQLite could not even create its -shm."""
    real = source.resolve()  # SQLite puts the -wal beside the file a symbolic link points to
    directory_writable = os.access(real.parent, os.W_OK)
    if directory_writable and os.access(real, os.W_OK):
        return source.as_uri()
    if not directory_writable and not Path(f"{real}-wal").exists():
        return f"{source.as_uri()}?mode=ro&immutable=1"
    return f"{source.as_uri()}?mode=ro"


def _copy(
    location: Location,
    reader: sqlite3.Connection,
    target: Path,
    force: bool,
    progress: Callable[[int, int], None] | None,
) -> BackupResult:
    try:
        # The snapshot: everything below reads the database as it is at this BEGIN's first read.
        reader.execute("BEGIN")
        tables = {row[0] for row in reader.execute("SELECT name FROM sqlite_master")}
        if "alembic_version" not in tables or not tables >= KEHU_TABLES:
            raise ConfigError(_("{db} is not a kehu database").format(db=location.display()))
        customers = reader.execute("SELECT count(*) FROM customer").fetchone()[0]
    except sqlite3.Error as error:
        raise database_error(location, error) from None
    temporary = _temporary_file(target)
    try:
        try:
            copy = sqlite3.connect(temporary, isolation_level=None)
            try:
                reader.backup(
                    copy,
                    pages=STEP_PAGES,
                    progress=None if progress is None else lambda _s, left, all_: progress(all_ - left, all_),
                )
                problem = _quick_check(copy)
            finally:
                copy.close()
        except sqlite3.Error as error:
            if error_family(error) in ("CORRUPT", "NOTADB", "BUSY", "LOCKED"):
                raise database_error(location, error) from None  # the source's, not the copy's
            raise _write_error(target, error) from None
        if problem:
            message = _("the copy failed its integrity check ({detail}): {db} may be damaged; run kehu check")
            raise KehuError(message.format(detail=problem, db=location.display()))
        _give_mode(temporary, location.path)
        _sync(temporary)
        _put_in_place(temporary, target, force)
        _sync(target.parent)
    finally:
        for leftover in [temporary, *(Path(f"{temporary}-{end}") for end in ("journal", "wal", "shm"))]:
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
    return BackupResult(target, customers, target.stat().st_size)


def _quick_check(copy: sqlite3.Connection) -> str | None:
    """The first problem PRAGMA quick_check finds in the copy (the source's, copied), or None."""
    try:
        rows = [row[0] for row in copy.execute("PRAGMA quick_check")]
    except sqlite3.DatabaseError as error:
        if error_family(error) not in ("CORRUPT", "NOTADB"):
            raise
        return str(error)
    if rows == ["ok"]:
        return None
    lines = [line for row in rows for line in str(row).splitlines() if not line.startswith("*** in database")]
    return next((line for line in lines if line.strip()), str(rows[0]))


def _temporary_file(target: Path) -> Path:
    """An empty file beside the target, for the owner only while it is written."""
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise _write_error(target, error) from None
    os.close(handle)
    return Path(name)


def _give_mode(copy: Path, source: Path) -> None:
    """The permissions `cp` gives a copy: the source's, less the umask."""
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.chmod(copy, stat.S_IMODE(source.stat().st_mode) & ~umask)
    except OSError as error:
        raise _write_error(copy, error) from None


def _put_in_place(temporary: Path, target: Path, force: bool) -> None:
    """Give the checked copy its name: atomically, and never over a file unless forced."""
    try:
        if force:
            # A -wal left beside the old file would be replayed into the new one: remove it first.
            for companion in (Path(f"{target}-wal"), Path(f"{target}-shm")):
                with contextlib.suppress(FileNotFoundError):
                    companion.unlink()
            os.replace(temporary, target)
            return
        taken = CannotCreate(_("{path} exists; use --force to replace it").format(path=target))
        try:
            os.link(temporary, target)  # fails if the name was taken meanwhile, unlike a rename
        except FileExistsError:
            raise taken from None
        except OSError:  # a file system without hard links
            if target.exists():
                raise taken from None
            os.replace(temporary, target)
    except OSError as error:
        raise _write_error(target, error) from None


def _write_error(target: Path, error: BaseException) -> KehuError:
    detail = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
    message = _("cannot write backup {path}: {error}").format(path=target, error=detail)
    return NotPermitted(message) if isinstance(error, PermissionError) else CannotCreate(message)


def _sync(path: Path) -> None:
    """Flush a file, or a directory's new entry, to the disk (where the system allows it)."""
    try:
        handle = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)
