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
    if "://" in text:
        if text.startswith("sqlite:///"):
            path = Path(text.removeprefix("sqlite:///")).expanduser()
            return Location(f"sqlite:///{path}", path, reason)
        return Location(text, None, reason)
    path = Path(text).expanduser().absolute()
    return Location(f"sqlite:///{path}", path, reason)


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
