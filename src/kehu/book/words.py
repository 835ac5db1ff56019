"""A word of a vocabulary as a person types it (电话, phone, A级 …), read for either way in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kehu.errors import UsageError
from kehu.i18n import labelled

if TYPE_CHECKING:
    from kehu.domain.vocabulary import Vocabulary


def word_code(vocabulary: Vocabulary, label: str, text: str | None, hint: str | None = None) -> str | None:
    """The stored code of a word of `vocabulary` (its code, Chinese or English label); None stays
    None; anything else is the one usage error that lists the choices (and a hint under it).
    `label` names the option or argument the word came from."""
    if text is None:
        return None
    from kehu.domain.values import parse_choice

    try:
        return parse_choice(vocabulary, text)
    except ValueError as error:
        raise UsageError(labelled(label, error), [hint] if hint else None) from None
