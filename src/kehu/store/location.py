"""Which database kehu uses, and why: --db > KEHU_DB > `db` in config.toml > the data dir."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from kehu.config import default_database_path, load_settings
from kehu.errors import ConfigError
from kehu.i18n import _


@dataclass(frozen=True)
class Location:
    url: str  # a SQLAlchemy URL
    path: Path | None  # the SQLite file, when it is one
    reason: str  # why this database, for `kehu info`

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None

    def display(self) -> str:
        """The database for messages: the path, or the URL with its password masked."""
        if self.path is not None:
            return str(self.path)
        from sqlalchemy.engine import make_url

        return make_url(self.url).render_as_string(hide_password=True)


def _from_text(text: str, reason: str) -> Location:
    if "://" not in text:
        return _sqlite_file(text, reason)
    url = _parse_url(text, reason)
    if url.get_backend_name() != "sqlite":
        return Location(_server_url(text, url, reason), None, reason)
    # kehu opens a SQLite file by its path and nothing else (store/db.py), the path it checked
    # first: options after a `?` once made SQLAlchemy open the file past that check (issue 12).
    if "?" in text or url.query or url.host or url.drivername not in ("sqlite", "sqlite+pysqlite"):
        message = _("database URL {url} ({reason}): give a SQLite file as a path or sqlite:///PATH alone")
        raise ConfigError(message.format(url=_shown(text, url), reason=reason))
    if not url.database or url.database == ":memory:":
        raise ConfigError(
            _("database URL {url} ({reason}) names no file: kehu keeps its book in a file").format(
                url=_shown(text, url), reason=reason
            )
        )
    return _sqlite_file(url.database, reason)


def _sqlite_file(text: str, reason: str) -> Location:
    path = Path(text).expanduser().absolute()
    return Location(f"sqlite:///{path}", path, reason)


def _parse_url(text: str, reason: str):
    """The URL as SQLAlchemy reads it, or a ConfigError saying why it cannot be read. The text is
    not quoted back: it may hold a password."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(text)
    except ValueError:  # int() of the port
        raise ConfigError(
            _("bad database URL ({reason}): its port must be a number").format(reason=reason)
        ) from None
    except ArgumentError:
        message = _("bad database URL ({reason}): not a URL kehu can read")
        raise ConfigError(message.format(reason=reason)) from None


def resolve_location(db_option: str | None) -> Location:
    """Pick the database from the command line, the environment, the config file or the default."""
    if db_option:
        return _from_text(db_option, _("--db option"))
    env = os.environ.get("KEHU_DB")
    if env:
        return _from_text(env, _("KEHU_DB environment variable"))
    settings = load_settings()
    configured = settings.get("db")
    if configured is not None:
        if not isinstance(configured, str) or not configured.strip():
            raise ConfigError(
                _("bad config file {path}: db must be a path or URL").format(path=settings.path)
            )
        return _from_text(configured, _("db in {path}").format(path=settings.path))
    return _from_text(str(default_database_path()), _("default location"))


def _server_url(text: str, url, reason: str) -> str:
    """A PostgreSQL URL kehu can use, as text: `postgresql://` means kehu's driver, psycopg."""
    import importlib.util

    if url.get_backend_name() != "postgresql" or url.get_driver_name() not in ("psycopg", "psycopg2"):
        raise ConfigError(
            _("bad database URL ({reason}): kehu knows no database {name}").format(
                reason=reason, name=url.drivername
            )
        )
    if url.host and "@" in url.host:
        # The part after a bare `@` in the password reads as the host: shown, it would print the
        # rest of the password (issue 12).
        message = _("bad database URL ({reason}): an @ in the password must be written %40")
        raise ConfigError(message.format(reason=reason))
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
        text = url.render_as_string(hide_password=False)
    if importlib.util.find_spec(url.get_driver_name()) is None:
        message = _("database URL ({reason}): the PostgreSQL driver is not installed; "
                    "pip install 'kehu[postgresql]'")  # fmt: skip
        raise ConfigError(message.format(reason=reason))
    return text


def _shown(text: str, url) -> str:
    """The URL as the user wrote it, unless it holds a password."""
    return text if url.password is None else url.render_as_string(hide_password=True)
