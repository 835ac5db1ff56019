"""Where pipelines come from: the built-in ones, and the user's TOML files in
<config dir>/kehu/pipelines/NAME.toml (kehu.domain.pipelines documents the format)."""

from __future__ import annotations

from pathlib import Path

from kehu.config import config_path
from kehu.domain.pipelines import BUILTIN, Pipeline, PipelineError, load_pipeline_toml
from kehu.errors import CannotCreate, ConfigError, NotFound
from kehu.i18n import _


def pipelines_dir() -> Path:
    return config_path().parent / "pipelines"


def read_pipeline_file(path: Path) -> Pipeline:
    """A user pipeline from a TOML file; every problem in it is reported (exit 78)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(_("cannot read {path}: {error}").format(path=path, error=error.strerror)) from None
    except UnicodeDecodeError:  # TOML is UTF-8; a file saved as GBK is not
        raise ConfigError(_("bad pipeline file {path}: not UTF-8 text").format(path=path)) from None
    try:
        return load_pipeline_toml(text, source=str(path))
    except PipelineError as error:
        raise ConfigError(_("bad pipeline file {path}").format(path=path), error.lines) from None


def install_pipeline_file(path: Path) -> Pipeline:
    """Check a TOML pipeline and copy it to the pipelines folder as <key>.toml."""
    pipeline = read_pipeline_file(path)
    if pipeline.key in BUILTIN:
        raise ConfigError(_("{key} is a built-in pipeline; give yours another key").format(key=pipeline.key))
    target = pipelines_dir() / f"{pipeline.key}.toml"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    except OSError as error:
        raise CannotCreate(
            _("cannot write {path}: {error}").format(path=target, error=error.strerror)
        ) from None
    return pipeline


def all_pipelines() -> dict[str, Pipeline]:
    """The built-in pipelines and the user's, by key (a user file cannot replace a built-in)."""
    found = dict(BUILTIN)
    directory = pipelines_dir()
    if directory.is_dir():
        for path in sorted(directory.glob("*.toml")):
            pipeline = read_pipeline_file(path)
            found.setdefault(pipeline.key, pipeline)
    return found


def get_pipeline(key: str) -> Pipeline:
    pipelines = all_pipelines()
    if key not in pipelines:
        raise NotFound(_("no pipeline {key!r}; known: {known}").format(key=key, known=", ".join(pipelines)))
    return pipelines[key]
