"""Contacts of a customer (联系人): add, list, edit, archive, restore."""

from typing import Annotated

import typer

from kehu.cli.common import (
    ExcelOption,
    FormatOption,
    LabelsOption,
    app_context,
    parse_changes,
    parse_given,
    parse_new_name,
    print_records,
    say,
    with_field_options,
)
from kehu.cli.params import CustomerArg, optional_customer
from kehu.domain.fields import CONTACT_FIELDS
from kehu.i18n import _

app = typer.Typer(no_args_is_help=True)
EDITABLE = [f for f in CONTACT_FIELDS
            if f.editable and f.kind not in ("timestamp", "name", "ref", "id")]  # fmt: skip
ContactArg = Annotated[str, typer.Argument(help="Contact id, name or part of the name.")]
PANEL = _("Contact fields")


@app.command("add")
@with_field_options(EDITABLE, PANEL)
def add(
    ctx: typer.Context,
    customer: CustomerArg,
    name: Annotated[str, typer.Argument(help="The contact's name.")],
    values: dict,
) -> None:
    """Add a contact to a customer.

    Example: kehu contact add hzkj 张伟 --title 采购经理 --role 决策者 --style 猫头鹰 --is-key 是
    """
    from kehu.book.contacts import add_contact

    app_ = app_context(ctx)
    clean_name = parse_new_name(name)
    contact = parse_given(EDITABLE, values, app_.today)
    with app_.store().write() as connection:
        added = add_contact(connection, customer, clean_name, contact, now=app_.now())
    say(_("added contact {id}: {name} ({customer})").format(
        id=added.contact_id, name=added.name, customer=added.customer))  # fmt: skip


@app.command("list")
def list_contacts(
    ctx: typer.Context,
    customer: Annotated[str | None, optional_customer("Only this customer's contacts.")] = None,
    search: Annotated[str | None, typer.Option("--search", "-s", help="Part of the name.")] = None,
    archived: Annotated[bool, typer.Option("--archived", help="Only archived contacts.")] = False,
    include_all: Annotated[bool, typer.Option("--all", "-a", help="Active and archived.")] = False,
    fmt: FormatOption = None,
    labels: LabelsOption = False,
    excel: ExcelOption = False,
) -> None:
    """List contacts, of one customer or of all.

    Example: kehu contact list hzkj --format json
    """
    from kehu.store import contacts as store
    from kehu.store.lookup import resolve_customer

    app_ = app_context(ctx)
    with app_.store().read() as connection:
        customer_id = resolve_customer(connection, customer)["id"] if customer else None
        rows = store.list_contacts(
            connection, customer_id, search=search,
            archived="all" if include_all else ("archived" if archived else "active"),
        )  # fmt: skip
        count = print_records(rows, CONTACT_FIELDS, fmt, labels=labels, excel=excel)
    if count == 0:
        say(_("no contacts match"))


@app.command("edit")
@with_field_options(EDITABLE, PANEL)
def edit(
    ctx: typer.Context,
    customer: CustomerArg,
    contact: ContactArg,
    values: dict,
    new_name: Annotated[str | None, typer.Option("--name", help="Rename the contact.")] = None,
) -> None:
    """Change fields of a contact (an empty value clears a field).

    Example: kehu contact edit hzkj 张伟 --insider 高级 --birthday 1978-08-15
    """
    from kehu.book.contacts import edit_contact

    app_ = app_context(ctx)
    changes = parse_changes(EDITABLE, values, new_name, app_.today)
    with app_.store().write() as connection:
        edited = edit_contact(connection, customer, contact, changes, now=app_.now())
    say(_("updated contact {id}: {name}").format(id=edited.contact_id, name=edited.name))


def _set_archived(ctx: typer.Context, customer: str, contact: str, *, archive: bool) -> None:
    from kehu.book.contacts import set_archived

    app_ = app_context(ctx)
    with app_.store().write() as connection:
        row = set_archived(connection, customer, contact, archive=archive, now=app_.now())
    done = _("archived contact {id}: {name}") if archive else _("restored contact {id}: {name}")
    say(done.format(id=row.contact_id, name=row.name))


@app.command("archive")
def archive(ctx: typer.Context, customer: CustomerArg, contact: ContactArg) -> None:
    """Archive a contact (who left the company, say); kept, never deleted.

    Example: kehu contact archive hzkj 张伟
    """
    _set_archived(ctx, customer, contact, archive=True)


@app.command("restore")
def restore(ctx: typer.Context, customer: CustomerArg, contact: ContactArg) -> None:
    """Bring an archived contact back.

    Example: kehu contact restore hzkj 张伟
    """
    _set_archived(ctx, customer, contact, archive=False)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="contact", help="Contacts of a customer: add, list, edit, archive.")
