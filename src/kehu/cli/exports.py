"""CSV out: `kehu export customers|contacts|touches|rivals|…`, each re-importable as it is."""

from collections.abc import Callable, Iterable, Iterator
from typing import Annotated, Any

import typer

from kehu.cli.common import ExcelOption, FormatOption, LabelsOption, app_context, print_records
from kehu.i18n import _

export_app = typer.Typer(no_args_is_help=True)

ArchivedToo = Annotated[bool, typer.Option("--active-only", help="Leave archived records out "
                        "(by default everything is exported).")]  # fmt: skip


def _with_progress(rows: Iterator, total: int) -> Iterator:
    """Pass the rows through, advancing a progress bar on a terminal (silent in a pipe)."""
    from kehu.render.progress import progress_bar

    with progress_bar(_("exporting"), total) as advance:
        for row in rows:
            yield row
            advance(1)


@export_app.command("customers")
def export_customers(
    ctx: typer.Context,
    active_only: ArchivedToo = False,
    fmt: FormatOption = None,
    labels: LabelsOption = False,
    excel: ExcelOption = False,
) -> None:
    """Export every customer card (archived too), in id order, with where each stands:
    pipeline, stage, status (codes), next_due and last_touch_on (ISO dates).

    An import reads those computed columns past; export, import into an empty database and
    export again gives the same cards. Example:
    kehu export customers --format csv > customers.csv
    """
    from kehu.book.cards import list_customers, pipeline_words, stage_words
    from kehu.domain.fields import CUSTOMER_FIELDS, CUSTOMER_LIST_FIELDS, customer_state_fields
    from kehu.store.customers import CustomerQuery, count

    app = app_context(ctx)
    query = CustomerQuery(archived="active" if active_only else "all")
    with app.store().read() as connection:
        rows = _with_progress(list_customers(connection, query), count(connection))
        fields = CUSTOMER_LIST_FIELDS  # stages in words only with --labels (or a table)
        if labels or fmt == "table":
            fields = (*CUSTOMER_FIELDS, *customer_state_fields(stage_words(connection), pipeline_words()))
        print_records(rows, fields, fmt or "csv", labels=labels, excel=excel)


@export_app.command("contacts")
def export_contacts(
    ctx: typer.Context,
    active_only: ArchivedToo = False,
    fmt: FormatOption = None,
    labels: LabelsOption = False,
    excel: ExcelOption = False,
) -> None:
    """Export every contact (archived too), with its customer's name.

    Example: kehu export contacts --excel > 联系人.csv
    """
    from kehu.domain.fields import CONTACT_FIELDS
    from kehu.store.contacts import count, list_contacts

    app = app_context(ctx)
    with app.store().read() as connection:
        rows = list_contacts(connection, archived="active" if active_only else "all")
        rows = _with_progress(rows, count(connection))
        print_records(rows, CONTACT_FIELDS, fmt or "csv", labels=labels, excel=excel)


# What the other exports write: each takes the connection and gives its rows, how many there
# are (for the progress bar) and the fields to print them with. Imported when asked for, to keep
# every other command's start-up as it is.


def _touches(connection) -> tuple[Iterable, int, Any]:
    from kehu.domain.fields import TOUCH_FIELDS
    from kehu.store.followups import all_touches, count_touches

    return all_touches(connection), count_touches(connection), TOUCH_FIELDS


def _rivals(connection) -> tuple[Iterable, int, Any]:
    from kehu.domain.fields import RIVAL_FIELDS
    from kehu.store.rivals import count, list_rivals

    return list_rivals(connection), count(connection), RIVAL_FIELDS


def _relationships(connection) -> tuple[Iterable, int, Any]:
    from kehu.domain.fields import RELATIONSHIP_FIELDS
    from kehu.store.org import count_changes, history

    return history(connection, newest_first=False), count_changes(connection), RELATIONSHIP_FIELDS


def _answers(connection) -> tuple[Iterable, int, Any]:
    from kehu.domain.fields import STAGE_ANSWER_FIELDS
    from kehu.store.answers import all_answers, count_answers

    return all_answers(connection), count_answers(connection), STAGE_ANSWER_FIELDS


def _needs(connection) -> tuple[Iterable, int, Any]:
    from kehu.domain.fields import NEED_FIELDS
    from kehu.store import needs

    return needs.all_needs(connection), needs.count(connection), NEED_FIELDS


def _credit(connection) -> tuple[Iterable, int, Any]:
    from kehu.domain.credit import CREDIT_CHECK_FIELDS
    from kehu.store import credit

    return credit.all_checks(connection), credit.count(connection), CREDIT_CHECK_FIELDS


def _instalments(connection) -> tuple[Iterable, int, Any]:
    from kehu.domain.schedule import INSTALMENT_EXPORT_FIELDS
    from kehu.store import contracts

    rows = contracts.all_instalments(connection)
    return rows, contracts.count_instalments(connection), INSTALMENT_EXPORT_FIELDS


def _targets(connection) -> tuple[Iterable, int, Any]:
    from kehu.domain.targets import TARGET_FIELDS
    from kehu.store import targets

    return targets.list_targets(connection), targets.count(connection), TARGET_FIELDS


def _offers(table: str) -> Callable[[Any], tuple[Iterable, int, Any]]:
    def source(connection) -> tuple[Iterable, int, Any]:
        from kehu.domain.fields import PROPOSAL_FIELDS, QUOTE_FIELDS
        from kehu.store import offers

        fields = PROPOSAL_FIELDS if table == "proposal" else QUOTE_FIELDS
        return offers.all_offers(connection, table), offers.count(connection, table), fields

    return source


def _complaints(connection) -> tuple[Iterable, int, Any]:
    from kehu.domain.fields import COMPLAINT_FIELDS
    from kehu.store import complaints

    return complaints.all_complaints(connection), complaints.count(connection), COMPLAINT_FIELDS


def _collections(connection, today) -> tuple[Iterable, int, Any]:
    from kehu.book.collections import list_collections
    from kehu.domain.fields import COLLECTION_EXPORT_FIELDS
    from kehu.store import collections

    return list_collections(connection, None, today), collections.count(connection), COLLECTION_EXPORT_FIELDS


# The sources whose rows depend on the day, given it too (a promise is broken once its day passed).
_AS_OF_TODAY = {_collections}


def _export_command(source: Callable[..., tuple[Iterable, int, Any]], doc: str) -> Callable[..., None]:
    def command(ctx: typer.Context, fmt: FormatOption = None, labels: LabelsOption = False,
                excel: ExcelOption = False) -> None:  # fmt: skip
        app = app_context(ctx)
        with app.store().read() as connection:
            rows, total, fields = (
                source(connection, app.today) if source in _AS_OF_TODAY else source(connection)
            )
            print_records(_with_progress(iter(rows), total), fields, fmt or "csv", labels=labels, excel=excel)

    command.__doc__ = doc
    return command


_EXPORTS = {
    "instalments": (
        _instalments,
        """Export every contract's instalments (its payment schedule), in contract order: number,
    customer, seq, amount, label, event, days, due_on (empty until its event happened).

    Example: kehu export instalments > 付款计划.csv
    """,
    ),
    "touches": (
        _touches,
        """Export the whole follow-up log, oldest first (re-importable with kehu import touches).

    Example: kehu export touches --excel --labels > 跟进记录.csv
    """,
    ),
    "rivals": (
        _rivals,
        """Export every rival, with its customer's name (re-importable with kehu import rivals).

    Example: kehu export rivals --excel > 竞争对手.csv
    """,
    ),
    "relationships": (
        _relationships,
        """Export every relationship stage change, oldest first (re-importable: kehu import relationships).

    Example: kehu export relationships > 关系.csv
    """,
    ),
    "answers": (
        _answers,
        """Export every answer to the stages' questions (re-importable with kehu import answers).

    Example: kehu export answers > 推进问题.csv
    """,
    ),
    "needs": (
        _needs,
        """Export every need, oldest first, with its customer's and contact's names (re-importable).

    Example: kehu export needs --excel > 需求.csv
    """,
    ),
    "proposals": (
        _offers("proposal"),
        """Export every proposal, oldest first (re-importable: the versions come out the same).

    Example: kehu export proposals > 建议书.csv
    """,
    ),
    "quotes": (
        _offers("quote"),
        """Export every quote, oldest first (re-importable with kehu import quotes).

    Example: kehu export quotes --labels > 报价.csv
    """,
    ),
    "credit": (
        _credit,
        """Export every credit check, oldest first, with its customer's name (re-importable).

    Example: kehu export credit > 信用审查.csv
    """,
    ),
    "complaints": (
        _complaints,
        """Export every complaint, oldest first, with its customer's name (re-importable).

    Example: kehu export complaints > 投诉.csv
    """,
    ),
    "collections": (
        _collections,
        """Export every collection action, oldest first, with its customer's name, its contract's
    number and its promise's status today (re-importable with kehu import collections).

    Example: kehu export collections > 催款记录.csv
    """,
    ),
    "targets": (
        _targets,
        """Export every monthly target, by month (re-importable with kehu import targets).

    Example: kehu export targets > 销售目标.csv
    """,
    ),
}  # fmt: skip
for _name, (_source, _doc) in _EXPORTS.items():
    export_app.command(_name)(_export_command(_source, _doc))


def register(root: typer.Typer) -> None:
    root.add_typer(export_app, name="export", help="Export records as CSV (or any --format).")
