"""Owners outside team mode: one person's book (SQLite, or PostgreSQL as the tables' owner with
nobody on the team) shows every owner's customers, and `kehu team` says what it needs.
Team mode itself, with sellers' and a manager's logins, is tests/store/test_team.py."""

from __future__ import annotations

import json

import pytest

from tests.helpers import ok


@pytest.fixture
def book(kehu):
    for name, owner in (("甲公司", "王磊"), ("乙公司", "李娜"), ("丙公司", "王磊"), ("丁公司", None)):
        ok(kehu("add", name, *(["--owner", owner] if owner else [])))
    return kehu


def names(kehu, *args: str) -> list[str]:
    return [r["name"] for r in json.loads(ok(kehu("list", "--format", "json", *args)).stdout)]


def test_without_a_team_lists_show_every_owner(book):
    assert names(book) == ["甲公司", "乙公司", "丙公司", "丁公司"]
    assert names(book, "--all-owners") == names(book)
    assert names(book, "--owner", "王磊") == ["甲公司", "丙公司"]
    followups = json.loads(ok(book("followups", "--all", "--format", "json")).stdout)
    assert len(followups) == 4


def test_owner_and_all_owners_exclude_each_other(book):
    for command in (["list"], ["followups"], ["report"]):
        result = book(*command, "--owner", "王磊", "--all-owners")
        assert result.exit_code == 2, command
        assert result.stderr == "kehu: --owner and --all-owners: choose one\n"


def test_kehu_user_alone_does_not_narrow_a_personal_book(kehu, backend):
    ok(kehu("add", "甲公司", "--owner", "王磊"))
    ok(kehu("add", "乙公司", "--owner", "李娜"))
    listed = names(kehu) if backend == "sqlite" else None
    result = ok(kehu("list", "--format", "json", env={"KEHU_USER": "王磊"}))
    shown = [r["name"] for r in json.loads(result.stdout)]
    if backend == "sqlite":
        assert shown == listed == ["甲公司", "乙公司"]
    else:  # PostgreSQL is team mode: KEHU_USER names whose book the lists show
        assert shown == ["甲公司"]


@pytest.mark.sqlite_only
def test_a_personal_book_reassigns_by_owner(book):
    result = ok(book("team", "reassign", "--from", "王磊", "--to", "李娜"))
    assert result.stderr == "2 customers now belong to 李娜\n"
    assert names(book, "--owner", "李娜") == ["甲公司", "乙公司", "丙公司"]
    ok(book("team", "reassign", "丁公司", "--to", "陈晨"))
    assert names(book, "--owner", "陈晨") == ["丁公司"]
    assert book("team", "reassign", "--to", "陈晨").exit_code == 2
    assert book("team", "reassign", "丁公司").exit_code == 2


@pytest.mark.sqlite_only
def test_a_sqlite_book_has_no_team(book):
    for command in (["list"], ["add-seller", "王磊"], ["remove", "王磊"]):
        result = book("team", *command)
        assert result.exit_code == 1, command
        assert result.stderr.startswith("kehu: a team needs a PostgreSQL book (--db postgresql+psycopg://…);")


def test_info_names_the_user(kehu, backend):
    info = ok(kehu("info", env={"KEHU_USER": "王磊"})).stdout
    assert "王磊" in info.splitlines()[2]
