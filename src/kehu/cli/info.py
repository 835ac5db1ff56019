"""`kehu info`: which database, why, its schema version and what it holds, and the config file."""

import shutil

import typer

from kehu.book.info import CHOSEN_BY, LANGUAGE, PART
from kehu.cli.common import FormatOption, app_context, print_records
from kehu.domain.fields import Field, format_value

_INFO_FIELDS = (
    Field("database", "数据库", "database"),
    Field("reason", "来源", "chosen by", "choice", CHOSEN_BY),
    Field("user", "用户", "user"),
    Field("login", "数据库登录名", "login"),
    Field("part", "团队角色", "part", "choice", PART),
    Field("schema", "架构版本", "schema"),
    Field("customers", "客户", "customers", "count"),
    Field("archived", "已归档", "archived", "count"),
    Field("contacts", "联系人", "contacts", "count"),
    Field("config", "配置文件", "config file"),
    Field("config_exists", "配置文件存在", "config file exists", "flag"),
    Field("workdays", "顺延到工作日", "workdays", "flag"),
    Field("language", "界面语言", "language", "choice", LANGUAGE),
    Field("added_channel", "新增跟进方式", "added channels"),
    Field("added_source", "新增客户来源", "added sources"),
    Field("added_industry", "新增行业", "added industries"),
    Field("added_lost_reason", "新增丢单原因", "added lost reasons"),
    Field("collection_ladder", "催款阶梯", "collection ladder"),
    Field("credit_thresholds", "信用审查阈值", "credit thresholds"),
    Field("version", "kehu 版本", "kehu version"),
)


def info(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """Print which database is used and why, its schema version and counts, and the config file
    in use: whether it exists, workdays, the language and the words it adds.

    Example: kehu info
    """
    from kehu.book.info import book_info

    app = app_context(ctx)
    user = app.user()
    # Data: the name, the login and the part as codes; a table says it in one line of words.
    table = (fmt or "table") == "table" and fmt != "csv"
    record = {**book_info(app.store(), user.name, words=table), "login": user.login, "part": _part(user)}
    if table:
        record["user"] = _describe(user)
        from rich.cells import cell_len  # Chinese labels are two cells wide each

        from kehu.render.visible import visible_line

        # A list the config file adds nothing to is left out of the table (scripts get "").
        shown = [f for f in _INFO_FIELDS if (not f.key.startswith("added_") or record[f.key])
                 and f.key not in ("login", "part")]  # fmt: skip
        width = max(cell_len(f.label) for f in shown)
        room = shutil.get_terminal_size().columns - width - 2
        for field in shown:
            padding = " " * (width - cell_len(field.label))
            text = format_value(field, record[field.key], labels=True, human=True)
            # The user (KEHU_USER), the paths and the config's words are the environment's text:
            # shown escaped.
            lines = _packed(visible_line(text), room)
            typer.echo(f"{field.label}{padding}  " + ("\n" + " " * (width + 2)).join(lines))
        return
    print_records([record], _INFO_FIELDS, fmt)


def _packed(text: str, room: int) -> list[str]:
    """A long value (the collection ladder, the credit thresholds: parts joined by "; ") on as
    many lines as it needs, broken between its parts, so that it stays in its column."""
    from rich.cells import cell_len

    lines: list[str] = []
    for part in text.split("; "):
        if lines and cell_len(lines[-1]) + 2 + cell_len(part) <= room:
            lines[-1] += "; " + part
            continue
        if lines:
            lines[-1] += ";"
        lines.append(part)
    return lines


def _part(user) -> str | None:
    """The user's part in team mode (PART's code); None on SQLite, where there is no team."""
    if user.login is None:
        return None
    if user.member:
        return "manager" if user.manager else "seller"
    return "owner" if user.sees_all else "outsider"


def _describe(user) -> str:
    """The user as info shows it: the name, and in team mode their part and login."""
    from kehu.i18n import _

    if user.login is None:
        return user.name
    if user.member:
        part = _("manager") if user.manager else _("seller")
        return _("{name} ({part}, login {login})").format(name=user.name, part=part, login=user.login)
    if user.sees_all:
        return _("{name} (login {login}: owner of the tables, sees every customer)").format(
            name=user.name, login=user.login)  # fmt: skip
    return _("{name} (login {login}: not on the team, sees no customer)").format(
        name=user.name, login=user.login)  # fmt: skip


def register(app: typer.Typer) -> None:
    app.command("info")(info)
