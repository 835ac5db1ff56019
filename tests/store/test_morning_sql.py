"""The morning list ranked by the database (store/morning.py) is the Python ranking, exactly.

domain.urgency is the one definition of the score; store.morning builds SQL from its constants.
These tests put random customers in a real book (SQLite, and PostgreSQL with KEHU_TEST_PG_URL)
and check that the SQL gives the same top rows, in the same order, with the same score parts
and the same counts as domain.agenda.rank_due over the same rows.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kehu.domain import agenda
from kehu.domain.urgency import urgency
from kehu.store.db import Store
from kehu.store.followups import due_rows
from kehu.store.morning import morning_list

TODAY = date(2026, 11, 23)  # a Monday
SUNDAY = TODAY + timedelta(days=6)  # the end of the week's list
NOW = datetime(2026, 11, 23, 2, 30, tzinfo=UTC)
PIPELINES = {("p1", "s1"): 0.1, ("p1", "s2"): 0.25, ("p1", "s3"): 1.0, ("p2", "s1"): 0.5, ("p2", "s2"): 0.0}


def put(store: Store, customers: list[dict]) -> None:
    """The book holds exactly these customers."""
    with store.write() as connection:
        connection.execute("DELETE FROM customer")
        for n, customer in enumerate(customers):
            connection.insert("customer", {
                "name": f"客户{n}", "name_key": f"key{n}", "pinyin_full": "", "pinyin_initials": "",
                "kind": "company", "currency": "CNY", "created_at": NOW, "updated_at": NOW, **customer,
            })  # fmt: skip


def both(store: Store, view: str, on: date, limit: int | None, owner=None, grade=None, probabilities=None):
    """(SQL ranking, Python ranking) of the book's due customers for this view."""
    probabilities = PIPELINES if probabilities is None else probabilities
    span = agenda.window(view, TODAY, on)
    with store.read() as connection:
        sql = morning_list(connection, agenda.reference_day(span), span.end, owner=owner, grade=grade,
                           limit=limit, probabilities=probabilities)  # fmt: skip
        rows = due_rows(connection, span.end, owner=owner, grade=grade)
        python = agenda.rank_due(rows, span, lambda p, s: probabilities.get((p, s)), limit)
    return sql, python


money = st.one_of(
    st.none(),
    st.integers(-10_000, 100_000_000_00),  # up to ¥100 million, in cents
    st.integers(0, 99_999_999_999_999_999),  # up to the largest amount kehu stores
    st.sampled_from([0, 1, 99, 100, 101, 1000, 100_000_000, 99_999_999_999_999_999]),
).map(lambda cents: None if cents is None else Decimal(cents) / 100)
customer = st.fixed_dictionaries({
    "next_due": st.one_of(st.none(), st.dates(TODAY - timedelta(days=45), TODAY + timedelta(days=9))),
    "grade": st.sampled_from(["A", "B", "C", "D", "E", None]),
    "expected_value": money,
    "pipeline": st.sampled_from(["p1", "p2", "p3", None]),
    "stage": st.sampled_from(["s1", "s2", "s3", None]),
    "status": st.sampled_from(["open", "open", "won", "lost"]),
    "owner": st.sampled_from(["ann", "bob", None]),
    "archived_at": st.sampled_from([None, None, None, NOW]),
})  # fmt: skip
query = st.fixed_dictionaries({
    "view": st.sampled_from(["today", "tomorrow", "week", "overdue", "day"]),
    "on": st.dates(TODAY - timedelta(days=10), TODAY + timedelta(days=10)),
    "limit": st.one_of(st.none(), st.integers(1, 12)),
    "owner": st.sampled_from([None, "ann"]),
    "grade": st.sampled_from([None, "A", "D"]),
})  # fmt: skip
probabilities = st.dictionaries(
    st.tuples(st.sampled_from(["p1", "p2", "p3"]), st.sampled_from(["s1", "s2", "s3"])),
    st.floats(0, 1),
)


def test_sql_ranks_random_books_exactly_as_python(store: Store, backend: str) -> None:
    @settings(max_examples=60 if backend == "sqlite" else 30, deadline=None,
              suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
    @given(st.lists(customer, max_size=25), query, probabilities)
    def check(customers, q, weights) -> None:
        put(store, customers)
        sql, python = both(store, q["view"], q["on"], q["limit"], q["owner"], q["grade"], weights)
        assert sql == python

    check()


def test_sql_score_is_urgency_for_random_single_customers(store: Store, backend: str) -> None:
    """Each score part from SQL equals domain.urgency.urgency of the customer's own values."""

    @settings(max_examples=80 if backend == "sqlite" else 40, deadline=None,
              suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
    @given(customer.filter(lambda c: c["next_due"] is not None and c["next_due"] <= SUNDAY
                           and c["status"] != "lost"))  # fmt: skip
    def check(one) -> None:
        put(store, [{**one, "archived_at": None}])
        sql, _python = both(store, "week", TODAY, None)
        ((_id, day, days, score),) = sql.ranked
        probability = PIPELINES.get((one["pipeline"], one["stage"]))
        expected = urgency(days_overdue=(TODAY - one["next_due"]).days, grade=one["grade"],
                           stage_probability=probability, expected_value=one["expected_value"])  # fmt: skip
        assert (day, days, score) == (one["next_due"], (TODAY - one["next_due"]).days, expected)

    check()


def test_ties_go_by_due_day_then_id_and_totals_count_all(store: Store) -> None:
    same = {"grade": "B", "expected_value": None, "pipeline": None, "stage": None, "status": "open"}
    put(store, [
        {**same, "next_due": TODAY - timedelta(days=40)},  # capped at 30 days: ties with the next
        {**same, "next_due": TODAY - timedelta(days=31)},
        {**same, "next_due": TODAY - timedelta(days=31)},
        {**same, "next_due": TODAY},
        {**same, "next_due": TODAY + timedelta(days=1)},  # not due today
    ])  # fmt: skip
    sql, python = both(store, "today", TODAY, 2)
    assert sql == python
    assert [(day, days) for _id, day, days, _score in sql.ranked] == [
        (TODAY - timedelta(days=40), 40),
        (TODAY - timedelta(days=31), 31),
    ]
    assert sql.ranked[0][0] < sql.ranked[1][0]
    assert sql.counts == {"overdue": 3, "due": 1}


def test_nothing_due_gives_no_rows_and_zero_counts(store: Store) -> None:
    put(store, [{"grade": "A", "next_due": TODAY + timedelta(days=3)}])
    sql, python = both(store, "today", TODAY, 50)
    assert sql == python == agenda.Ranking([], {"overdue": 0, "due": 0})


def test_lost_and_archived_customers_leave_the_list_and_its_counts(store: Store) -> None:
    put(store, [
        {"grade": "A", "next_due": TODAY - timedelta(days=9), "pipeline": "p1", "stage": "s3",
         "status": "lost"},
        {"grade": "A", "next_due": TODAY - timedelta(days=9), "archived_at": NOW},
        {"grade": "B", "next_due": TODAY, "pipeline": "p1", "stage": "s3", "status": "open"},
        {"grade": "B", "next_due": TODAY - timedelta(days=1), "pipeline": "p1", "stage": "s3",
         "status": "won"},
    ])  # fmt: skip
    sql, python = both(store, "today", TODAY, None)
    assert sql == python
    with store.read() as connection:
        ids = {row.name: row.id for row in connection.execute("SELECT id, name FROM customer")}
    assert [row[0] for row in sql.ranked] == [ids["客户3"], ids["客户2"]]
    assert sql.counts == {"overdue": 1, "due": 1}


def test_receivables_to_collect_are_the_open_ones_already_due(kehu, store: Store) -> None:
    from kehu.store.contracts import open_receivables
    from kehu.store.morning import receivables_to_collect
    from tests.helpers import ok

    for name, owner in (("杭州海纳科技", "王磊"), ("宁波远航贸易", "李娜")):
        ok(kehu("add", name, "--grade", "B", "--owner", owner))
        ok(kehu("won", name[2:4], "--amount", "100万"))
        for signed, amount in (("2026-08-01", "60万"), ("2026-10-01", "30万"), ("2026-11-01", "10万")):
            ok(kehu("contract", "add", name[2:4], "--amount", amount, "--signed", signed, "--terms", "30天"))
    ok(kehu("pay", "海纳", "60万"))  # its oldest contract settled
    ok(kehu("pay", "远航", "70万"))  # the oldest settled, the second partly paid
    with store.read() as connection:
        for owner in (None, "王磊", "李娜", "nobody"):
            # Receivables are instalments (issue 17): open_receivables' `id` is the instalment's,
            # the list's `id` its contract's (what kehu collect names).
            expected = [
                {"id": row["contract_id"], "instalment_id": row["id"], "seq": row["seq"],
                 **{key: row[key] for key in ("customer_id", "customer", "due_on", "outstanding")}}
                for row in open_receivables(connection, owner=owner)
                if row["due_on"] is not None and row["due_on"] < TODAY
            ]  # fmt: skip
            got = [dict(row) for row in receivables_to_collect(connection, TODAY, owner=owner)]
            assert got == expected
    assert [(row["customer"], str(row["outstanding"])) for row in got] == []
    with store.read() as connection:
        everyone = receivables_to_collect(connection, TODAY)
    assert [(row["customer"], str(row["outstanding"])) for row in everyone] == [
        ("杭州海纳科技", "300000.00"),
        ("宁波远航贸易", "200000.00"),
    ]


@pytest.mark.parametrize(
    ("birthday", "day"),
    [(date(1980, 10, 15), TODAY), (date(1980, 4, 30), date(2026, 6, 14)),  # 四月 2026 has 29 days
     (date(1980, 12, 30), date(2026, 2, 16))],  # 除夕 on 腊月廿九
)  # fmt: skip
def test_a_lunar_birthday_on_its_day_is_read(birthday: date, day: date) -> None:
    assert birthday.month * 100 + birthday.day in agenda.lunar_month_days(agenda.window("day", day, day))


@given(st.dates(date(1950, 1, 1), date(2010, 12, 31)), st.dates(date(2024, 1, 1), date(2031, 12, 31)),
       st.integers(0, 6))  # fmt: skip
def test_the_lunar_birthdays_read_include_every_one_in_the_window(birthday: date, start: date, days: int):
    """The store reads only lunar birthdays whose month-day agenda.lunar_month_days names; none
    that falls in the window may be left out (its day is found by domain.birthdays)."""
    from kehu.domain.birthdays import birthday_in_range

    assume(birthday.day <= 30)  # no lunar month has a day 31: refused when placed, so never read
    span = agenda.Window("week", start, start + timedelta(days=days), start)
    if birthday_in_range(birthday, True, span.start, span.end) is not None:
        assert birthday.month * 100 + birthday.day in agenda.lunar_month_days(span)


def test_birthdays_read_by_month_day_are_the_ones_reading_all_finds(kehu, store: Store) -> None:
    from kehu.store.followups import birthday_contacts
    from tests.helpers import ok

    ok(kehu("add", "杭州海纳科技", "--grade", "B"))
    people = [("张三", "1980-10-15", "是"), ("李四", "1975-10-17", "是"), ("王五", "1990-11-23", "否"),
              ("赵六", "1985-11-24", "否"), ("钱七", "1970-03-01", "是"),
              ("孙八", "1988-09-30", "是")]  # fmt: skip
    for name, birthday, lunar in people:
        ok(kehu("contact", "add", "海纳", name, "--birthday", birthday, "--birthday-lunar", lunar))
    for view in ("today", "tomorrow", "week"):
        span = agenda.window(view, TODAY)
        with store.read() as connection:
            narrow = birthday_contacts(connection, agenda.month_days(span),
                                       lunar_month_days=agenda.lunar_month_days(span))  # fmt: skip
            everyone = birthday_contacts(connection, agenda.month_days(span))
        assert agenda.birthday_items(narrow, span) == agenda.birthday_items(everyone, span)
        assert len(narrow) < len(everyone)
    week = agenda.birthday_items(narrow, agenda.window("week", TODAY))
    assert [(item.contact, item.day) for item in week] == [  # 十月十五 is today, 2026-11-23
        ("张三", TODAY),
        ("王五", TODAY),
        ("赵六", date(2026, 11, 24)),
        ("李四", date(2026, 11, 25)),
    ]


# --- issue 17's sections at 100,000 customers (revision 0011) ------------------------------------


@pytest.mark.sqlite_only
def test_the_after_sale_and_promise_statements_are_index_searches(store: Store) -> None:
    """The statements the morning list runs (traced as the driver receives them), planned by SQLite:
    the won customers come from ix_customer_won and the payments since a promise from
    ix_payment_customer; a scan of customer or payment would cost every run the whole table."""
    from kehu.store.after_sale import after_sale_customers
    from kehu.store.collections import promises_until

    for owner, grade in ((None, None), ("ann", "B")):
        with store.read() as connection:
            ran: list[str] = []
            connection.driver.set_trace_callback(ran.append)
            after_sale_customers(connection, ["maintain", "repeat"], owner=owner, grade=grade)
            promises_until(connection, TODAY, owner=owner)
            connection.driver.set_trace_callback(None)
            plans = {
                statement: [row[-1] for row in connection.driver.execute(f"EXPLAIN QUERY PLAN {statement}")]
                for statement in ran
                if statement.lstrip().upper().startswith("SELECT")
            }
        after_sale, promises = plans.values()
        # One owner's customers may come by ix_customer_owner instead: a search too.
        index = "ix_customer_won" if owner is None else "ix_customer_"
        assert any(f"SEARCH c USING INDEX {index}" in step for step in after_sale), after_sale
        assert any("USING INDEX ix_payment_customer" in step for step in promises), promises
        for plan in (after_sale, promises):  # only the IN-list of stages is scanned (json_each)
            assert not [step for step in plan if step.startswith("SCAN") and "json_each" not in step], plan


def test_whom_to_call_is_found_for_the_after_sale_items_shown(kehu) -> None:
    """The list looks up contacts for the items it shows only: with --limit 1 of two customers in
    维护, the one shown still has its key contact and phone, and the count says two."""
    from tests.helpers import ok

    for name, contact, phone in (
        ("杭州海纳科技", "张三", "13800000001"),
        ("宁波远航贸易", "李四", "13800000002"),
    ):
        ok(kehu("add", name, "--grade", "B"))
        ok(kehu("contact", "add", name[2:4], contact, "--phone", phone, "--is-key", "是"))
        ok(kehu("won", name[2:4], "--amount", "10万"))
        ok(kehu("contract", "add", name[2:4], "--amount", "10万", "--signed", "2026-09-01", "--terms", "0"))
        ok(kehu("pay", name[2:4], "10万", "--date", "2026-10-01"))
    result = ok(kehu("followups", "--limit", "1", "--format", "json"))
    after_sale = [row for row in json.loads(result.stdout) if row["kind"] == "after_sale"]
    assert [(row["customer"], row["contact"], row["phone"]) for row in after_sale] == [
        ("杭州海纳科技", "张三", "13800000001")
    ]
    assert "2 after-sale touches" in result.stderr
