"""Every malformed file of the corpus (tests/faults/malformed.py) through the real `kehu import`.

For each file: the exit code is one the case documents; no traceback and no "internal error";
a refusal is one line first (`kehu: …`, bounded, nothing a terminal would obey) that says what is
wrong, details may follow; stdout stays empty; and the database is byte-identical afterwards. The
book is checkpointed before the attempt (no -wal file), so the main file's bytes are the whole of
it, and they are compared together with any -wal file and an SQL dump.

Most cases run in-process; standard input and a few large files run as a real process; a sample
runs again in Chinese.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kehu.cli.app import app
from tests.conftest import TODAY, Result
from tests.faults.malformed import (
    CASES,
    CASES_BY_ID,
    MEGABYTE,
    Case,
    CommandOnce,
    Snapshot,
    build_corpus,
    make_book,
    place,
)

# Also through a real process: standard input as a pipe of bytes, and reading 10 MB from disk.
IN_A_PROCESS = ("stdin_bad_rows", "stdin_binary", "field_of_10_mb")
# A Chinese run of a sample: refusals of every kind (decoding, header, rows, plan, not a file).
IN_CHINESE = (
    "empty", "bom_only", "unknown_column", "alias_collision_zh_en", "rows_longer_than_header",
    "unclosed_quote_last_line", "utf16le_without_bom", "mixed_utf8_then_gb18030", "random_bytes",
    "xlsx_workbook", "columns_100k_unknown", "bom_in_the_middle", "bad_grade", "thirty_bad_rows",
    "escape_sequence_in_bad_email", "contacts_customer_not_in_book", "touches_in_the_future",
    "directory", "nonexistent_file", "stdin_bad_rows", "delimiter_too_long",
)  # fmt: skip
MAX_FIRST_LINE = 400
MAX_DETAIL_LINES = 21  # MAX_ERRORS_SHOWN rows and "… and N more"
# Anything a terminal would act on: C0 controls but the line feed, DEL, C1, bidi controls.
UNSAFE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module", autouse=True)
def _command_built_once():
    with pytest.MonkeyPatch.context() as patch:
        CommandOnce.patch(patch)
        yield


@pytest.fixture(scope="module")
def book_bytes(tmp_path_factory) -> bytes:
    return make_book(tmp_path_factory.mktemp("book"), TODAY)


@pytest.fixture
def kehu(db_path: Path):
    """The conftest `kehu` with stderr as a terminal gets it: Click's echo strips ANSI codes
    from what it prints only when the stream is not a terminal, which would hide them here."""
    runner = CliRunner()

    def run(*args: str, input: bytes | None = None, env: dict | None = None) -> Result:
        result = runner.invoke(app, ["--db", str(db_path), "--today", TODAY, *args], input=input, env=env,
                               color=True)  # fmt: skip
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Result(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def book(db_path: Path, book_bytes: bytes) -> Snapshot:
    """The seeded book at db_path, as kehu left it after its last command (checkpointed)."""
    db_path.write_bytes(book_bytes)
    return Snapshot.of(db_path)


def params(cases) -> list:
    marks = {c.id: [pytest.mark.xfail(strict=True, reason=c.xfail)] if c.xfail else [] for c in CASES}
    return [pytest.param(CASES_BY_ID[c] if isinstance(c, str) else c, id=getattr(c, "id", c),
                         marks=marks[getattr(c, "id", c)]) for c in cases]  # fmt: skip


def run(case: Case, directory: Path, kehu, kehu_process, *, process: bool, env: dict | None = None):
    """(exit code, stdout, stderr) of `kehu import KIND FILE ARGS` for the case."""
    target = place(case, directory)
    argv = ("import", case.kind, target, *case.args)
    data = case.make() if case.target == "stdin" and case.make else b""
    if process:
        done = kehu_process(*argv, input=data, env=env)
        return done.returncode, done.stdout.decode(), done.stderr.decode()
    result = kehu(*argv, input=data, env=env)
    return result.exit_code, result.stdout, result.stderr


def assert_outcome(case: Case, code: int, stdout: str, stderr: str, *, english: bool = True) -> None:
    assert code in case.codes, f"exit {code}, expected one of {sorted(case.codes)}\n{stderr[:2000]}"
    assert "Traceback" not in stderr
    assert "internal error" not in stderr and "内部错误" not in stderr, stderr[:2000]
    if code == 0:
        if english and case.added is not None:
            assert f": {case.added} added," in stderr, stderr
        return
    assert stdout == "", "a refused import printed data"
    lines = stderr.split("\n")
    first = lines[0]
    assert first.startswith("kehu: ") and len(first) > len("kehu: ") + 2, stderr[:2000]
    assert len(first) <= MAX_FIRST_LINE, f"first line of {len(first)} characters: {first[:200]}…"
    assert stderr.endswith("\n") and len(lines) - 2 <= MAX_DETAIL_LINES, f"{len(lines)} lines"
    assert all(len(line) <= MAX_FIRST_LINE for line in lines), "a detail line is not bounded"
    assert not UNSAFE.search(stderr), f"a control character reached stderr: {stderr[:500]!r}"
    if english:
        for word in case.mentions:
            assert word.casefold() in stderr.casefold(), f"{word!r} not in:\n{stderr[:2000]}"


@pytest.mark.parametrize("case", params(CASES))
def test_a_malformed_file_is_refused_cleanly_or_read(case, tmp_path, book, db_path, kehu, kehu_process):
    code, stdout, stderr = run(case, tmp_path, kehu, kehu_process, process=False)
    assert_outcome(case, code, stdout, stderr)
    if code != 0:
        assert book.differences(Snapshot.of(db_path)) == []
    else:
        check = kehu("check")
        assert check.exit_code == 0, check.stderr


@pytest.mark.parametrize("case", params(IN_A_PROCESS))
def test_big_files_in_a_real_process(case, tmp_path, book, db_path, kehu, kehu_process):
    code, stdout, stderr = run(case, tmp_path, kehu, kehu_process, process=True)
    assert_outcome(case, code, stdout, stderr)
    assert code == 0 or book.differences(Snapshot.of(db_path)) == []


@pytest.mark.parametrize("case", params(IN_CHINESE))
def test_refusals_in_chinese_are_one_line_first(case, tmp_path, book, db_path, kehu, kehu_process):
    code, stdout, stderr = run(case, tmp_path, kehu, kehu_process, process=False, env={"KEHU_LANG": "zh_CN"})
    assert_outcome(case, code, stdout, stderr, english=False)
    assert code != 0 and book.differences(Snapshot.of(db_path)) == []


def test_the_corpus_is_big_enough_and_small_enough(tmp_path):
    files = build_corpus(tmp_path)
    kinds = {case.kind for case in CASES}
    assert len(files) >= 50 and kinds == {"customers", "contacts", "touches"}
    size = sum(path.stat().st_size for path in files.values() if path.is_file())
    assert size <= 20 * MEGABYTE, f"{size / MEGABYTE:.1f} MB"
    refused = [c for c in CASES if c.codes == {65}]
    assert len(refused) >= 50, "at least 50 files that must be refused"
