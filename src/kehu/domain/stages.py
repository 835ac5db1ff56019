"""Stages and pipelines as values: the model every funnel (built-in or from TOML) is made of.

See kehu.domain.pipelines for what the fields mean; this module only holds the two classes.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass

from kehu.domain.vocabulary import fold
from kehu.i18n import _, is_chinese


@dataclass(frozen=True)
class Stage:
    """One stage of a funnel, with its texts in both languages; the properties pick the user's."""

    key: str  # stable code, [a-z0-9_-]+
    zh: str
    en: str
    probability: float  # win probability 0..1 of a customer in this stage
    start_marker_zh: str
    start_marker_en: str
    end_marker_zh: str  # the evidence that lets a customer leave the stage
    end_marker_en: str
    questions_zh: tuple[str, ...]
    questions_en: tuple[str, ...]
    max_idle_days: int  # a customer idle longer than this in the stage is flagged

    @property
    def label(self) -> str:
        """The stage's name in the user's language."""
        return self.zh if is_chinese() else self.en

    @property
    def start_marker(self) -> str:
        return self.start_marker_zh if is_chinese() else self.start_marker_en

    @property
    def end_marker(self) -> str:
        return self.end_marker_zh if is_chinese() else self.end_marker_en

    @property
    def questions(self) -> tuple[str, ...]:
        return self.questions_zh if is_chinese() else self.questions_en


@dataclass(frozen=True)
class Pipeline:
    """A funnel: its stages in order. Built-ins come from the seeds, others from a user's TOML."""

    key: str
    zh: str
    en: str
    stages: tuple[Stage, ...]
    builtin: bool

    @property
    def label(self) -> str:
        """The pipeline's name in the user's language."""
        return self.zh if is_chinese() else self.en

    def stage(self, key_or_name: str) -> Stage:
        """The stage a user named: by key, Chinese or English name, or 1-based number ("3").

        Keys and names match loosely (full-width, case, spaces, "_" and "-" do not matter); a
        key or name wins over a number. Raises ValueError, listing the stages, for anything else.
        """
        for stage in self.stages:
            if stage.key == key_or_name:
                return stage
        wanted = fold(key_or_name)
        for stage in self.stages:
            if wanted and wanted in (fold(stage.key), fold(stage.zh), fold(stage.en)):
                return stage
        number = unicodedata.normalize("NFKC", key_or_name).strip()
        if number.isdecimal() and 1 <= int(number) <= len(self.stages):
            return self.stages[int(number) - 1]
        raise self._unknown(key_or_name)

    def index(self, key: str) -> int:
        """The 0-based position of the stage with this key; ValueError if there is none."""
        for position, stage in enumerate(self.stages):
            if stage.key == key:
                return position
        raise self._unknown(key)

    def next_stage(self, key: str) -> Stage | None:
        """The stage after the one with this key, or None after the last; ValueError if unknown."""
        position = self.index(key) + 1
        return self.stages[position] if position < len(self.stages) else None

    def _unknown(self, name: str) -> ValueError:
        stages = ", ".join(
            f"{number} {stage.label} ({stage.key})" for number, stage in enumerate(self.stages, start=1)
        )
        return ValueError(
            _("unknown stage {name}; the stages are: {stages}").format(name=_show(name), stages=stages)
        )


def _show(value: object) -> str:
    """A value as TOML writes it, for messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
