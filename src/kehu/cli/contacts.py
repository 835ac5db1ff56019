"""Contacts of a customer (联系人): add, list, edit, archive, restore; relationship stages."""

from datetime import date
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
    print_records_or_note,
    say,
    with_field_options,
)
from kehu.cli.params import DATE, CustomerArg, WordType, optional_customer
from kehu.domain.fields import CONTACT_FIELDS, RELATIONSHIP_FIELDS
from kehu.domain.vocabulary import RELATIONSHIP
from kehu.i18n import _

app = typer.Typer(no_args_is_help=True)
# reports_to names another contact of the same customer (any reference, as CONTACT arguments).
EDITABLE = [f for f in CONTACT_FIELDS if f.editable and f.key != "customer"
            and f.kind not in ("timestamp", "name", "id")]  # fmt: skip
# The relationship stage changes with `contact relate`, which keeps the history (and the reason).
EDITED = [f for f in EDITABLE if f.key != "relationship"]
ContactArg = Annotated[str, typer.Argument(help="Contact id, name or part of the name.")]
PANEL = _("Contact fields")
# At 80 columns: who, where, how to reach them, and how they stand in the purchase.
LIST_PRIORITY = ("name", "customer", "title", "phone", "role", "relationship", "reports_to", "department")


@app.command("add")
@with_field_options(EDITABLE, PANEL)
def add(
    ctx: typer.Context,
    customer: CustomerArg,
    name: Annotated[str, typer.Argument(help="The contact's name.")],
    values: dict,
) -> None:
    """Add a contact to a customer.

    --reports-to names their superior, another contact of the customer; --relationship starts
    their relationship history (kehu contact relate moves it on).
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
        count = print_records(rows, CONTACT_FIELDS, fmt, labels=labels, excel=excel, priority=LIST_PRIORITY)
    if count == 0:
        say(_("no contacts match"))


@app.command("edit")
@with_field_options(EDITED, PANEL)
def edit(
    ctx: typer.Context,
    customer: CustomerArg,
    contact: ContactArg,
    values: dict,
    new_name: Annotated[str | None, typer.Option("--name", help="Rename the contact.")] = None,
) -> None:
    """Change fields of a contact (an empty value clears a field).

    --reports-to names another contact of the customer; a chain of command that would come back
    round (A reports to B, B to A) is refused. The relationship stage: kehu contact relate.
    Example: kehu contact edit hzkj 张伟 --insider 高级 --reports-to 沈国强 --authority-limit 50万
    """
    from kehu.book.contacts import edit_contact

    app_ = app_context(ctx)
    changes = parse_changes(EDITED, values, new_name, app_.today)
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


@app.command("relate")
def relate(
    ctx: typer.Context,
    customer: CustomerArg,
    contact: ContactArg,
    stage: Annotated[str, typer.Argument(click_type=WordType(RELATIONSHIP), help="{words:relationship}.")],
    reason: Annotated[str | None, typer.Option("--reason", "-r", help="Why (kept in the history); "
                      "needed to move down a stage.")] = None,  # fmt: skip
    on: Annotated[date | None, typer.Option("--on", click_type=DATE, help="The day it changed "
                  "(default today).")] = None,  # fmt: skip
) -> None:
    """Set a contact's relationship stage ({words:relationship}); the change is kept.

    The stages go in that order, the closest last. Moving down a stage needs --reason.
    Building trust ends when the key people are trusted or beyond.
    Example: kehu contact relate hzkj 沈国强 信赖 --reason "饭后聊了家里的事"
    """
    from kehu.book.org import relate as set_relationship

    app_ = app_context(ctx)
    related = set_relationship(app_.store(), customer, contact, stage, reason=reason,
                               on=on or app_.today, now=app_.now())  # fmt: skip
    new = RELATIONSHIP.label(related.new)
    if related.changed:
        old = RELATIONSHIP.label(related.old) if related.old else "-"
        say(_("{name}: relationship {old} → {new}").format(name=related.contact, old=old, new=new))
    else:
        say(_("{name} is already at {stage}").format(name=related.contact, stage=new))


@app.command("relations")
def relations(
    ctx: typer.Context,
    customer: Annotated[str | None, optional_customer("Only this customer's contacts.")] = None,
    contact: Annotated[str | None, typer.Option("--contact", "-c", help="Only this contact "
                       "(of the customer).")] = None,  # fmt: skip
    fmt: FormatOption = None,
    labels: LabelsOption = False,
) -> None:
    """The relationship history: every stage change, with its day and reason, newest first.

    Example: kehu contact relations hzkj --contact 沈国强
    """
    from kehu.book.org import relations as history
    from kehu.errors import UsageError

    if contact is not None and customer is None:
        raise UsageError(_("--contact needs the customer: kehu contact relations CUSTOMER --contact NAME"))
    past = history(app_context(ctx).store(), customer, contact)
    empty = (_("no relationship changes recorded for {name}").format(name=past.customer) if past.customer
             else _("no relationship changes recorded"))  # fmt: skip
    priority = ("contact", "new_relationship", "changed_on", "reason", "old_relationship")
    print_records_or_note(past.changes, RELATIONSHIP_FIELDS, fmt, empty, labels=labels, priority=priority)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="contact", help="Contacts of a customer: add, list, edit, archive, relate.")
