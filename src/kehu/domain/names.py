"""Customer names: the key that makes two spellings the same name, and the pinyin to find them by.

杭州科技 and "杭州科技 " and full-width ＡＢＣ vs ABC are one customer: the key is the NFKC form,
trimmed, inner white space collapsed, case folded. Pinyin (full and initials, without tones or
separators) lets `kehu show hzkj` find 杭州科技.
"""

from __future__ import annotations

import unicodedata


def name_key(name: str) -> str:
    """The normalised form under which customer names are unique."""
    return " ".join(unicodedata.normalize("NFKC", name).split()).casefold()


def pinyin_forms(name: str) -> tuple[str, str]:
    """Return (full pinyin, initials) of a name, lower case, letters and digits only.

    Latin letters and digits in the name are kept as they are in both forms, so 深圳ABC电子
    gives ("shenzhenabcdianzi", "szabcdz").
    """
    from pypinyin import Style, lazy_pinyin  # imported here: loading its dictionaries is slow

    key = name_key(name)
    syllables = lazy_pinyin(key, style=Style.NORMAL, errors=lambda chars: list(chars))
    full_parts: list[str] = []
    initial_parts: list[str] = []
    for syllable in syllables:
        word = "".join(ch for ch in syllable if ch.isascii() and ch.isalnum())
        if not word:
            continue
        full_parts.append(word)
        # A Latin word keeps all its letters among the initials: "ABC" stays "abc".
        initial_parts.append(word[0] if _is_chinese_syllable(syllable, key) else word)
    return "".join(full_parts), "".join(initial_parts)


def _is_chinese_syllable(syllable: str, key: str) -> bool:
    # lazy_pinyin returns non-Chinese runs unchanged; a syllable that occurs verbatim in the key
    # (ascii) came from Latin text, everything else was converted from a Chinese character.
    return not (syllable.isascii() and syllable in key)


def looks_like_pinyin(text: str) -> bool:
    return text.isascii() and text.replace(" ", "").isalnum()
