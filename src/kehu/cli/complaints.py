"""After-sale complaints (维护): `kehu complaint add|resolve|list`."""

from datetime import date
from typing import Annotated

import typer

from kehu.cli.common import FormatOption, LabelsOption, app_context, print_records_or_note, say
from kehu.cli.params import DATE, CustomerArg, complete_words, optional_customer
from kehu.domain.fields import COMPLAINT_FIELDS, Field
from kehu.domain.vocabulary import SEVERITY
from kehu.i18n import _

app = typer.Typer(no_args_is_help=True)

# A list also says how long each has been open (or took to resolve).
LIST_FIELDS = (*COMPLAINT_FIELDS, Field("days", "天数", "days", "count"))
# At 80 columns: what, whose, how severe, whether resolved and how long; then the rest.
COMPLAINT_PRIORITY = (
    "description",
    "customer",
    "severity",
    "status",
    "days",
    "id",
    "raised_on",
    "contact",
    "resolved_on",
    "resolution",
)

ComplaintId = Annotated[int, typer.Argument(metavar="ID", help="The complaint's id (kehu complaint list).")]


@app.command("add")
def add(
    ctx: typer.Context,
    customer: CustomerArg,
    text: Annotated[str, typer.Argument(metavar="COMPLAINT", help="What the customer complains about.")],
    severity: Annotated[
        str | None,
        typer.Option(
            "--severity", "-s", help="{field:complaint.severity}.", autocompletion=complete_words(SEVERITY)
        ),
    ] = None,  # fmt: skip
    contact: Annotated[
        str | None, typer.Option("--from", help="Who complained: a contact of the customer (name or part).")
    ] = None,  # fmt: skip
    on: Annotated[
        date | None, typer.Option("--on", click_type=DATE, help="When it was raised (default today).")
    ] = None,  # fmt: skip
) -> None:
    """Record a customer's complaint: due in kehu followups until resolved, shown on the card.

    Example: kehu complaint add hzkj "交货晚了两周" --severity 高 --from 张伟
    """
    from kehu.book import complaints

    app_ = app_context(ctx)
    added = complaints.add_complaint(app_.store(), customer, text, today=app_.today, now=app_.now(),
                                     severity=severity, contact=contact, raised_on=on)  # fmt: skip
    say(_("complaint {id} of {name}: {complaint}").format(id=added.complaint_id, name=added.customer,
                                                          complaint=added.description))  # fmt: skip


@app.command("resolve")
def resolve(
    ctx: typer.Context,
    complaint_id: ComplaintId,
    resolution: Annotated[str | None, typer.Option("--resolution", "-r", help="How it was resolved.")] = None,
    on: Annotated[
        date | None, typer.Option("--on", click_type=DATE, help="When it was resolved (default today).")
    ] = None,  # fmt: skip
) -> None:
    """Mark a complaint resolved: it is no longer due.

    Example: kehu complaint resolve 3 --resolution "补发货物，赔偿运费"
    """
    from kehu.book import complaints

    app_ = app_context(ctx)
    done = complaints.resolve_complaint(app_.store(), complaint_id, today=app_.today, now=app_.now(),
                                        resolution=resolution, resolved_on=on)  # fmt: skip
    say(_("complaint {id} of {name} resolved").format(id=complaint_id, name=done.customer))


@app.command("list")
def list_complaints(
    ctx: typer.Context,
    customer: Annotated[str | None, optional_customer("Only this customer's complaints.")] = None,
    open_only: Annotated[bool, typer.Option("--open", help="Only complaints not yet resolved.")] = False,
    fmt: FormatOption = None,
    labels: LabelsOption = False,
) -> None:
    """List complaints, of one customer or of all: open ones first, the most severe first.

    Example: kehu complaint list hzkj      kehu complaint list --open --format csv
    """
    from kehu.book import complaints

    app_ = app_context(ctx)
    found = complaints.complaints(app_.store(), customer, today=app_.today, open_only=open_only)
    print_records_or_note(found, LIST_FIELDS, fmt, _("no complaints"), priority=COMPLAINT_PRIORITY,
                          labels=labels)  # fmt: skip


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="complaint", help="After-sale complaints: add, resolve, list.")
