"""Where kehu keeps its files, and the user's config file (platformdirs, TOML)."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kehu.errors import ConfigError
from kehu.i18n import _

APP_NAME = "kehu"


def config_path() -> Path:
    """The config file: $KEHU_CONFIG, else <platformdirs config dir>/kehu/config.toml."""
    explicit = os.environ.get("KEHU_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def cache_dir() -> Path:
    """Where kehu keeps what it can always build again ($XDG_CACHE_HOME/kehu on Linux)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME, appauthor=False))


def default_database_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)) / "kehu.db"


@dataclass(frozen=True)
class Settings:
    path: Path
    values: dict[str, Any]

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


def load_settings() -> Settings:
    """Read the config file; a missing file is an empty config, a broken one exits 78."""
    path = config_path()
    try:
        with path.open("rb") as handle:
            values = tomllib.load(handle)
    except FileNotFoundError:
        values = {}
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(_("bad config file {path}: {error}").format(path=path, error=error)) from None
    except UnicodeDecodeError:  # TOML is UTF-8; a file saved as GBK is not
        raise ConfigError(_("bad config file {path}: not UTF-8 text").format(path=path)) from None
    except RecursionError:  # tomllib reads nested arrays and tables by recursion
        raise ConfigError(_("bad config file {path}: nested too deeply").format(path=path)) from None
    except OSError as error:
        raise ConfigError(
            _("cannot read config file {path}: {error}").format(path=path, error=error.strerror)
        ) from None
    _check_kinds(path, values)
    return Settings(path, values)


def _check_kinds(path: Path, values: dict[str, Any]) -> None:
    """A known key of the wrong kind is a bad config file, found when the file is read: not a
    crash when a command first uses it (`lost_reasons = 5`), nor silently ignored (`workdays =
    "yes"`). `db` is checked where the database is chosen (kehu.store.location)."""
    if "workdays" in values and not isinstance(values["workdays"], bool):
        raise ConfigError(_("bad config file {path}: workdays must be true or false").format(path=path))
    reasons = values.get("lost_reasons", [])
    if not isinstance(reasons, list) or not all(isinstance(reason, str) for reason in reasons):
        message = _('bad config file {path}: lost_reasons must be a list of texts, like ["老板不喜欢"]')
        raise ConfigError(message.format(path=path))
