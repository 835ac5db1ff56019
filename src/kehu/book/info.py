"""`kehu info`: which book, why, what it holds, and the settings kehu runs with (the config file)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kehu.domain.vocabulary import Choice, Vocabulary

if TYPE_CHECKING:
    from kehu.config import Settings
    from kehu.store.db import Store

# The interface language, as info shows it: a code for scripts, a word for people.
LANGUAGE = Vocabulary("language", (Choice("zh", "中文", "Chinese"), Choice("en", "英文", "English")))
# How the database was chosen (store.location.CHOSEN_BY): a code for scripts, words for people.
CHOSEN_BY = Vocabulary("chosen by", (
    Choice("option", "--db 选项", "--db option"),
    Choice("environment", "KEHU_DB 环境变量", "KEHU_DB variable"),
    Choice("config", "配置文件的 db", "db in the config file"),
    Choice("default", "默认位置", "default location"),
))  # fmt: skip
# The user's part in team mode (PostgreSQL): a code for scripts, words for people.
PART = Vocabulary("part", (
    Choice("manager", "经理", "manager"),
    Choice("seller", "销售", "seller"),
    Choice("owner", "表的所有者", "owner of the tables"),
    Choice("outsider", "不在团队中", "not on the team"),
))  # fmt: skip


def book_info(store: Store, user: str, *, words: bool = False) -> dict[str, Any]:
    """The book (where, why, its schema and counts), `user` as the command line describes them,
    and the settings of the config file (with `words`, in the user's words: settings_info)."""
    from kehu import __version__
    from kehu.store import contacts, customers

    with store.read() as connection:
        record = {
            "database": store.location.display(),
            "reason": store.location.chosen_by,
            "user": user,
            "schema": store.revision,
            "customers": customers.count(connection),
            "archived": customers.count(connection, archived=True),
            "contacts": contacts.count(connection),
        }
    return {**record, **settings_info(words=words), "version": __version__}


def settings_info(settings: Settings | None = None, *, words: bool = False) -> dict[str, Any]:
    """The config file in use (where, whether it exists) and what in it changes kehu: workdays,
    the interface language, and the words it adds to kehu's lists (each list as one text,
    `快递 = courier; 闪送 = same day`, empty when it adds none). The collection ladder and the
    credit thresholds are in codes, or with `words` in the user's words (a table for a person)."""
    from kehu.config import EXTENDABLE, load_settings
    from kehu.i18n import language

    settings = settings or load_settings()
    record = {
        "config": str(settings.path),
        "config_exists": settings.exists,
        "workdays": settings.get("workdays") is True,
        "language": language(),
    }
    for name in EXTENDABLE:
        record[f"added_{name}"] = "; ".join(f"{c.zh} = {c.en}" for c in settings.words.get(name, ()))
    record["added_lost_reason"] = "; ".join(settings.get("lost_reasons", []))
    from kehu.domain import credit
    from kehu.domain.collection import describe, ladder_from_config
    from kehu.domain.vocabulary import COLLECTION_METHOD

    def credit_word(code: str) -> str:  # a figure's, or pass/watch
        return (credit.MEASURE if code in credit.FIGURES else credit.VERDICT).label(code)

    ladder, thresholds = ladder_from_config(settings.get("collection")), credit.thresholds_from_config(
        settings.get("credit"))  # fmt: skip
    record["collection_ladder"] = describe(ladder, COLLECTION_METHOD.label if words else str)
    record["credit_thresholds"] = credit.describe(thresholds, credit_word if words else str)
    return record
