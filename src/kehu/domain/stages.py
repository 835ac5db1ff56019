"""Stages and pipelines as values: the model every funnel (built-in or from TOML) is made of.

See kehu.domain.pipelines for what the fields mean; this module only holds the two classes.
"""

from __future__ import annotations

import functools
import itertools
import json
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kehu.domain.vocabulary import Choice, Vocabulary, fold
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

    @property
    def after_sale(self) -> Stage:
        """The stage a won customer moves to once all its money is in (维护): the last one, as
        builtin_pipelines.with_after_sale makes every pipeline."""
        return self.stages[-1]

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


# --- what leaving a stage asks besides its end marker ---------------------------------------
# Three stages of the seeds have a record kehu keeps as their evidence or their test: 挖掘需求
# ends in written requirements (a recorded need), 呈现价值 in buying signals after a proposal
# (a proposal), 建立信任 in trust with the key people (each decision maker's relationship stage).
# They are found by their end markers, which every built-in pipeline having such a stage shares
# (and a user's pipeline written with the seeds' words too): seven-step 发现需求 ends in the
# purchase request, a need; the five-stage process's 关系建立 in a good relationship with the
# key decision makers, trust.
NEED, PROPOSAL, TRUST = "need", "proposal", "trust"
_ASKS = (  # (pipeline key, stage key) of the built-in stages whose end markers say what they ask
    (("key-account", "needs"), NEED),
    (("consultative", "discover"), NEED),
    (("key-account", "value"), PROPOSAL),
    (("key-account", "trust"), TRUST),
    (("development", "relationship"), TRUST),
)


def leaving_asks(stage: Stage) -> str | None:
    """What leaving this stage asks for: NEED (a recorded need is its evidence), PROPOSAL (a
    proposal is), TRUST (the decision makers at 信赖 or beyond), or None."""
    return _asks_by_marker().get(stage.end_marker_zh)


@functools.cache
def _asks_by_marker() -> dict[str, str]:
    from kehu.domain.builtin_pipelines import BUILTIN  # it is made of this module's classes

    return {BUILTIN[pipeline].stage(key).end_marker_zh: asks for (pipeline, key), asks in _ASKS}


TRUSTED_FROM = "trusted"  # 信赖: 建立信任 ends when the key people are here or beyond (DOMAIN §2)


def trust_gaps(contacts: Iterable[Mapping[str, Any]]) -> list[str]:
    """Why 建立信任's end marker is not met by the contacts (name, role, relationship): no
    decision maker recorded, or one below 信赖 (or with no relationship stage recorded)."""
    from kehu.domain.vocabulary import RELATIONSHIP, RELATIONSHIPS

    deciders = [c for c in contacts if c.get("role") == "decision_maker"]
    if not deciders:
        return [_("no decision maker recorded: trust with the key people cannot be checked")]
    trusted = RELATIONSHIPS.index(TRUSTED_FROM)
    gaps = []
    for contact in deciders:
        stage = contact.get("relationship")
        if stage is None:
            gaps.append(_("decision maker {name} has no relationship stage recorded (trust needs {trusted})")
                        .format(name=contact["name"], trusted=RELATIONSHIP.label(TRUSTED_FROM)))  # fmt: skip
        elif stage in RELATIONSHIPS and RELATIONSHIPS.index(stage) < trusted:
            gaps.append(_("decision maker {name} is at {stage}, below {trusted}").format(
                name=contact["name"], stage=RELATIONSHIP.label(stage),
                trusted=RELATIONSHIP.label(TRUSTED_FROM)))  # fmt: skip
    return gaps


def question_words(stage: Stage) -> Vocabulary:
    """A stage's questions as a word list whose codes are their numbers ("1", "2" …): a table
    shows the question, CSV and JSON its number, the same in every language."""
    # A user's pipeline may list more questions in one language than in the other.
    pairs = itertools.zip_longest(stage.questions_zh, stage.questions_en)
    return Vocabulary("question", tuple(
        Choice(str(number), zh or en, en or zh) for number, (zh, en) in enumerate(pairs, 1)
    ))  # fmt: skip
