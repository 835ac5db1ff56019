"""Exit codes and the errors that carry them.

Every failure a user can cause is a KehuError: the CLI boundary prints its one-line message on
stderr and exits with its code. The codes follow BSD sysexits where one fits, so that shell
scripts can tell "bad data" from "database busy".
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    ERROR = 1  # a request that cannot be met (no such customer, ambiguous name, duplicate)
    USAGE = 2  # wrong options or arguments, an unreadable date
    DATA = 65  # bad input data (a CSV with invalid rows); nothing was written
    NO_INPUT = 66  # an input file that does not exist or cannot be read
    CANT_CREATE = 73  # a database or output file that cannot be created
    BUSY = 75  # the database stayed locked by another process past the timeout
    NO_PERMISSION = 77  # not permitted (read-only file or directory)
    CONFIG = 78  # bad configuration, a file that is not a kehu database, or one newer than kehu


class KehuError(Exception):
    """An error whose message is already in the user's language."""

    exit_code: ExitCode = ExitCode.ERROR

    def __init__(self, message: str, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        # Extra lines printed after the message (the candidates of an ambiguous name, bad rows).
        self.details = details or []


class UsageError(KehuError):
    exit_code = ExitCode.USAGE


class NotFound(KehuError):
    exit_code = ExitCode.ERROR


class Ambiguous(KehuError):
    exit_code = ExitCode.ERROR


class Conflict(KehuError):
    exit_code = ExitCode.ERROR


class BadData(KehuError):
    exit_code = ExitCode.DATA


class MissingInput(KehuError):
    exit_code = ExitCode.NO_INPUT


class CannotCreate(KehuError):
    exit_code = ExitCode.CANT_CREATE


class DatabaseBusy(KehuError):
    exit_code = ExitCode.BUSY


class TransactionConflict(DatabaseBusy):
    """Another transaction changed the same rows at the same moment (PostgreSQL's serialization
    failure or deadlock). Nothing was written; the command as a whole may simply run again."""


class NotPermitted(KehuError):
    exit_code = ExitCode.NO_PERMISSION


class ConfigError(KehuError):
    exit_code = ExitCode.CONFIG
