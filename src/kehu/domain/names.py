"""Customer names: the key that makes two spellings the same name, and the pinyin to find them by.

杭州科技 and "杭州科技 " and full-width ＡＢＣ vs ABC are one customer: the key is the NFKC form,
trimmed, inner white space collapsed, case folded, characters that show nothing dropped. Pinyin
(full and initials, without tones or separators) lets `kehu show hzkj` find 杭州科技.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata

# Format characters that show nothing: the soft hyphen, zero-width spaces and joiners (U+200B-D),
# bidi marks, overrides and isolates, the word joiner and invisible operators (U+2060-4), the BOM
# (U+FEFF), the Mongolian vowel separator, the Arabic letter mark and tag characters. 杭州科技 with
# one inside looks like 杭州科技 but would be another customer: names refuse them
# (kehu.domain.values) and name_key drops them, so what is typed finds what is stored.
INVISIBLE = (
    "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\U000e0000-\U000e007f"
)
_INVISIBLE = re.compile(f"[{INVISIBLE}]")


def name_key(name: str) -> str:
    """The normalised form under which customer names are unique."""
    if not name.isascii():  # the check is all in C; most names need no more
        name = _INVISIBLE.sub("", name)
    return " ".join(unicodedata.normalize("NFKC", name).split()).casefold()


def pinyin_forms(name: str) -> tuple[str, str]:
    """Return (full pinyin, initials) of a name, lower case, letters and digits only.

    Latin letters and digits in the name are kept as they are in both forms, so 深圳ABC电子
    gives ("shenzhenabcdianzi", "szabcdz"). A character with several readings takes the one
    of the word it is in (重庆 chongqing, 长沙 changsha, 厦门 xiamen), as pypinyin would.
    """
    readings, in_words = _pinyin_tables()
    full_parts: list[str] = []
    initial_parts: list[str] = []
    latin = ""
    key = name_key(name)
    for i, ch in enumerate(key):
        syllable = readings.get(ch)
        if syllable is None:
            if ch.isascii() and ch.isalnum():
                latin += ch  # a Latin word keeps all its letters among the initials: "ABC" stays "abc"
            continue
        if latin:
            full_parts.append(latin)
            initial_parts.append(latin)
            latin = ""
        words = in_words.get(ch)
        if words:
            # The words it can be part of, longest first (a slice running off either end of the
            # key comes out short or empty, and no word matches it).
            for word in (key[i - 2 : i + 1], key[i - 1 : i + 2], key[i : i + 3],
                         key[i - 1 : i + 1], key[i : i + 2]):  # fmt: skip
                if word in words:
                    syllable = words[word]
                    break
        full_parts.append(syllable)
        initial_parts.append(syllable[0])
    if latin:
        full_parts.append(latin)
        initial_parts.append(latin)
    return "".join(full_parts), "".join(initial_parts)


def load_pinyin() -> None:
    """Load the pinyin lookups now (15 ms from the cache, 1 s to build them): callers do it before
    they take the database's write lock, which every other kehu process is waiting for meanwhile."""
    _pinyin_tables()


PinyinTables = tuple[dict[str, str], dict[str, dict[str, str]]]


@functools.cache
def _pinyin_tables() -> PinyinTables:
    """The lookups of _build_pinyin_tables, kept in kehu's cache directory between processes:
    building them imports pypinyin's 60 MB of dictionaries, 1 s of every `kehu add` (issue 13);
    reading them back takes 15 ms. The file is named after the dictionaries it came from, so a
    new pypinyin builds a new one; one that cannot be read or written is simply built again."""
    import marshal

    cache = _pinyin_cache_file()
    if cache is not None:
        try:
            readings, in_words = marshal.loads(cache.read_bytes())
            if isinstance(readings, dict) and isinstance(in_words, dict):
                return readings, in_words
        except (OSError, EOFError, ValueError, TypeError):
            pass
    tables = _build_pinyin_tables()
    if cache is not None:
        _write_quietly(cache, marshal.dumps(tables))
    return tables


def _pinyin_cache_file():
    """The cache file for the installed pypinyin's dictionaries (None: pypinyin not found)."""
    import importlib.util
    import zlib
    from pathlib import Path

    from kehu.config import cache_dir

    spec = importlib.util.find_spec("pypinyin")
    if spec is None or spec.origin is None:
        return None
    package = Path(spec.origin).parent
    try:
        stamps = [
            (f.stat().st_size, f.stat().st_mtime_ns)
            for f in (package / "pinyin_dict.py", package / "phrases_dict.py")
        ]
    except OSError:
        return None
    version = zlib.crc32(repr((_TABLES_FORMAT, stamps)).encode())
    return cache_dir() / f"pinyin-{version:08x}.marshal"


_TABLES_FORMAT = 1  # raise when _build_pinyin_tables changes what it returns


def _write_quietly(path, data: bytes) -> None:
    """Write `path` whole or not at all (another process may be reading or writing it too)."""
    import os
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".pinyin-")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError:
        pass  # a read-only home: build the tables each time, as before there was a cache


def _build_pinyin_tables() -> PinyinTables:
    """pypinyin's data as two lookups: each Chinese character's usual reading (toneless), and
    for a character with several, its reading in each two- or three-character word of pypinyin's
    phrase dictionary.

    pypinyin's own converter segments each name and runs every syllable through its tone
    styles: 0.2 ms a name, 20 s for an import of 100,000 customers. These lookups give the same
    syllables (tests/domain/test_names.py compares them) in about 2 µs a name.
    """
    from pypinyin.phrases_dict import phrases_dict
    from pypinyin.pinyin_dict import pinyin_dict

    readings: dict[str, str] = {}
    several: set[str] = set()
    for code, text in pinyin_dict.items():
        toneless = list(dict.fromkeys(_toneless(r) for r in text.split(",")))
        readings[chr(code)] = toneless[0]
        if len(toneless) > 1:
            several.add(chr(code))
    in_words: dict[str, dict[str, str]] = {}
    for word, syllables in phrases_dict.items():
        if len(word) not in (2, 3):
            continue
        for ch, options in zip(word, syllables, strict=False):
            if ch in several:  # every word, also those with the usual reading: 天朝 before 朝阳
                in_words.setdefault(ch, {})[word] = _toneless(options[0])
    # The dictionaries take 60 MB; what is kept of them is a small part. Let them go.
    for module in ("pypinyin.phrases_dict", "pypinyin.pinyin_dict"):
        sys.modules.pop(module, None)
    return readings, in_words


def _toneless(syllable: str) -> str:
    # ǜ → v, as pypinyin's NORMAL style writes it (lv for 绿); other marks dropped.
    decomposed = unicodedata.normalize("NFD", syllable).replace("u\u0308", "v")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def looks_like_pinyin(text: str) -> bool:
    return text.isascii() and text.replace(" ", "").isalnum()


# Legal forms that do not tell two companies apart (杭州海纳科技 is 杭州海纳科技有限公司): dropped
# from the end of a name, longest first, again and again (…集团有限公司, Acme Co., Ltd.). Latin
# ones only as whole words: "Costco" keeps its "co".
_LEGAL_FORMS_CJK = tuple(sorted((
    "股份有限公司", "有限责任公司", "集团有限公司", "集团股份有限公司", "有限公司", "股份公司",
    "集团公司", "分公司", "公司", "集团", "有限",
), key=len, reverse=True))  # fmt: skip
_LEGAL_FORMS_LATIN = re.compile(
    r"(?:^|[^0-9a-z])(?:co|company|ltd|limited|inc|incorporated|llc|corp|corporation|gmbh|plc|ag|"
    r"holdings?|group)$"
)
_CHINA = re.compile(r"\(中国\)|中国\)|\(中国")  # (中国) / （中国） after NFKC, anywhere in the name


def similarity_key(name: str) -> str:
    """The name as it is told apart from other companies': name_key without legal forms
    (有限公司, 集团, (中国), Co., Ltd., Inc., GmbH …), spaces and punctuation. Two cards with
    the same similarity key are most likely one customer typed twice."""
    key = _CHINA.sub("", name_key(name))
    while True:
        stripped = _TRAILING.sub("", key)
        for form in _LEGAL_FORMS_CJK:
            if stripped.endswith(form) and len(stripped) > len(form):
                stripped = stripped[: -len(form)]
                break
        else:
            match = _LEGAL_FORMS_LATIN.search(stripped)
            if match and match.start() > 0:
                stripped = stripped[: match.start() + (0 if stripped[match.start()].isalnum() else 1)]
        if stripped == key:
            break
        key = stripped
    return _NOT_WORD.sub("", key)


_TRAILING = re.compile(r"[\W_]+$")
_NOT_WORD = re.compile(r"[\W_]+")


def in_order(letters: str, text: str) -> bool:
    """Whether the letters appear in the text in this order, gaps allowed (hzkj in hzhnkj)."""
    rest = iter(text)
    return all(letter in rest for letter in letters)


def likeness(typed: str, other: str) -> float:
    """How alike a typed name is to another, 0 to 1: the better of the two compared whole and
    the typed text (from four characters on) against the stretch of the other of its length it
    is most like. A typo in the short name a person types is still like the long name on the
    card: 苏州恒端 is 0.5 like 苏州恒瑞精密机械 as a whole but 0.75 like its 苏州恒瑞."""
    from difflib import SequenceMatcher

    if not typed or not other:
        return 0.0
    matcher = SequenceMatcher(None, "", typed)  # the typed text kept as b: its index is made once
    matcher.set_seq1(other)
    best = matcher.ratio()
    size = len(typed)
    if size >= 4:
        for start in range(len(other) - size + 1):
            matcher.set_seq1(other[start : start + size])
            best = max(best, matcher.ratio())
    return best
