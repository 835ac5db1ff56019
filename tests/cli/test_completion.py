"""Shell completion through Click's real protocol (issue 14): `kehu` run as bash runs it on a
tab press (_KEHU_COMPLETE=complete_bash, COMP_WORDS, COMP_CWORD), in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ok


def complete(words: str, *, db: str | None, env: dict | None = None) -> subprocess.CompletedProcess:
    """What bash gets back for the command line `words` (a trailing space: a new word begun)."""
    parts = words.split()
    cword = len(parts) if words.endswith(" ") else len(parts) - 1
    protocol = {"_KEHU_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
    full_env = {**os.environ, **protocol, **(env or {})}
    if db is not None:
        full_env["KEHU_DB"] = db
    code = "import sys; from kehu.cli.app import main; sys.argv[0] = 'kehu'; main()"
    command = [sys.executable, "-c", code]
    return subprocess.run(command, capture_output=True, text=True, env=full_env, timeout=60)


def offered(words: str, *, db: str | None, env: dict | None = None) -> list[str]:
    result = complete(words, db=db, env=env)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return [line for line in result.stdout.splitlines() if line]


@pytest.fixture
def book(kehu, target_db):
    for name in ("杭州海纳科技有限公司", "杭州科技城", "Acme Trading", "北京旧客户"):
        ok(kehu("add", name, "--force"))
    ok(kehu("archive", "北京旧客户"))
    return target_db


def test_customer_completes_by_name_and_by_pinyin_to_the_name(book):
    assert offered("kehu show 杭州", db=book) == ["杭州海纳科技有限公司", "杭州科技城"]
    assert offered("kehu show hzh", db=book) == ["杭州海纳科技有限公司"]  # initials
    assert offered("kehu show hangzhouk", db=book) == ["杭州科技城"]  # full pinyin
    assert offered("kehu show ac", db=book) == ["'Acme Trading'"]  # quoted: see below
    assert offered("kehu log hzk", db=book) == ["杭州科技城"]  # every CUSTOMER argument


def test_customer_completion_leaves_archived_cards_out(book):
    assert offered("kehu show 北京", db=book) == []
    assert "北京旧客户" not in offered("kehu show ", db=book)


def test_no_book_no_candidates_and_no_book_created(tmp_path: Path):
    missing = tmp_path / "missing.db"
    assert offered("kehu show hz", db=str(missing)) == []
    assert not missing.exists()


def test_a_book_that_cannot_be_read_gives_no_candidates_and_no_traceback(tmp_path: Path):
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"not a database at all" * 100)
    assert offered("kehu show hz", db=str(broken)) == []


def test_followups_views_in_both_languages(tmp_path: Path):
    db = str(tmp_path / "none.db")
    views = ["today", "tomorrow", "week", "overdue", "今天", "明天", "本周", "逾期"]
    assert offered("kehu followups ", db=db) == views
    assert offered("kehu followups t", db=db) == ["today", "tomorrow"]
    assert offered("kehu followups 逾", db=db) == ["逾期"]


def test_vocabulary_options_offer_their_words(tmp_path: Path):
    db = str(tmp_path / "none.db")
    assert offered("kehu add 某公司 --grade ", db=db) == ["A", "B", "C", "D", "E"]
    assert "展会" in offered("kehu add 某公司 --source ", db=db)
    assert offered("kehu add 某公司 --source 展", db=db) == ["展会"]
    assert offered("kehu edit 某公司 --source tr", db=db) == ["trade_show"]  # the code: no space to break
    assert offered("kehu grade 某公司 ", db=db) == ["A", "B", "C", "D", "E"]  # a WordType argument


def test_channels_and_stages_complete(book):
    assert "电话" in offered("kehu log 杭州科技城 --channel ", db=book)
    assert offered("kehu log 杭州科技城 --channel ph", db=book) == ["phone"]
    assert offered("kehu touch edit 1 --channel 微", db=book) == ["微信"]
    stages = offered("kehu advance 杭州科技城 ", db=book)
    assert "建立信任" in stages and len(stages) >= 12  # the book's pipeline, Chinese and English
    assert not any(" " in stage for stage in stages)  # bash would split a name with a space


def test_a_name_with_spaces_comes_quoted_for_bash(book):
    assert offered("kehu show ac", db=book) == ["'Acme Trading'"]


def test_optional_customer_arguments_complete_too(book):
    lists = ("contract list", "contact list", "plan list", "grade suggest")
    for words in (f"kehu {command} hzh" for command in lists):
        assert offered(words, db=book) == ["杭州海纳科技有限公司"], words
