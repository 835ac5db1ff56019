"""Which database kehu uses, and why: --db > KEHU_DB > `db` in config.toml > the data dir."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import SplitResult, unquote, urlsplit

from kehu.config import default_database_path, load_settings
from kehu.errors import ConfigError
from kehu.i18n import _


@dataclass(frozen=True)
class Location:
    url: str  # a SQLAlchemy-style URL (sqlite:///PATH, postgresql+psycopg://…), for migrations
    path: Path | None  # the SQLite file, when it is one
    chosen_by: str  # why this database: one of CHOSEN_BY's codes, for `kehu info` and messages
    config_path: Path | None = None  # the config file, when chosen by its `db`

    @property
    def reason(self) -> str:
        """Why this database, as a message says it in the interface language."""
        return _reason(self.chosen_by, self.config_path)

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None

    @property
    def conninfo(self) -> str:
        """The server URL as libpq (psycopg) reads it: the driver's name taken out of the scheme."""
        return "postgresql://" + self.url.split("://", 1)[1]

    def display(self) -> str:
        """The database for messages: the path, or the URL with its password masked."""
        if self.path is not None:
            return str(self.path)
        return _masked(self.url)


# How the database was chosen, in the order kehu looks (kehu.book.info shows these codes as words).
CHOSEN_BY = ("option", "environment", "config", "default")


def _reason(chosen_by: str, config_path: Path | None) -> str:
    if chosen_by == "option":
        return _("--db option")
    if chosen_by == "environment":
        return _("KEHU_DB environment variable")
    if chosen_by == "config":
        return _("db in {path}").format(path=config_path)
    return _("default location")


def _from_text(text: str, chosen_by: str, config_path: Path | None = None) -> Location:
    reason = _reason(chosen_by, config_path)
    if "://" not in text:
        return _sqlite_file(text, chosen_by, config_path)
    url = _parse_url(text, reason)
    scheme = url.scheme.lower()
    if scheme.split("+")[0] != "sqlite":
        return Location(_server_url(text, url, reason), None, chosen_by, config_path)
    # kehu opens a SQLite file by its path and nothing else (store/db.py), the path it checked
    # first: options after a `?` once made SQLAlchemy open the file past that check (issue 12).
    if "?" in text or url.netloc or scheme not in ("sqlite", "sqlite+pysqlite"):
        message = _("database URL {url} ({reason}): give a SQLite file as a path or sqlite:///PATH alone")
        raise ConfigError(message.format(url=_masked(text), reason=reason))
    database = unquote(url.path[1:])  # sqlite:///relative, sqlite:////absolute, as SQLAlchemy reads it
    if not database or database == ":memory:":
        raise ConfigError(
            _("database URL {url} ({reason}) names no file: kehu keeps its book in a file").format(
                url=_masked(text), reason=reason
            )
        )
    return _sqlite_file(database, chosen_by, config_path)


def _sqlite_file(text: str, chosen_by: str, config_path: Path | None) -> Location:
    path = Path(text).expanduser().absolute()
    return Location(f"sqlite:///{path}", path, chosen_by, config_path)


def _parse_url(text: str, reason: str) -> SplitResult:
    """The URL's parts, or a ConfigError saying why it cannot be read. The text is not quoted
    back: it may hold a password."""
    try:
        url = urlsplit(text)
        url.port  # noqa: B018 (int() of the port, read here to refuse a bad one)
    except ValueError:
        raise ConfigError(
            _("bad database URL ({reason}): its port must be a number").format(reason=reason)
        ) from None
    if not url.scheme or not all(part.isalnum() or part == "" for part in url.scheme.split("+")):
        message = _("bad database URL ({reason}): not a URL kehu can read")
        raise ConfigError(message.format(reason=reason))
    return url


def resolve_location(db_option: str | None) -> Location:
    """Pick the database from the command line, the environment, the config file or the default."""
    if db_option:
        return _from_text(db_option, "option")
    env = os.environ.get("KEHU_DB")
    if env:
        return _from_text(env, "environment")
    settings = load_settings()
    configured = settings.get("db")
    if configured is not None:
        if not isinstance(configured, str) or not configured.strip():
            raise ConfigError(
                _("bad config file {path}: db must be a path or URL").format(path=settings.path)
            )
        return _from_text(configured, "config", settings.path)
    return _from_text(str(default_database_path()), "default")


def _server_url(text: str, url: SplitResult, reason: str) -> str:
    """A PostgreSQL URL kehu can use, as text: `postgresql://` means kehu's driver, psycopg."""
    scheme = url.scheme.lower()
    if scheme not in ("postgresql", "postgresql+psycopg"):
        message = _("bad database URL ({reason}): kehu knows no database {name}")
        raise ConfigError(message.format(reason=reason, name=url.scheme))
    if url.netloc.count("@") > 1:
        # The part after a bare `@` in the password reads as the host to some readers: shown, it
        # would print the rest of the password (issue 12).
        message = _("bad database URL ({reason}): an @ in the password must be written %40")
        raise ConfigError(message.format(reason=reason))
    try:
        import psycopg  # noqa: F401 (connecting imports it anyway: asked here to say how to install it)
    except ImportError:
        message = _("database URL ({reason}): the PostgreSQL driver is not installed; "
                    "pip install 'kehu[postgresql]'")  # fmt: skip
        raise ConfigError(message.format(reason=reason)) from None
    return "postgresql+psycopg://" + text.split("://", 1)[1]


def _masked(text: str) -> str:
    """The URL as the user wrote it, its password (if any) as ***."""
    scheme, _sep, rest = text.partition("://")
    authority, slash, tail = rest.partition("/")
    user, at, host = authority.rpartition("@")
    if at and ":" in user:
        authority = f"{user.split(':', 1)[0]}:***@{host}"
    return f"{scheme}://{authority}{slash}{tail}"
