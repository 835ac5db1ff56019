"""A corpus of malformed import files, built in a temporary directory (no binary file is committed).

Each Case names the import it feeds (customers, contacts or touches), how its bytes are made, and
the exit codes a demanding user may expect: {65} when the file must be refused (nothing written),
{0} when it is a valid file after all, and {0, 65} only where kehu cannot know (a file in
Shift-JIS or Latin-1 can also be valid GB18030, byte for byte). `mentions` are words the message
must contain (English, compared case-insensitively) so that the user learns what is wrong, not
only that something is.

The database the files are imported into already holds one customer, 杭州海纳, with one contact,
张伟 (see SEED), so that contacts and touches have someone to belong to.

    python -m tests.faults.malformed /tmp/corpus   # writes every case's file, to look at them
"""

from __future__ import annotations

import codecs
import io
import random
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

OK = frozenset({0})
DATA = frozenset({65})
AMBIGUOUS = frozenset({0, 65})
USAGE = frozenset({2})
NO_INPUT = frozenset({66})

SEED_CUSTOMER = "杭州海纳"
SEED_CONTACT = "张伟"
# (args) run in order on a new database before each case: the book the files are imported into.
SEED: tuple[tuple[str, ...], ...] = (
    ("add", SEED_CUSTOMER, "--grade", "B"),
    ("contact", "add", SEED_CUSTOMER, SEED_CONTACT, "--title", "采购经理"),
)
MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class Case:
    id: str
    kind: str  # customers | contacts | touches
    make: Callable[[], bytes] | None  # the file's bytes (None: `target` says what is passed)
    codes: frozenset[int]
    mentions: tuple[str, ...] = ()  # each must appear in stderr (case-insensitive) when refused
    args: tuple[str, ...] = ()  # options after the file
    filename: str = "in.csv"
    target: str = "file"  # file | directory | missing | stdin
    added: int | None = None  # on exit 0: what the summary must say was added
    xfail: str = ""  # a known bug outside the import reader (see the reason)
    note: str = ""  # why these codes, when not obvious


def text(s: str, encoding: str = "utf-8") -> Callable[[], bytes]:
    return lambda: s.encode(encoding)


def raw(data: bytes) -> Callable[[], bytes]:
    return lambda: data


def _random_bytes(seed: int, size: int, *, nul: bool = True) -> Callable[[], bytes]:
    def make() -> bytes:
        data = random.Random(seed).randbytes(size)
        return data if nul else data.replace(b"\0", b"\1")

    return make


def _xlsx() -> bytes:
    """A minimal .xlsx (a ZIP of XML parts): what a salesperson passes instead of its CSV."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        book.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
        book.writestr("xl/worksheets/sheet1.xml", "<worksheet><sheetData/></worksheet>")
    return buffer.getvalue()


def _png() -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02" + bytes(64)


def _elf() -> bytes:
    return b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00\x3e\x00" + random.Random(3).randbytes(400)


def _ole2() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(24) + random.Random(4).randbytes(480)


def _pdf() -> bytes:
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(16)


def _huge_field() -> bytes:
    return b'name,notes\nA,"' + b"x" * (10 * MEGABYTE) + b'"\n'


def _wide(cells: Callable[[int], str], rows: tuple[str, ...] = ()) -> Callable[[], bytes]:
    def make() -> bytes:
        header = ",".join(cells(i) for i in range(100_000))
        return "\n".join([header, *rows, ""]).encode()

    return make


def _many_rows_one_bad() -> bytes:
    lines = ["客户名称,客户等级"] + [f"客户{i:05d},B" for i in range(5000)] + ["最后一家,Z"]
    return ("\n".join(lines) + "\n").encode()


def _thirty_bad_rows() -> bytes:
    return ("name,grade\n" + "".join(f"客户{i},Q\n" for i in range(30))).encode()


CUSTOMERS_OK = "客户名称,客户等级,行业\n上海明远,A,软件\n"

CASES: tuple[Case, ...] = (
    # --- nothing in it -------------------------------------------------------------------------
    Case("empty", "customers", raw(b""), DATA, ("empty",)),
    Case("bom_only", "customers", raw(codecs.BOM_UTF8), DATA, ("empty",)),
    Case("blank_lines_only", "customers", raw(b"\n\r\n\n"), DATA, ("missing column",),
         note="an empty header line: the name column is missing"),
    Case("blank_header_cells", "customers", raw(b" , ,\nA,B,C\n"), DATA, ("missing column",)),
    Case("header_only", "customers", text("客户名称,客户等级\n"), OK, added=0),
    Case("header_only_no_newline", "customers", text("name,grade"), OK, added=0),
    Case("header_only_bom_crlf", "customers", raw(codecs.BOM_UTF8 + "客户名称\r\n".encode()), OK, added=0),
    # --- headers -------------------------------------------------------------------------------
    Case("missing_required_column", "customers", text("客户等级,行业\nA,软件\n"), DATA, ("missing column",)),
    Case("unknown_column", "customers", text("客户名称,微信群\n上海明远,销售群\n"), DATA,
         ("unknown column", "--ignore-extra")),
    Case("unknown_column_ignored", "customers", text("客户名称,微信群\n上海明远,销售群\n"), OK,
         args=("--ignore-extra",), added=1),
    Case("duplicate_headers", "customers", text("name,name\nA,B\n"), DATA, ("same field",)),
    Case("alias_collision_zh_en", "customers", text("客户名称,name\n上海明远,上海明远\n"), DATA,
         ("same field",)),
    Case("alias_collision_aliases", "customers", text("客户,公司名称\n上海明远,上海明远\n"), DATA,
         ("same field",)),
    Case("alias_collision_full_width", "customers", text("name,ＮＡＭＥ\nA,B\n"), DATA, ("same field",)),
    Case("header_cell_with_line_break", "customers", text('"客户\n名称",客户等级\n上海明远,A\n'), OK, added=1,
         note="Alt+Enter in an Excel header cell: white space is folded away, as in 客户 名称"),
    Case("header_with_escape_sequence", "customers", text("name,\x1b[31mred\x1b]0;title\x07\nA,x\n"), DATA,
         ("unknown column",)),
    Case("value_under_empty_header", "customers", text("name,\nA,x\n"), DATA, ("no header",)),
    Case("semicolon_delimited", "customers", text("客户名称;客户等级\n上海明远;A\n"), DATA,
         ("unknown column",), note="European Excel; --delimiter ';' reads it"),
    Case("semicolon_with_delimiter_option", "customers", text("客户名称;客户等级\n上海明远;A\n"), OK,
         args=("--delimiter", ";"), added=1),
    Case("tsv_named_csv", "customers", text("客户名称\t客户等级\n上海明远\tA\n"), OK, added=1),
    Case("delimiter_too_long", "customers", text(CUSTOMERS_OK), USAGE, ("--delimiter",),
         args=("--delimiter", "ab")),
    # --- shape ---------------------------------------------------------------------------------
    Case("rows_longer_than_header", "customers", text("name,grade\nA,B,C\nD,E,F,G\n"), DATA,
         ("2 bad rows", "line 2", "3 cells but 2 columns", "line 3")),
    Case("rows_shorter_than_header", "customers", text("name,grade,industry\nA\nB,C\n"), OK, added=2,
         note="missing trailing cells are empty cells, as Excel and hand edits leave them"),
    Case("row_of_100k_cells", "customers", lambda: b"name,grade\nA" + b",B" * 99_999 + b"\n", DATA,
         ("100000 cells but 2 columns",)),
    Case("columns_100k_unknown", "customers", _wide(lambda i: f"c{i}", ("x,",)), DATA,
         ("missing column", "unknown column", "more")),
    Case("columns_100k_unknown_ignored", "customers", _wide(lambda i: "name" if i == 0 else f"c{i}",
         ("A,",)), OK, args=("--ignore-extra",), added=1),  # fmt: skip
    Case("columns_100k_empty_headers", "customers", _wide(lambda i: "name" if i == 0 else "", ("A",)),
         OK, added=1),
    Case("columns_100k_same_field", "customers", _wide(lambda i: "name"), DATA, ("same field", "more")),
    Case("trailing_blank_and_comma_rows", "customers", text("name,grade\nA,B\n\n,\n , \n"), OK, added=1),
    # --- quoting and line ends -----------------------------------------------------------------
    Case("unclosed_quote_last_line", "customers", text('name,notes\nA,ok\nB,"never closed\n'), DATA,
         ("line 3", "malformed")),
    Case("unclosed_quote_swallows_rest", "customers", text('name,notes\nA,"open\nB,x\nC,y\n'), DATA,
         ("line 2", "malformed")),
    Case("text_after_closing_quote", "customers", text('name,grade\n"杭州"海纳,A\n'), DATA,
         ("line 2", "malformed")),
    Case("quote_inside_unquoted_cell", "customers", text('name,grade\n上海"明远,A\n'), OK, added=1,
         note='a lone " inside a cell is the character itself'),
    Case("cr_only_line_ends", "customers", text("name,grade\rA,B\rC,D\r"), OK, added=2,
         note="old Mac Excel"),
    Case("mixed_line_ends", "customers", text("name,grade\r\nA,B\nC,D\rE,A\r\n"), OK, added=3),
    Case("crlf_inside_quoted_cell", "customers", text('name,notes\r\nA,"one\r\ntwo"\r\n'), OK, added=1),
    Case("bom_in_the_middle", "customers", text("\ufeff客户名称\n上海明远\n\ufeff客户名称\n北京华信\n"), DATA,
         ("line 3", "byte-order mark"), note="two files joined: the second header must not become a card"),
    # --- encodings -----------------------------------------------------------------------------
    Case("latin1_undecodable", "customers", text("name,notes\nCafé Müller,é, à\n", "latin-1"), DATA,
         ("decode", "--encoding")),
    Case("latin1_forced", "customers", text("name,notes\nCafé Müller,é à\n", "latin-1"), OK,
         args=("--encoding", "latin-1"), added=1),
    Case("latin1_reads_as_gb18030", "customers", text("name\nSociété Générale\n", "latin-1"), AMBIGUOUS,
         note="QUESTIONABLE: these bytes are also valid GB18030, so kehu imports mojibake (exit 0)"),
    Case("shift_jis", "customers", text("name,notes\n株式会社トヨタ自動車,東京都港区\n", "shift_jis"),
         AMBIGUOUS, note="QUESTIONABLE: Shift-JIS bytes are valid GB18030; mojibake is imported (exit 0)"),
    Case("utf16le_without_bom", "customers", text("客户名称,客户等级\n上海明远,A\n", "utf-16-le"), DATA,
         ("utf-16",)),
    Case("utf16be_without_bom", "customers", text("name,grade\nA,B\n", "utf-16-be"), DATA, ("utf-16",)),
    Case("utf16le_forced", "customers", text("客户名称,客户等级\n上海明远,A\n", "utf-16-le"), OK,
         args=("--encoding", "utf-16-le"), added=1),
    Case("utf16_bom_excel_unicode_text", "customers", text("客户名称\t客户等级\r\n上海明远\tA\r\n", "utf-16"),
         OK, filename="客户.txt", added=1),
    Case("utf32_with_bom", "customers", text("name\nA\n", "utf-32"), DATA, ("nul",)),
    Case("mixed_utf8_then_gb18030", "customers", lambda: "客户名称,客户等级\n上海明远,A\n".encode()
         + "北京华信,B\n".encode("gb18030"), DATA, ("mixes encodings", "line 3")),  # fmt: skip
    Case("mixed_gb18030_then_utf8", "customers", lambda: "name,grade\n上海明远,A\n".encode("gb18030")
         + "北京华信,B\n".encode(), DATA, ("mixes encodings", "line 2")),  # fmt: skip
    Case("mixed_utf8_bom_then_gb18030", "customers", lambda: codecs.BOM_UTF8
         + "客户名称\n上海明远\n".encode() + "北京华信\n".encode("gb18030"), DATA,
         ("mixes encodings",)),  # fmt: skip
    Case("utf8_encoded_surrogate", "customers", raw(b"name\nab\xed\xa0\x80cd\n"), DATA, ("decode",)),
    Case("overlong_utf8", "customers", raw(b"name\nab\xc0\xafcd\n"), AMBIGUOUS,
         note="C0 AF is not UTF-8 but is one GB18030 character: unavoidable"),
    Case("unknown_encoding", "customers", text(CUSTOMERS_OK), USAGE, ("unknown encoding",),
         args=("--encoding", "klingon")),
    Case("not_a_text_encoding", "customers", text(CUSTOMERS_OK), USAGE, ("encoding",),
         args=("--encoding", "base64"), note="was an internal error (LookupError)"),
    # --- not text at all -----------------------------------------------------------------------
    Case("nul_in_the_middle", "customers", raw(b"name,grade\nA\x00B,C\nD,E\n"), DATA, ("nul",)),
    Case("nul_in_header", "customers", raw(b"na\x00me\nA\n"), DATA, ("nul",)),
    Case("random_bytes", "customers", _random_bytes(1, 4096), DATA),
    Case("random_bytes_without_nul", "customers", _random_bytes(7, 4000, nul=False), DATA, ("decode",)),
    Case("png_image", "customers", _png, DATA, ("nul",)),
    Case("xlsx_workbook", "customers", _xlsx, DATA, ("excel",), filename="客户.xlsx"),
    Case("xls_workbook", "customers", _ole2, DATA, ("excel",), filename="客户.xls"),
    Case("elf_binary", "customers", _elf, DATA),
    Case("pdf_document", "customers", _pdf, DATA),
    # --- big -----------------------------------------------------------------------------------
    Case("field_of_10_mb", "customers", _huge_field, DATA, ("line 2",)),
    Case("notes_over_10000_chars", "customers", lambda: b"name,notes\nA," + b"y" * 20_000 + b"\n", DATA,
         ("longer than 10000",)),
    Case("name_over_200_chars", "customers", lambda: ("name\n" + "长" * 201 + "\n").encode(), DATA,
         ("longer than 200",)),
    Case("thirty_bad_rows", "customers", _thirty_bad_rows, DATA, ("30 bad rows", "and 10 more")),
    Case("5000_rows_one_bad_at_the_end", "customers", _many_rows_one_bad, DATA, ("1 bad row", "line 5002")),
    # --- bad values ----------------------------------------------------------------------------
    Case("bad_grade", "customers", text("name,grade\nA,Z\n"), DATA, ("line 2", "grade", "'z'")),
    Case("bad_date_feb_30", "customers", text("name,预计成交日期\nA,2026-02-30\n"), DATA, ("2026-02-30",)),
    Case("relative_date_in_file", "customers", text("name,预计成交日期\nA,明天\n"), DATA, ("full year",)),
    Case("date_year_zero", "customers", text("name,expected close\nA,0000-01-01\n"), DATA, ("0000-01-01",)),
    Case("money_in_words", "customers", text("name,预计成交额\nA,一百万\n"), DATA, ("amount",)),
    Case("money_three_decimals", "customers", text("name,预计成交额\nA,1.234\n"), DATA, ("decimal",)),
    Case("money_negative", "customers", text("name,revenue\nA,-5\n"), DATA, ("amount",)),
    Case("money_too_large", "customers", text("name,revenue\nA,99999999亿\n"), DATA, ("too large",)),
    Case("bad_email", "customers", text("name,email\nA,not-an-address\n"), DATA, ("e-mail",)),
    Case("bad_employee_count", "customers", text("name,员工人数\nA,很多\n"), DATA, ("whole number",)),
    Case("bad_id", "customers", text("id,name\nabc,A\n"), DATA, ("whole number",)),
    Case("huge_id", "customers", text("id,name\n99999999999999999999,A\n"), DATA, ("whole number",)),
    Case("bad_timestamp", "customers", text("name,created_at\nA,yesterday-ish\n"), DATA, ("iso",)),
    Case("bad_currency", "customers", text("name,currency\nA,dollars\n"), DATA, ("currency",)),
    Case("escape_sequence_in_name", "customers", text("name\nA\x1b[31mB\n"), DATA, ("control",)),
    Case("escape_sequence_in_bad_email", "customers", text("name,email\nA,\x1b]0;pwned\x07\x1b[2J\n"), DATA,
         ("e-mail",), note="the message quotes the cell: escaped, never sent to the terminal"),
    Case("c1_control_in_name", "customers", text("name\nA\x9b31mB\n"), DATA, ("control",)),
    Case("same_customer_twice", "customers", text("name\n上海明远\n上海明远 \nＡＢＣ\nabc\n"), DATA,
         ("same customer as line 2", "same customer as line 4")),
    Case("existing_customer_on_conflict_error", "customers", text(f"name\n{SEED_CUSTOMER}\n"), DATA,
         ("already exists",), args=("--on-conflict", "error")),
    Case("existing_customer_updated", "customers", text(f"name,grade\n{SEED_CUSTOMER},A\n"), OK, added=0),
    Case("referrer_unknown", "customers", text("name,介绍人\n上海明远,无名氏\n"), DATA, ("not a customer",)),
    Case("referrer_itself", "customers", text("name,referrer\n上海明远,上海明远\n"), DATA, ("refer itself",)),
    Case("formula_and_sql_cells_are_data", "customers",
         text("name,notes\n=1+1,@SUM(A1)\n\"x'; DROP TABLE customer;--\",\"'); --\"\n"), OK, added=2),
    # --- not a file ----------------------------------------------------------------------------
    Case("directory", "customers", None, NO_INPUT, ("directory",), target="directory"),
    Case("nonexistent_file", "customers", None, NO_INPUT, ("no such file",), target="missing"),
    # --- contacts ------------------------------------------------------------------------------
    Case("contacts_valid", "contacts", text(f"客户名称,姓名,职务\n{SEED_CUSTOMER},李娜,财务\n"), OK, added=1),
    Case("contacts_empty", "contacts", raw(b""), DATA, ("empty",)),
    Case("contacts_header_only", "contacts", text("客户名称,姓名\n"), OK, added=0),
    Case("contacts_missing_customer_column", "contacts", text("姓名,职务\n李娜,财务\n"), DATA,
         ("missing column", "客户名称/customer")),
    Case("contacts_alias_collision", "contacts", text("客户,公司,姓名\nA,A,B\n"), DATA, ("same field",)),
    Case("contacts_customer_not_in_book", "contacts", text("客户名称,姓名\n不存在公司,李娜\n"), DATA,
         ("import the customers first",)),
    Case("contacts_two_key_contacts", "contacts",
         text(f"客户名称,姓名,关键联系人\n{SEED_CUSTOMER},李娜,是\n{SEED_CUSTOMER},王强,是\n"), DATA,
         ("second key contact",)),
    Case("contacts_same_contact_twice", "contacts",
         text(f"客户名称,姓名\n{SEED_CUSTOMER},李娜\n{SEED_CUSTOMER},李娜\n"), DATA, ("same contact",)),
    Case("contacts_bad_birthday", "contacts", text(f"客户名称,姓名,生日\n{SEED_CUSTOMER},李娜,13月1日\n"),
         DATA, ("day of the year",)),
    Case("contacts_bad_flag", "contacts", text(f"客户名称,姓名,关键联系人\n{SEED_CUSTOMER},李娜,也许\n"),
         DATA, ("yes or no",)),
    Case("contacts_gb18030", "contacts", text(f"客户名称,姓名\n{SEED_CUSTOMER},李娜\n", "gb18030"), OK,
         added=1),
    Case("contacts_random_bytes", "contacts", _random_bytes(11, 2048), DATA),
    # --- touches -------------------------------------------------------------------------------
    Case("touches_valid", "touches", text(f"客户名称,日期,方式,内容\n{SEED_CUSTOMER},2026-11-20,电话,报价\n"),
         OK, added=1),
    Case("touches_header_only", "touches", text("客户名称,日期,内容\n"), OK, added=0),
    Case("touches_in_the_future", "touches", text(f"客户名称,日期,内容\n{SEED_CUSTOMER},2027-01-01,报价\n"),
         DATA, ("future",)),
    Case("touches_date_without_year", "touches", text(f"客户名称,日期,内容\n{SEED_CUSTOMER},11-20,报价\n"),
         DATA, ("full year",)),
    Case("touches_missing_summary_column", "touches", text(f"客户名称,日期\n{SEED_CUSTOMER},2026-11-20\n"),
         DATA, ("missing column",)),
    Case("touches_empty_summary", "touches", text(f"客户名称,日期,内容\n{SEED_CUSTOMER},2026-11-20,\n"), DATA,
         ("required",)),
    Case("touches_unknown_customer", "touches", text("客户名称,日期,内容\n不存在公司,2026-11-20,报价\n"),
         DATA, ("no customer named",)),
    Case("touches_unknown_contact", "touches",
         text(f"客户名称,日期,联系人,内容\n{SEED_CUSTOMER},2026-11-20,李四,报价\n"), DATA,
         ("no contact named",)),
    Case("touches_bad_channel", "touches",
         text(f"客户名称,日期,方式,内容\n{SEED_CUSTOMER},2026-11-20,飞鸽,报价\n"), DATA, ("unknown value",)),
    Case("touches_duplicate_date_columns", "touches", text("客户名称,日期,跟进日期,内容\n"), DATA,
         ("same field",)),
    Case("touches_nul", "touches", raw(b"customer,date,summary\nA,2026-11-20,x\x00y\n"), DATA, ("nul",)),
    Case("touches_utf16_bom_tsv", "touches",
         text(f"客户名称\t日期\t内容\n{SEED_CUSTOMER}\t2026/11/20\t拜访\n", "utf-16"), OK, added=1),
    # --- standard input (run as a real process) ------------------------------------------------
    Case("stdin_valid", "customers", text(CUSTOMERS_OK), OK, target="stdin", added=1),
    Case("stdin_empty", "customers", raw(b""), DATA, ("empty",), target="stdin"),
    Case("stdin_bad_rows", "customers", text("name,grade\nA,Z\n"), DATA, ("standard input", "line 2"),
         target="stdin"),
    Case("stdin_binary", "contacts", _random_bytes(5, 3000), DATA, target="stdin"),
    Case("stdin_unclosed_quote", "touches", text('客户名称,日期,内容\nA,2026-11-20,"open\n'), DATA,
         ("malformed",), target="stdin"),
)  # fmt: skip

CASES_BY_ID = {case.id: case for case in CASES}
assert len(CASES_BY_ID) == len(CASES), "case ids must be unique"


def place(case: Case, directory: Path) -> str:
    """Write the case's file into `directory`; return what to pass as FILE (`-` for stdin)."""
    if case.target == "directory":
        path = directory / "a_directory.csv"
        path.mkdir(exist_ok=True)
        return str(path)
    if case.target == "missing":
        return str(directory / "no_such_file.csv")
    if case.target == "stdin":
        return "-"
    assert case.make is not None
    path = directory / case.filename
    path.write_bytes(case.make())
    return str(path)


def stdin_bytes(case: Case) -> bytes | None:
    return case.make() if case.target == "stdin" and case.make else None


def build_corpus(directory: Path) -> dict[str, Path]:
    """Every case's file in its own subdirectory of `directory` (stdin cases as their bytes)."""
    written = {}
    for case in CASES:
        folder = directory / case.id
        folder.mkdir(parents=True, exist_ok=True)
        if case.target == "stdin":
            assert case.make is not None
            (folder / "stdin.bin").write_bytes(case.make())
            written[case.id] = folder / "stdin.bin"
        else:
            written[case.id] = Path(place(case, folder))
    return written


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "corpus")
    files = build_corpus(out)
    size = sum(p.stat().st_size for p in files.values() if p.is_file())
    print(f"{len(files)} cases, {size / MEGABYTE:.1f} MB in {out}")


# --- the book the files are imported into, before and after -----------------------------------


def make_book(directory: Path, today: str) -> bytes:
    """The bytes of a new database holding SEED, checkpointed (no -wal file left beside it).

    Runs in-process with the environment pointed into `directory`, so that no developer's
    config, data dir or language leaks in (the autouse fixture does not cover module fixtures).
    """
    import os

    from typer.testing import CliRunner

    from kehu.cli.app import app

    path = directory / "template.db"
    env = {
        "KEHU_CONFIG": str(directory / "config.toml"),
        "XDG_DATA_HOME": str(directory / "data"),
        "XDG_CONFIG_HOME": str(directory / "config"),
        "LANG": "C.UTF-8",
    }
    unset = {v: None for v in ("KEHU_DB", "KEHU_TODAY", "KEHU_LANG", "LC_ALL", "LANGUAGE", "KEHU_DEBUG")}
    runner = CliRunner()
    for args in (*SEED, ("info",)):
        result = runner.invoke(app, ["--db", str(path), "--today", today, *args], env={**env, **unset})
        assert result.exit_code == 0, (args, result.output, result.exception)
    # Every kehu command closes its last connection, which checkpoints and removes the -wal file.
    assert not Path(f"{path}-wal").exists() or os.path.getsize(f"{path}-wal") == 0, "pages left in -wal"
    return path.read_bytes()


@dataclass(frozen=True)
class Snapshot:
    """The database as files: the main file's bytes, the -wal file's (if any), and an SQL dump."""

    main: bytes
    wal: bytes | None
    dump: tuple[str, ...]

    @classmethod
    def of(cls, path: Path) -> Snapshot:
        import sqlite3

        wal_path = Path(f"{path}-wal")
        wal = wal_path.read_bytes() if wal_path.exists() else None
        # immutable=1: reading must not create -wal/-shm files or touch the header; only valid
        # when no -wal holds pages the main file lacks (else the dump is of the main file alone).
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            dump = tuple(connection.iterdump())
        finally:
            connection.close()
        return cls(path.read_bytes(), wal or None, dump)

    def differences(self, other: Snapshot) -> list[str]:
        found = []
        if self.wal != other.wal:
            found.append("the -wal file changed (uncheckpointed writes)")
        if self.dump != other.dump:
            changed = sorted(set(self.dump) ^ set(other.dump))
            found.append(f"the SQL dump changed: {changed[:5]}")
        if self.main != other.main:
            found.append("the database file's bytes changed")
        return found


class CommandOnce:
    """Build Typer's Click command tree once instead of on every CliRunner.invoke.

    Typer rebuilds the whole tree (every command's signature and annotations) per invoke: some
    60 ms, most of an in-process import. The tree is stateless between runs (a Context is made
    per run), so the hundreds of runs of the corpus and fuzz tests share one. If Typer renames
    the helper this patches, the patch does nothing and the tests are only slower.
    """

    def __init__(self) -> None:
        self._built: dict[int, object] = {}

    def __call__(self, typer_app):
        import typer.main

        key = id(typer_app)
        if key not in self._built:
            self._built[key] = typer.main.get_command(typer_app)
        return self._built[key]

    @classmethod
    def patch(cls, monkeypatch) -> None:
        import typer.testing

        monkeypatch.setattr(typer.testing, "_get_command", cls(), raising=False)
