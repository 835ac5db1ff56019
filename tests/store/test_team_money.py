"""Team mode for the money and the customer after the sale (issue 17, revision 0010): instalments
and payments, collection actions and their promises, credit checks, complaints and targets.

Each seller sees and writes these rows of their own customers only, through kehu and with plain
SQL as their own role; targets are the manager's to set and remove, and each seller's to read
with the book's. Runs when KEHU_TEST_PG_URL names a role that may create databases and roles.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from tests.conftest import PG_URL
from tests.helpers import csv_rows, ok
from tests.store.teams import Team, run, sql

pytestmark = pytest.mark.skipif(not PG_URL, reason="KEHU_TEST_PG_URL is not set")

REFUSED = psycopg.errors.InsufficientPrivilege
SELLERS = ("王磊", "李娜")
ONLY_A_MANAGER = "kehu: only a manager can set or remove targets\n"
NOT_LINAS = "kehu: not yours: only a manager sees 李娜's customers\n"


@dataclass(frozen=True)
class Sold:
    """A seller's first customer after the sale, as `sold` leaves it."""

    customer_id: int
    customer: str
    contract: str  # its number
    complaint_id: int


def changes_nothing(url: str, statement: str, *params) -> bool:
    """The statement, as that URL's role, is refused or finds no row to change: a wall may do
    either (a WITH CHECK refuses, a USING hides the row)."""
    try:
        return sql(url, statement, *params) == 0
    except REFUSED:
        return True


def first_customer(team: Team, owner: str) -> dict:
    return json.loads(ok(run(team.admin, "list", "--owner", owner, "-f", "json")).stdout)[0]


def sell(team: Team, seller: str, number: str) -> Sold:
    """Through the seller's own kehu: a contract in two instalments signed in September, the
    first paid, a collection call whose promise (10 November) is broken by today, an open
    complaint and a credit check."""
    card, url = first_customer(team, seller), team.urls[seller]
    name = card["name"]
    ok(run(url, "contract", "add", name, "--amount", "100万", "--signed", "2026-09-01", "-n", number,
           "--schedule", "30% 签约, 70% 2026-10-15"))  # fmt: skip
    ok(run(url, "pay", name, "30万", "--date", "2026-09-05"))
    ok(run(url, "collect", name, "电话", "--result", "答应月中付", "--promise", "2026-11-10", "70万",
           "--on", "2026-11-01", "-c", number))  # fmt: skip
    ok(run(url, "complaint", "add", name, f"{seller}的客户：交货晚了两周", "--severity", "high"))
    ok(run(url, "credit", "check", name, "--capital", "2000万", "--years", "12", "--history", "good"))
    complaints = json.loads(ok(run(url, "complaint", "list", name, "-f", "json")).stdout)
    return Sold(card["id"], name, number, complaints[0]["id"])


@pytest.fixture
def sold(team: Team) -> dict[str, Sold]:
    return {"王磊": sell(team, "王磊", "WL-1"), "李娜": sell(team, "李娜", "LN-1")}


def customers_in(url: str, *command: str) -> set[str]:
    """The customers of the rows a listing command prints as JSON."""
    return {row["customer"] for row in json.loads(ok(run(url, *command, "-f", "json")).stdout)}


def exported(url: str, kind: str) -> set[str]:
    return {row["customer"] for row in csv_rows(run(url, "export", kind))}


def export_kinds(url: str) -> tuple[str, ...]:
    # kehu export collections arrives with kehu import collections; checked once it is there.
    has_collections = run(url, "export", "collections", "--help").exit_code == 0
    return ("complaints", "credit", "instalments", *(("collections",) if has_collections else ()))


# --- targets ---------------------------------------------------------------------------------------


def set_targets(team: Team) -> None:
    """The manager's targets for September 2026: the book's, and one each for the two sellers."""
    manager = team.urls["陈晨"]
    ok(run(manager, "target", "set", "2026-09", "--amount", "300万", "--collect", "100万"))
    ok(run(manager, "target", "set", "2026-09", "--amount", "100万", "--collect", "50万", "--owner", "王磊"))
    ok(run(manager, "target", "set", "2026-09", "--amount", "200万", "--owner", "李娜"))


def test_only_the_manager_sets_and_removes_targets(team: Team, tmp_path: Path):
    set_targets(team)
    seller = team.urls["王磊"]
    before = ok(run(team.admin, "export", "targets")).stdout
    sheet = tmp_path / "targets.csv"
    sheet.write_text("month,owner,amount\n2026-10,王磊,500万\n", encoding="utf-8")
    for command in (
        ["target", "set", "2026-10", "--amount", "500万", "--owner", "王磊"],  # even their own
        ["target", "set", "2026-09", "--amount", "1万"],  # the book's, in place of the manager's
        ["target", "set", "2026-09", "--amount", "1万", "--owner", "李娜"],
        ["target", "remove", "2026-09"],
        ["target", "remove", "2026-09", "--owner", "王磊"],
        ["target", "remove", "2026-09", "--owner", "李娜"],
        ["import", "targets", str(sheet)],
        ["import", "targets", str(sheet), "--dry-run"],
    ):
        result = run(seller, *command)
        assert (result.exit_code, result.stderr) == (77, ONLY_A_MANAGER), command
    assert ok(run(team.admin, "export", "targets")).stdout == before
    # The database refuses the same to plain SQL: a target the seller may read is not theirs to write.
    with pytest.raises(REFUSED):
        sql(seller, "INSERT INTO target (month, owner, amount, created_at, updated_at) "
                    "VALUES ('2026-10', '王磊', 5000000, now(), now())")  # fmt: skip
    for owner in ("王磊", "", "李娜"):
        assert changes_nothing(seller, "UPDATE target SET amount = 1 WHERE owner = %s", owner), owner
    assert sql(seller, "DELETE FROM target WHERE owner = '李娜'") == 0
    assert ok(run(team.admin, "export", "targets")).stdout == before
    # The manager may, for anyone.
    ok(run(team.urls["陈晨"], "target", "remove", "2026-09", "--owner", "李娜"))
    ok(run(team.urls["陈晨"], "target", "set", "2026-10", "--amount", "500万", "--owner", "王磊"))


def test_a_seller_cannot_delete_a_target_with_plain_sql(team: Team):
    set_targets(team)
    assert changes_nothing(team.urls["王磊"], "DELETE FROM target WHERE owner IN ('', '王磊')")
    assert sql(team.admin, "SELECT count(*) FROM target") == [(3,)]


def test_a_seller_reads_their_own_targets_and_the_books(team: Team):
    set_targets(team)
    seller = team.urls["王磊"]
    listed = json.loads(ok(run(seller, "target", "list", "-f", "json")).stdout)
    assert [(t["month"], t["owner"], t["amount"]) for t in listed] == [
        ("2026-09", "", "3000000.00"), ("2026-09", "王磊", "1000000.00"),
    ]  # fmt: skip
    assert [(r["owner"], r["amount"]) for r in csv_rows(run(seller, "export", "targets"))] == [
        ("", "3000000.00"), ("王磊", "1000000.00"),
    ]  # fmt: skip
    assert sorted(sql(seller, "SELECT owner FROM target")) == [("",), ("王磊",)]
    # A colleague's are not theirs to read: refused, not a list with only the book's in it.
    refused = run(seller, "target", "list", "--owner", "李娜")
    assert (refused.exit_code, refused.stderr) == (77, NOT_LINAS)
    manager = json.loads(ok(run(team.urls["陈晨"], "target", "list", "-f", "json")).stdout)
    assert [t["owner"] for t in manager] == ["", "李娜", "王磊"]
    one = json.loads(ok(run(team.urls["陈晨"], "target", "list", "--owner", "李娜", "-f", "json")).stdout)
    assert [t["owner"] for t in one] == ["", "李娜"]


def results(url: str, *args: str) -> list[tuple]:
    rows = json.loads(ok(run(url, "report", "targets", *args, "-f", "json")).stdout)
    return [(r["owner"], r["measure"], r["actual"], r["target"]) for r in rows
            if r["measure"] in ("signed", "collected")]  # fmt: skip


def test_the_targets_report_is_the_sellers_own_and_the_managers_per_seller(team: Team, sold: dict):
    set_targets(team)
    # Each seller signed 100万 and collected 30万 in September.
    assert results(team.urls["王磊"]) == [
        ("王磊", "signed", "1000000.00", "1000000.00"), ("王磊", "collected", "300000.00", "500000.00"),
    ]  # fmt: skip
    assert results(team.urls["李娜"]) == [
        ("李娜", "signed", "1000000.00", "2000000.00"), ("李娜", "collected", "300000.00", None),
    ]  # fmt: skip
    refused = run(team.urls["王磊"], "report", "targets", "--owner", "李娜")
    assert (refused.exit_code, refused.stderr) == (77, NOT_LINAS)
    # The manager: the book's total against the book's target, then each seller against theirs.
    assert results(team.urls["陈晨"], "--all") == [
        ("", "signed", "2000000.00", "3000000.00"), ("", "collected", "600000.00", "1000000.00"),
        ("李娜", "signed", "1000000.00", "2000000.00"), ("李娜", "collected", "300000.00", None),
        ("王磊", "signed", "1000000.00", "1000000.00"), ("王磊", "collected", "300000.00", "500000.00"),
    ]  # fmt: skip
    assert results(team.urls["陈晨"], "--owner", "李娜") == results(team.urls["李娜"])


def test_a_sellers_report_of_all_owners_is_not_passed_off_as_the_books(team: Team, sold: dict):
    set_targets(team)
    # Their own, as `kehu list --all-owners` shows a seller their own (cli/context.owner_scope).
    result = ok(run(team.urls["王磊"], "report", "targets", "--all", "-f", "json"))
    assert {r["owner"] for r in json.loads(result.stdout)} == {"王磊"}


# --- the money and the customer after the sale ---------------------------------------------------


def test_each_seller_sees_only_their_customers_money_and_complaints(team: Team, sold: dict):
    for seller in SELLERS:
        url, own = team.urls[seller], {sold[seller].customer}
        assert customers_in(url, "collections") == own
        assert customers_in(url, "complaint", "list") == own
        assert customers_in(url, "complaint", "list", "--open") == own
        assert customers_in(url, "credit", "list") == own
        assert customers_in(url, "contract", "list", "--instalments") == own
        for kind in export_kinds(url):
            assert exported(url, kind) == own, kind
    everyone = {s.customer for s in sold.values()}
    manager = team.urls["陈晨"]
    assert customers_in(manager, "collections") == everyone
    assert customers_in(manager, "complaint", "list") == everyone
    assert customers_in(manager, "credit", "list") == everyone
    assert customers_in(manager, "contract", "list", "--instalments") == everyone
    for kind in export_kinds(manager):
        assert exported(manager, kind) == everyone, kind


def test_a_colleagues_customer_is_not_yours_for_money_and_after_sale(team: Team, sold: dict, tmp_path: Path):
    seller, mine, theirs = team.urls["王磊"], sold["王磊"], sold["李娜"]
    before = ok(run(team.admin, "dump")).stdout
    name = theirs.customer
    for command in (
        ["collect", name, "电话", "--result", "抢客户"],
        ["collect", name, "上门", "--result", "抢客户", "--promise", "2026-12-01", "10万"],
        ["complaint", "add", name, "抢客户"],
        ["credit", "check", name, "--years", "3"],
        ["credit", "check", name],
        ["collections", name],
        ["complaint", "list", name],
        ["credit", "list", name],
        ["contract", "list", name, "--instalments"],
        ["pay", name, "1万"],
    ):
        result = run(seller, *command)
        assert result.exit_code == 77, (command, result.stderr)
        assert result.stderr == f"kehu: not yours: customer {name!r} belongs to 李娜\n", command
    # By id, the customer or the complaint is simply not there.
    number = str(theirs.customer_id)
    for command in (["collect", number, "电话", "--result", "抢"], ["complaint", "add", number, "抢"]):
        result = run(seller, *command)
        assert (result.exit_code, result.stderr) == (1, f"kehu: no customer matches '{number}'\n"), command
    resolve = run(seller, "complaint", "resolve", str(theirs.complaint_id), "--resolution", "抢客户")
    assert (resolve.exit_code, resolve.stderr) == (1, f"kehu: no complaint {theirs.complaint_id}\n")
    # Nor is a colleague's contract one of the seller's own customer.
    chased = run(seller, "collect", mine.customer, "电话", "--result", "催错了", "-c", theirs.contract)
    assert chased.exit_code == 1 and f"no contract {theirs.contract!r}" in chased.stderr
    # An import naming a colleague's customer is refused whole, as for touches and needs.
    sheet = tmp_path / "complaints.csv"
    sheet.write_text(f"customer,description\n{mine.customer},自己的\n{name},抢客户\n", encoding="utf-8")
    imported = run(seller, "import", "complaints", str(sheet))
    assert imported.exit_code == 65 and "line 3" in imported.stderr and name in imported.stderr
    assert ok(run(team.admin, "dump")).stdout == before


def own_ids(team: Team, seller: str, table: str) -> set[int]:
    query = f"SELECT t.id FROM {table} t JOIN customer c ON c.id = t.customer_id WHERE c.owner = %s"  # noqa: S608
    return {row[0] for row in sql(team.admin, query, seller)}


def test_the_database_keeps_a_seller_to_their_own_rows_without_kehu(team: Team, sold: dict):
    seller, mine, theirs = team.urls["王磊"], sold["王磊"], sold["李娜"]
    tables = ("instalment", "payment", "collection_action", "credit_check", "complaint")
    for table in tables:
        ids = {row[0] for row in sql(seller, f"SELECT id FROM {table}")}  # noqa: S608
        assert ids and ids == own_ids(team, "王磊", table), table
    before = ok(run(team.admin, "dump")).stdout
    their_contract = sql(team.admin, "SELECT id FROM contract WHERE number = %s", theirs.contract)[0][0]
    my_contract = sql(team.admin, "SELECT id FROM contract WHERE number = %s", mine.contract)[0][0]
    their_instalment = min(own_ids(team, "李娜", "instalment"))
    their_contact = sql(team.admin, "SELECT min(id) FROM contact WHERE customer_id = %s",
                        theirs.customer_id)[0][0]  # fmt: skip
    # Rows of a colleague's customer, or of one's own pointing at a colleague's contract, contact or
    # instalment, are refused outright.
    for customer, contract in ((theirs.customer_id, None), (mine.customer_id, their_contract)):
        with pytest.raises(REFUSED):
            sql(seller, "INSERT INTO collection_action (customer_id, contract_id, happened_on, method, "
                        "created_at, updated_at) VALUES (%s, %s, '2026-11-20', 'phone', now(), now())",
                customer, contract)  # fmt: skip
    for customer, contract in ((theirs.customer_id, their_contract), (mine.customer_id, their_contract)):
        with pytest.raises(REFUSED):
            sql(seller, "INSERT INTO instalment (customer_id, contract_id, seq, amount, created_at) "
                        "VALUES (%s, %s, 9, 1, now())", customer, contract)  # fmt: skip
    for customer, contact in ((theirs.customer_id, None), (mine.customer_id, their_contact)):
        with pytest.raises(REFUSED):
            sql(seller, "INSERT INTO complaint (customer_id, contact_id, raised_on, description, status, "
                        "created_at, updated_at) VALUES (%s, %s, '2026-11-20', 'x', 'open', now(), now())",
                customer, contact)  # fmt: skip
    with pytest.raises(REFUSED):
        sql(seller, "INSERT INTO credit_check (customer_id, checked_on, created_at) "
                    "VALUES (%s, '2026-11-20', now())", theirs.customer_id)  # fmt: skip
    with pytest.raises(REFUSED):  # paying one's own contract with a colleague's instalment
        sql(seller, "INSERT INTO payment (customer_id, contract_id, instalment_id, amount, paid_on, "
                    "created_at) VALUES (%s, %s, %s, 1, '2026-11-20', now())", mine.customer_id, my_contract,
            their_instalment)  # fmt: skip
    # A colleague's rows are not there to change or delete …
    for table in tables:
        assert sql(seller, f"UPDATE {table} SET created_at = now() WHERE customer_id = %s",  # noqa: S608
                   theirs.customer_id) == 0, table  # fmt: skip
        assert sql(seller, f"DELETE FROM {table} WHERE customer_id = %s", theirs.customer_id) == 0, table  # noqa: S608
    # … and one's own cannot be handed to them, or pointed at theirs.
    for table in tables:
        with pytest.raises(REFUSED):
            sql(seller, f"UPDATE {table} SET customer_id = %s WHERE customer_id = %s",  # noqa: S608
                theirs.customer_id, mine.customer_id)  # fmt: skip
    with pytest.raises(REFUSED):
        sql(seller, "UPDATE collection_action SET contract_id = %s", their_contract)
    with pytest.raises(REFUSED):
        sql(seller, "UPDATE complaint SET contact_id = %s", their_contact)
    with pytest.raises(REFUSED):
        sql(seller, "UPDATE payment SET instalment_id = %s", their_instalment)
    assert ok(run(team.admin, "dump")).stdout == before


def test_a_sellers_morning_has_their_own_promises_and_complaints(team: Team, sold: dict):
    after_sale = ("promise", "complaint", "collect")
    for seller in SELLERS:
        rows = json.loads(ok(run(team.urls[seller], "followups", "-f", "json")).stdout)
        items = {(r["kind"], r["customer"], r["note"]) for r in rows if r["kind"] in after_sale}
        name = sold[seller].customer
        assert items == {("promise", name, "broken"), ("complaint", name, "high"), ("collect", name, "visit")}
    rows = json.loads(ok(run(team.urls["陈晨"], "followups", "--all", "-f", "json")).stdout)
    assert {(r["kind"], r["customer"]) for r in rows if r["kind"] in after_sale} == {
        (kind, s.customer) for kind in after_sale for s in sold.values()
    }
