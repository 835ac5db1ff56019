"""The money rules, called directly (no CLI) on a real book: kehu.book.contracts.

Amounts are exact to the cent; a payment goes to the oldest due contract first and is never more
than what is outstanding; settling the last contract records `collected` in the funnel.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from kehu.book import contracts, funnel
from kehu.errors import BadData, Conflict, KehuError, UsageError
from kehu.store.db import Store
from tests.book.conftest import NOW, TODAY, add_customer


def sign(store: Store, customer: str, amount: str, **options: Any) -> contracts.Signed:
    options.setdefault("today", TODAY)
    return contracts.add_contract(store, customer, Decimal(amount), now=NOW, **options)


def pay(store: Store, customer: str, amount: str, **options: Any) -> contracts.Paid:
    options.setdefault("today", TODAY)
    return contracts.pay(store, customer, Decimal(amount), now=NOW, **options)


def owed(store: Store, customer: str | None = None) -> list[tuple[str, str]]:
    """(paid, outstanding) of each contract, oldest due first."""
    return [
        (str(c["paid"]), str(c["outstanding"])) for c in contracts.contract_list(store, customer, today=TODAY)
    ]


@pytest.fixture
def signed(store: Store) -> Store:
    """杭州海纳科技 with 60万 overdue since 2026-08-31 (HN-1) and 400,000.10 due at the year's end."""
    add_customer(store, "杭州海纳科技")
    sign(store, "海纳", "600000", signed_on=date(2026, 8, 1), terms="30天", number="HN-1")
    sign(store, "海纳", "400000.10", signed_on=date(2026, 10, 1), due_on=date(2026, 12, 31))
    return store


# --- contracts -------------------------------------------------------------------------------


def test_a_contract_is_due_after_its_terms_or_on_its_day(store):
    add_customer(store, "杭州海纳科技")
    first = sign(store, "海纳", "1180000", terms="net 45")
    assert (first.customer, first.amount, first.signed_on, first.due_on) == (
        "杭州海纳科技", Decimal("1180000"), TODAY, date(2027, 1, 7))  # fmt: skip
    second = sign(store, "海纳", "5.5", signed_on=date(2026, 11, 1), due_on=date(2026, 11, 1))
    assert second.contract_id != first.contract_id
    [listed] = [
        c for c in contracts.contract_list(store, "海纳", today=TODAY) if c["id"] == first.contract_id
    ]
    assert (listed["terms_days"], listed["currency"], listed["amount"]) == (45, "CNY", Decimal("1180000.00"))


def test_what_a_contract_needs(store):
    add_customer(store, "杭州海纳科技")
    with pytest.raises(UsageError, match="give either --due or --terms"):
        sign(store, "海纳", "10000")
    with pytest.raises(UsageError, match="give either --due or --terms"):
        sign(store, "海纳", "10000", terms="30天", due_on=TODAY)
    with pytest.raises(UsageError, match="^--terms: "):
        sign(store, "海纳", "10000", terms="看心情")
    with pytest.raises(UsageError, match="--amount: must be more than zero"):
        sign(store, "海纳", "0", terms="30天")
    with pytest.raises(UsageError, match="--due is before the signing date"):
        sign(store, "海纳", "10000", due_on=date(2026, 11, 1))
    sign(store, "海纳", "10000", terms="30天", number="HN-1")
    with pytest.raises(Conflict, match="contract number HN-1 is already used"):
        sign(store, "海纳", "10000", terms="30天", number="HN-1")
    assert len(contracts.contract_list(store, today=TODAY)) == 1


def test_the_list_shows_age_and_the_collection_step_of_money_outstanding(signed):
    found = contracts.contract_list(signed, today=TODAY)
    assert [(c["number"], c["due_on"], c["outstanding"], c["bucket"], c["step"]) for c in found] == [
        ("HN-1", date(2026, 8, 31), Decimal("600000.00"), "61-90", "legal"),  # 60万, 84 days: legal
        (None, date(2026, 12, 31), Decimal("400000.10"), "not_due", None),
    ]  # fmt: skip
    assert found[0]["customer"] == "杭州海纳科技"
    add_customer(signed, "宁波远航贸易")
    assert contracts.contract_list(signed, "远航", today=TODAY) == []


def test_a_contract_for_a_customer_early_in_the_funnel_is_kept_and_says_where_it_stands(store):
    from tests.book.test_funnel import add_deal

    add_deal(store, "杭州海纳科技")  # in the first stage, 客户分析
    early = sign(store, "海纳", "10000", terms="30天")
    assert early.early == ("analyse the customer", "win commitment")
    assert len(contracts.contract_list(store, today=TODAY)) == 1  # recorded all the same
    funnel.advance(store, "海纳", "commit", today=TODAY, now=NOW, skip_evidence=True)
    assert sign(store, "海纳", "10000", terms="30天").early is None  # where contracts are signed
    add_deal(store, "宁波远航贸易")
    funnel.won(store, "远航", today=TODAY, now=NOW)
    assert sign(store, "远航", "10000", terms="30天").early is None
    add_customer(store, "老客户")  # in no pipeline: nothing to say
    assert sign(store, "老客户", "100", terms="30天").early is None


def test_the_stage_contracts_are_signed_in_is_the_one_before_collecting(store):
    from kehu.io.pipeline_files import get_pipeline

    signing = {key: funnel.signing_stage(get_pipeline(key)).key
               for key in ("key-account", "development", "consultative")}  # fmt: skip
    assert signing == {"key-account": "commit", "development": "close", "consultative": "commit"}


# --- payments --------------------------------------------------------------------------------


def test_a_payment_dated_before_its_contract_was_signed_is_refused_and_nothing_written(signed):
    # HN-1 was signed on 2026-08-01, the other contract on 2026-10-01
    before = r"^a payment dated 2026-07-31 is before the contract was signed \(2026-08-01\)$"
    with pytest.raises(BadData, match=before):
        pay(signed, "海纳", "100", paid_on=date(2026, 7, 31))
    with pytest.raises(BadData, match=r"signed \(2026-10-01\)"):
        pay(signed, "海纳", "100", paid_on=date(2026, 9, 30), contract_id=2)
    with pytest.raises(BadData, match=r"signed \(2026-10-01\)"):  # more than HN-1 owes by then
        pay(signed, "海纳", "600000.01", paid_on=date(2026, 9, 30))
    assert owed(signed) == [("0.00", "600000.00"), ("0.00", "400000.10")]
    # What HN-1 (signed by then) still owes can be paid on its day: the later contract is untouched.
    assert pay(signed, "海纳", "600000", paid_on=date(2026, 8, 1)).parts == [(1, Decimal("600000"))]


def test_a_payment_goes_to_the_oldest_due_contract_first_to_the_cent(signed):
    paid = pay(signed, "海纳", "600000.05", paid_on=date(2026, 11, 22))
    assert (paid.parts, paid.outstanding, paid.collected) == (
        [(1, Decimal("600000.00")), (2, Decimal("0.05"))], Decimal("400000.05"), False)  # fmt: skip
    assert owed(signed) == [("600000.00", "0.00"), ("0.05", "400000.05")]
    assert [c["id"] for c in contracts.contract_list(signed, today=TODAY, open_only=True)] == [2]


def test_more_than_is_outstanding_is_refused_and_nothing_is_written(signed):
    with pytest.raises(KehuError, match="payment 1000000.11 is more than the 1000000.10 outstanding"):
        pay(signed, "海纳", "1000000.11")
    with pytest.raises(UsageError, match="^amount: must be more than zero"):
        pay(signed, "海纳", "0")
    with pytest.raises(UsageError, match="^amount: not an amount of money: -5"):
        pay(signed, "海纳", "-5")
    assert owed(signed) == [("0.00", "600000.00"), ("0.00", "400000.10")]


def test_an_amount_is_exact_to_the_cent_whether_typed_or_a_decimal(signed):
    """Python code gives Decimals, a person text: the same rules, and nothing rounded to cents."""
    assert contracts.pay(signed, "海纳", "1.5万", today=TODAY, now=NOW).amount == Decimal("15000.00")
    with pytest.raises(UsageError, match="^amount: more than two decimal places: 0.005"):
        contracts.pay(signed, "海纳", Decimal("0.005"), today=TODAY, now=NOW)
    with pytest.raises(UsageError, match="^--amount: amount too large"):
        sign(signed, "海纳", "1E+16", terms="30天")
    assert owed(signed) == [("15000.00", "585000.00"), ("0.00", "400000.10")]


def test_a_payment_for_one_contract_goes_to_it_alone(signed):
    assert pay(signed, "海纳", "100", contract_id=2).parts == [(2, Decimal("100"))]
    # 600,000 are owed on the other contract: for this one, 399,900.10 is all there is to pay
    with pytest.raises(KehuError, match="payment 400000.10 is more than the 399900.10 outstanding"):
        pay(signed, "海纳", "400000.10", contract_id=2)
    with pytest.raises(KehuError, match="杭州海纳科技 has no contract 99 with money outstanding"):
        pay(signed, "海纳", "1", contract_id=99)
    add_customer(signed, "宁波远航贸易")
    with pytest.raises(KehuError, match="宁波远航贸易 has no contract with money outstanding"):
        pay(signed, "远航", "1")


def test_settling_the_last_contract_records_collected_in_the_funnel(signed):
    funnel.won(signed, "海纳", today=TODAY, now=NOW, value=Decimal("1000000.10"))
    assert pay(signed, "海纳", "600000").collected is False
    last = pay(signed, "海纳", "400000.10", paid_on=date(2026, 11, 24))
    assert (last.outstanding, last.collected) == (Decimal("0.00"), True)
    [collected, won] = funnel.stage_history(signed, "海纳").moves
    # Won and all paid: it moves on from 回收账款 to the after-sale stage 维护 (issue 17).
    assert (collected["event"], collected["changed_on"], collected["from_stage"], collected["to_stage"]) == (
        "collected", date(2026, 11, 24), "collect", "maintain")  # fmt: skip
    assert won["event"] == "won"


def test_a_customer_in_no_pipeline_yet_collects_all_the_same(store):
    add_customer(store, "老客户")  # a card from before the funnel: no pipeline, no stage
    sign(store, "老客户", "100", terms="30天")
    assert pay(store, "老客户", "100").collected
    [collected] = funnel.stage_history(store, "老客户").moves
    assert [collected[key] for key in ("event", "pipeline", "to_stage")] == ["collected", "key-account", None]


def test_the_payment_lock_is_a_real_write_on_the_customers_contracts(signed, backend):
    """On PostgreSQL a concurrent payer must conflict with it (issue 12): only a row version
    written by this transaction does that, so the update must really write, however unchanged."""
    from kehu.store.contracts import lock_for_payment

    add_customer(signed, "宁波远航贸易")
    sign(signed, "远航", "1", terms="30天")
    if backend == "postgresql":
        versions = "SELECT id, xmin::text AS version FROM contract ORDER BY id"
        with signed.read() as connection:
            before = list(connection.execute(versions).tuples())
        with signed.write() as connection:
            lock_for_payment(connection, 1)  # 杭州海纳科技's two contracts
            # xmin is the 32-bit transaction id; txid_current() adds an epoch above it
            mine = connection.execute("SELECT (txid_current() % 4294967296)::text").scalar()
            after = list(connection.execute(versions).tuples())
        assert [version == mine for _id, version in after] == [True, True, False]
        assert after[2] == before[2]
    else:
        with signed.write() as connection:
            lock_for_payment(connection, 1)
            assert connection.execute("SELECT changes()").scalar() == 2
