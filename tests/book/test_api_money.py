"""The Python API after the contract (issue 17): instalments, deliver/accept, collection and
promises, credit, complaints, targets and the next deal, through the same use cases as the
commands, on a real book (both backends); refused input raises the error the command exits with
and writes nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kehu import open_book
from kehu.errors import BadData, Conflict, NotFound, UsageError
from tests.book.conftest import add_customer

SCHEDULE = "30% 签约, 60% 验收后30天, 10% 质保1年"


def won_with_contract(target_db: str, name: str, today: str, **contract: str) -> None:
    """A customer won for 100万 with one contract, all through the API."""
    with open_book(target_db, today=today) as book:
        card = book.add(name, grade="B")
        book.won(card.id, value="100万")
        book.contract(card.id, "100万", **contract)


def test_a_scheduled_contract_is_dated_by_delivery_and_acceptance_and_paid_through_to_maintain(target_db):
    won_with_contract(target_db, "宁波明州科技", "2026-11-23", signed="2026-10-08", number="MZ-01",
                      schedule=SCHEDULE)  # fmt: skip
    with open_book(target_db, today="2026-11-23") as book:
        parts = book.instalments("MZ-01")
        assert [(p["seq"], p["amount"], p["due_on"]) for p in parts] == [
            (1, Decimal("300000.00"), date(2026, 10, 8)), (2, Decimal("600000.00"), None),
            (3, Decimal("100000.00"), None)]  # fmt: skip
        assert book.pay("明州", "30万").outstanding == Decimal("700000.00")

        delivered = book.deliver("MZ-01", on="2026-11-10", note="第一批设备到货")
        assert (delivered.event, delivered.day, delivered.dated) == ("delivery", date(2026, 11, 10), [])
        accepted = book.accept("MZ-01", on="2026-11-20")
        assert accepted.dated == [(2, Decimal("600000.00"), date(2026, 12, 20)),
                                  (3, Decimal("100000.00"), date(2027, 11, 20))]  # fmt: skip
        [contract] = book.contracts("明州", open_only=True)
        assert (contract["number"], contract["outstanding"], contract["due_on"]) == (
            "MZ-01", Decimal("700000.00"), date(2026, 12, 20))  # fmt: skip
        assert [p["due_on"] for p in book.instalments(customer="明州", open_only=True)] == [
            date(2026, 12, 20), date(2027, 11, 20)]  # fmt: skip

        assert book.pay("明州", "60万").collected is False
        assert book.pay("明州", "10万").collected is True
        assert book.customer("明州").stage == "maintain"  # 维护: after the sale
        assert book.contracts("明州", open_only=True) == []

        next_deal = book.reopen("明州", new_deal=True)
        assert (next_deal.status, next_deal.stage) == ("open", book.customer("明州").stage)
        assert next_deal.stage != "maintain"
        with pytest.raises(Conflict, match="is not won") as refused:
            book.reopen("明州", new_deal=True)  # open again: there is no won deal to follow
        assert refused.value.exit_code == 1


def test_instalments_given_one_by_one_and_the_api_rows_are_the_commands(target_db, kehu):
    import json

    with open_book(target_db, today="2026-11-23") as book:
        card = book.add("杭州海纳科技")
        signed = book.contract(card.id, "50万", number="HN-01", instalments=["40% 签约", "60% 2027-03-31"])
        assert [(p.amount, p.due_on) for p in signed.instalments] == [
            (Decimal("200000.00"), date(2026, 11, 23)),
            (Decimal("300000.00"), date(2027, 3, 31)),
        ]
        assert book.contract(card.id, "1万", terms="30天").due_on == date(2026, 12, 23)
        rows = book.instalments("HN-01")
    printed = json.loads(kehu("contract", "show", "HN-01", "--format", "json").stdout)
    assert [(r["seq"], r["due_on"], r["outstanding"]) for r in printed] == [
        (r["seq"], r["due_on"].isoformat(), str(r["outstanding"])) for r in rows]  # fmt: skip


def test_a_refused_contract_or_event_raises_the_commands_error_and_writes_nothing(target_db, kehu):
    won_with_contract(target_db, "宁波明州科技", "2026-11-23", signed="2026-10-08", number="MZ-01",
                      schedule=SCHEDULE)  # fmt: skip
    with open_book(target_db, today="2026-11-23") as book:
        before = (book.contracts(), book.instalments())
        with pytest.raises(UsageError, match="not both"):
            book.contract("明州", "10万", terms="30天", schedule="100% 签约")
        with pytest.raises(UsageError, match="^--schedule: "):
            book.contract("明州", "10万", schedule="30% 签约, 60% 验收后30天")  # 90%
        with pytest.raises(Conflict, match="MZ-01 is already used"):
            book.contract("明州", "10万", terms="30天", number="MZ-01")
        with pytest.raises(UsageError, match="cannot read date"):
            book.contract("明州", "10万", due="某天")
        with pytest.raises(BadData) as before_signing:
            book.deliver("MZ-01", on="2026-10-01")
        with pytest.raises(NotFound):
            book.accept("ZZ-99")
        assert (book.contracts(), book.instalments()) == before
    # The command line refuses the same delivery with the same exit code (65, bad data).
    assert kehu("deliver", "MZ-01", "--date", "2026-10-01").exit_code == before_signing.value.exit_code == 65


def test_a_promise_to_pay_is_open_until_its_day_broken_after_it(target_db):
    with open_book(target_db, today="2026-11-19") as book:
        card = book.add("天津津港建设")
        book.contract(card.id, "80万", signed="2026-08-01", terms="30天", number="TJ-01")
        done = book.collect("津港", "上门", result="财务经理答应月底前先付一半", promise="2026-11-30",
                            amount="40万", contract="TJ-01")  # fmt: skip
        assert (done.method, done.promised_on, done.promised_amount) == (
            "visit", date(2026, 11, 30), Decimal("400000.00"))  # fmt: skip
        assert book.history("津港").touches[0]["summary"] == "财务经理答应月底前先付一半"  # a touch too
        book.collect("津港", "finance", result="sent the notice")
    with open_book(target_db, today="2026-11-30") as book:
        promised, notice = book.collections("津港")
        assert (promised["promise_status"], promised["contract"]) == ("open", "TJ-01")  # its day: still open
        assert (notice["promise_status"], notice["document"]) == (None, "overdue_notice")
    with open_book(target_db, today="2026-12-01") as book:
        book.pay("津港", "10万")  # not what was promised
        assert [c["promise_status"] for c in book.collections()] == ["broken", None]


def test_a_refused_collection_raises_and_writes_nothing(target_db):
    with open_book(target_db, today="2026-11-19") as book:
        card = book.add("天津津港建设")
        book.contract(card.id, "80万", signed="2026-08-01", terms="30天", number="TJ-01")
        touches = book.history("津港").touches
        with pytest.raises(UsageError, match="^--promise: a promise has a day and an amount"):
            book.collect("津港", "电话", result="答应付款", amount="40万")  # promised by no day
        with pytest.raises(UsageError, match="^method: "):
            book.collect("津港", "飞鸽传书", result="答应付款")
        with pytest.raises(UsageError, match="^--promise: the day promised is before"):
            book.collect(
                "津港", "电话", result="答应付款", promise="2026-11-01", amount="1万", on="2026-11-18"
            )
        with pytest.raises(UsageError, match="^--result: "):
            book.collect("津港", "电话", result="  ")
        with pytest.raises(NotFound, match="^--contract: "):
            book.collect("津港", "电话", result="答应付款", contract="ZZ-99")
        assert book.collections() == [] and book.history("津港").touches == touches


def test_a_credit_check_is_recorded_and_judged(target_db):
    with open_book(target_db, today="2026-11-10") as book:
        book.add("杭州海纳科技")
        written = book.credit("海纳", registered_capital="5000万", years_in_business=9,
                              payment_history="good", credit_limit=Decimal("1500000"), net_margin="12",
                              notes="年报")  # fmt: skip
        assert (written.result, written.checked_on) == ("pass", date(2026, 11, 10))
        later = book.credit("海纳", payment_history="bad", on="2026-11-10")
        assert later.result == "fail"

        standing = book.credit_standing("海纳")
        assert standing.check["id"] == later.check_id and standing.result == "fail"
        assert {j.measure: j.result for j in standing.judged}["payment_history"] == "fail"
        assert [(c["id"], c["result"]) for c in book.credit_checks("海纳")] == [
            (later.check_id, "fail"), (written.check_id, "pass")]  # fmt: skip
        assert book.credit_checks("海纳")[1]["registered_capital"] == Decimal("50000000.00")

        before = book.credit_checks()
        with pytest.raises(UsageError, match="at least one figure"):
            book.credit("海纳", notes="只有备注")
        with pytest.raises(UsageError, match="not a figure of a credit check: capital"):
            book.credit("海纳", capital="5000万")
        with pytest.raises(UsageError, match="^--on: "):
            book.credit("海纳", years_in_business=3, on="2026-11-11")  # a day after today
        with pytest.raises(UsageError, match="^--history: "):
            book.credit("海纳", payment_history="so-so")
        assert book.credit_checks() == before
        assert book.credit_standing(book.add("苏州恒瑞精密").id).result == "missing"  # never checked


def test_a_contract_over_the_credit_limit_stands_and_carries_the_warning(target_db, capsys):
    with open_book(target_db, today="2026-11-10") as book:
        book.add("杭州海纳科技")
        book.credit("海纳", credit_limit="150万")
        assert book.contract("海纳", "100万", terms="30天").warnings == ()
        over = book.contract("海纳", "60万", terms="30天")  # 160万 owed
        assert len(over.warnings) == 1 and "1600000.00" in over.warnings[0]
        assert [c["amount"] for c in book.contracts("海纳")] == [Decimal("1000000.00"), Decimal("600000.00")]
    assert capsys.readouterr().err == ""  # said by the caller, not printed by the book


def test_a_complaint_is_raised_and_resolved(store, target_db):
    customer_id = add_customer(store, "南京钟山软件", contacts=("张伟",))
    with open_book(target_db, today="2026-10-10") as book:
        raised = book.complain(customer_id, "报表导出慢", severity="高", contact="张伟", on="2026-10-08")
        assert (raised.status, raised.severity) == ("open", "high")
        [open_one] = book.complaints(open_only=True)
        assert (open_one["id"], open_one["contact"], open_one["days"]) == (raised.complaint_id, "张伟", 2)
    with open_book(target_db, today="2026-10-12") as book:
        resolved = book.resolve(raised.complaint_id, resolution="加了索引")
        assert resolved.status == "resolved"
        assert book.complaints(open_only=True) == []
        [closed] = book.complaints("钟山")
        assert (closed["resolved_on"], closed["resolution"], closed["days"]) == (
            date(2026, 10, 12), "加了索引", 4)  # fmt: skip

        with pytest.raises(Conflict, match="resolved already"):
            book.resolve(raised.complaint_id)
        with pytest.raises(NotFound):
            book.resolve(99)
        with pytest.raises(UsageError, match="^--on: "):
            book.complain("钟山", "又慢了", on="2026-10-13")  # in the future
        with pytest.raises(UsageError, match="^--severity: "):
            book.complain("钟山", "又慢了", severity="天大")
        with pytest.raises(UsageError, match="complains about"):
            book.complain("钟山", " ")
        assert book.complaints() == [closed]


def test_a_target_is_set_replaced_listed_and_removed(target_db):
    with open_book(target_db, today="2026-11-23") as book:
        first = book.set_target("2027-01", amount="300万", collect="200万", new_customers=10,
                                touches_per_day="4.5")  # fmt: skip
        assert (first.month, first.owner, first.replaced) == ("2027-01", "", False)
        again = book.set_target(date(2027, 1, 15), amount=Decimal("3500000"))  # a day in the month
        assert again.replaced is True
        book.set_target("2027-01", owner="王磊", amount="150万")
        assert [(t["owner"], t["amount"], t["collect_amount"]) for t in book.targets(owner="王磊")] == [
            ("", Decimal("3500000.00"), None), ("王磊", Decimal("1500000.00"), None)]  # fmt: skip

        before = book.targets()
        with pytest.raises(UsageError, match="at least one target"):
            book.set_target("2027-02")
        with pytest.raises(UsageError, match="^MONTH: not a month"):
            book.set_target("十三月", amount="1万")
        with pytest.raises(UsageError, match="^--new-customers: "):
            book.set_target("2027-02", new_customers=-1)
        assert book.targets() == before

        assert book.remove_target("2027-01", owner="王磊").owner == "王磊"
        with pytest.raises(NotFound):
            book.remove_target("2027-01", owner="王磊")
        assert [t["owner"] for t in book.targets()] == [""]
