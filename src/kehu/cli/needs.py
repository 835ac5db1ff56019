"""A customer's needs (挖掘需求): `kehu need add|list|edit|status|remove`."""

from datetime import date
from typing import Annotated

import typer

from kehu.cli.common import FormatOption, LabelsOption, app_context, print_records_or_note, say
from kehu.cli.params import DATE, CustomerArg, complete_words, optional_customer
from kehu.domain.fields import NEED_FIELDS
from kehu.domain.vocabulary import NEED_KIND, NEED_STATUS, PRIORITY
from kehu.i18n import _

app = typer.Typer(no_args_is_help=True)

# At 80 columns: what is needed and by whom, how pressing, whether met; then the rest.
NEED_PRIORITY = (
    "description",
    "customer",
    "priority",
    "status",
    "id",
    "kind",
    "contact",
    "noted_on",
    "notes",
)

NeedId = Annotated[int, typer.Argument(metavar="ID", help="The need's id (kehu need list).")]
KindOption = Annotated[
    str | None,
    typer.Option("--kind", "-k", help="{field:need.kind}.", autocompletion=complete_words(NEED_KIND)),
]
PriorityOption = Annotated[
    str | None,
    typer.Option("--priority", "-p", help="{field:need.priority}.", autocompletion=complete_words(PRIORITY)),
]
StatusOption = Annotated[
    str | None,
    typer.Option("--status", help="{field:need.status}.", autocompletion=complete_words(NEED_STATUS)),
]
FromOption = Annotated[
    str | None, typer.Option("--from", help="Whose need: a contact of the customer (name or part).")
]
NotesOption = Annotated[str | None, typer.Option("--notes", help="Notes.")]


@app.command("add")
def add(
    ctx: typer.Context,
    customer: CustomerArg,
    text: Annotated[str, typer.Argument(metavar="NEED", help="What the customer needs.")],
    kind: KindOption = None,
    priority: PriorityOption = None,
    contact: FromOption = None,
    on: Annotated[
        date | None, typer.Option("--on", click_type=DATE, help="When it was heard (default today).")
    ] = None,  # fmt: skip
    notes: NotesOption = None,
    status: StatusOption = None,
) -> None:
    """Note a need of a customer: goals, problems, the solution wanted, products, purchase criteria.

    Example: kehu need add hzkj "年底前上线新仓库系统" --kind 业务 --priority 高 --from 张伟
    """
    from kehu.book import needs

    app_ = app_context(ctx)
    noted = needs.add_need(app_.store(), customer, text, today=app_.today, now=app_.now(), kind=kind,
                           priority=priority, contact=contact, noted_on=on, notes=notes,
                           status=status)  # fmt: skip
    say(_("noted need {id} of {name}: {need}").format(id=noted.need_id, name=noted.customer,
                                                      need=noted.description))  # fmt: skip


@app.command("list")
def list_needs(
    ctx: typer.Context,
    customer: Annotated[str | None, optional_customer("Only this customer's needs.")] = None,
    status: StatusOption = None,
    kind: KindOption = None,
    fmt: FormatOption = None,
    labels: LabelsOption = False,
) -> None:
    """List needs, of one customer or of all: open ones first, the most pressing first.

    Example: kehu need list hzkj      kehu need list --status open --format csv
    """
    from kehu.book import needs

    app_ = app_context(ctx)
    found = needs.needs(app_.store(), customer, status=status, kind=kind)
    print_records_or_note(found, NEED_FIELDS, fmt, _("no needs"), priority=NEED_PRIORITY, labels=labels)


@app.command("edit")
def edit(
    ctx: typer.Context,
    need_id: NeedId,
    text: Annotated[str | None, typer.Option("--text", help="What the customer needs.")] = None,
    kind: KindOption = None,
    priority: PriorityOption = None,
    contact: FromOption = None,
    on: Annotated[date | None, typer.Option("--on", click_type=DATE, help="When it was heard.")] = None,
    notes: NotesOption = None,
    status: StatusOption = None,
) -> None:
    """Change a need (an empty value clears --kind, --priority, --from or --notes).

    Example: kehu need edit 3 --priority 中 --from 李娜
    """
    from kehu.book import needs

    app_ = app_context(ctx)
    given = {"description": text, "kind": kind, "priority": priority, "contact": contact, "noted_on": on,
             "notes": notes, "status": status}  # fmt: skip
    changes = {key: value for key, value in given.items() if value is not None}
    edited = needs.edit_need(app_.store(), need_id, changes, today=app_.today, now=app_.now())
    say(_("updated need {id} of {name}").format(id=need_id, name=edited.customer))


@app.command("status")
def set_status(
    ctx: typer.Context,
    need_id: NeedId,
    status: Annotated[
        str, typer.Argument(help="{field:need.status}.", autocompletion=complete_words(NEED_STATUS))
    ],  # fmt: skip
    reason: Annotated[str | None, typer.Option("--reason", "-r", help="Why; added to the notes.")] = None,
) -> None:
    """Mark a need met, dropped or open again.

    Example: kehu need status 3 已满足      kehu need status 4 dropped --reason "预算砍掉了"
    """
    from kehu.book import needs

    app_ = app_context(ctx)
    changed = needs.set_status(app_.store(), need_id, status, now=app_.now(), reason=reason)
    say(_("need {id} of {name}: {status}").format(id=need_id, name=changed.customer,
                                                  status=NEED_STATUS.label(changed.status)))  # fmt: skip


@app.command("remove")
def remove(ctx: typer.Context, need_id: NeedId) -> None:
    """Remove a need noted by mistake (mark a need met or dropped instead: kehu need status).

    Example: kehu need remove 3
    """
    from kehu.book import needs

    app_ = app_context(ctx)
    removed = needs.remove_need(app_.store(), need_id)
    say(_("removed need {id} of {name}").format(id=need_id, name=removed.customer))


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="need", help="A customer's needs: add, list, edit, status, remove.")
