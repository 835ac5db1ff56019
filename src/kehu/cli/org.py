"""`kehu org`: a customer's organisation (组织结构) as a tree, or flat records for scripts."""

import typer

from kehu.cli.common import FormatOption, LabelsOption, app_context, chosen_format, print_records, say
from kehu.cli.params import CustomerArg
from kehu.domain.fields import FIELDS_BY_KEY, Field
from kehu.i18n import _

_CONTACT = FIELDS_BY_KEY["contact"]
# One record a person, the superior by name; depth 0 is the top of the chart.
ORG_FIELDS: tuple[Field, ...] = (
    _CONTACT["id"],
    _CONTACT["name"],
    _CONTACT["reports_to"],
    Field("depth", "层级", "depth", "count"),
    *(_CONTACT[key] for key in ("title", "department", "years_at_company", "role", "insider", "style",
                                "relationship", "authority", "authority_limit", "is_key")),
)  # fmt: skip


def org(
    ctx: typer.Context,
    customer: CustomerArg,
    fmt: FormatOption = None,
    labels: LabelsOption = False,
) -> None:
    """Draw a customer's organisation: each person under whom they report to.

    Each person shows title, department, purchase role, insider level, style, stage, authority.
    Set them with kehu contact add/edit (--reports-to, --department …) and kehu contact relate.
    csv/tsv/json/jsonl give a record a person, with the superior's name and the chart's depth.

    Example: kehu org hzkj
    """
    from kehu.book.org import org_chart

    chart = org_chart(app_context(ctx).store(), customer)
    if not chart.people:
        say(_("no contacts yet: kehu contact add {id} NAME").format(id=chart.customer_id))
    if chosen_format(fmt) == "table":
        if chart.people:
            from kehu.render.org import print_org

            print_org(chart.customer, chart.people)
        return
    records = ({**person, "depth": depth} for depth, person in chart.people)
    print_records(records, ORG_FIELDS, fmt, labels=labels)


def register(app: typer.Typer) -> None:
    app.command("org")(org)
