"""The columns of an import file: the Swedish headers of each kind of list and their keys.

The assignment columns are the export's own (assignments.columns), so that an
exported list imports back unchanged.
"""

from django.core.exceptions import FieldDoesNotExist

from assignments.columns import ASSIGNMENT_COLUMNS, FileColumn
from assignments.models import Assignment, Meeting
from budget.models import BudgetRow

ASSIGNMENTS = "assignments"
BUDGET = "budget"
MEETINGS = "meetings"
# Excel's own limit: no cell of a real workbook holds more characters.
EXCEL_CELL_LIMIT = 32767


# A new assignment needs these columns even though an update may leave them out.
NEEDED_BY_NEW = ("decision_reference",)
BUDGET_COLUMNS = (
    FileColumn("year", "år"),
    FileColumn("name", "namn", aliases=("budgetrad",)),
    FileColumn("account_class", "kontoklass"),
    FileColumn("budget", "budget", aliases=("budget (kr)",)),
    FileColumn("outcome", "utfall", required=False, aliases=("utfall (kr)",)),
)
# A sammanträdesplan: organ;datum[;diarienummer]. The body is KS, KSAU, KF or the
# committee's name, as the plan writes it.
MEETING_COLUMNS = (
    FileColumn("body", Meeting._meta.get_field("body").verbose_name),
    FileColumn("date", Meeting._meta.get_field("date").verbose_name, aliases=("datum", "date")),
    FileColumn(
        "protocol_reference",
        Meeting._meta.get_field("protocol_reference").verbose_name,
        required=False,
        aliases=("diarienummer", "dnr"),
    ),
)
COLUMNS = {ASSIGNMENTS: ASSIGNMENT_COLUMNS, BUDGET: BUDGET_COLUMNS, MEETINGS: MEETING_COLUMNS}
MODELS = {ASSIGNMENTS: Assignment, BUDGET: BudgetRow, MEETINGS: Meeting}
# What each page of upload accepts: the register's lists, or a meeting plan.
REGISTER_KINDS = (ASSIGNMENTS, BUDGET)
PLAN_KINDS = (MEETINGS,)


def column_header(kind, key):
    return next(column.header for column in COLUMNS[kind] if column.key == key)


def max_cell_length(kind, key):
    """The most characters a cell of the column may hold: its text field's maximum, else
    Excel's own limit (a status word, a name to look up, a date or a number)."""
    try:
        field = MODELS[kind]._meta.get_field(key)
    except FieldDoesNotExist:
        return EXCEL_CELL_LIMIT
    if field.choices or field.is_relation or not field.max_length:
        return EXCEL_CELL_LIMIT
    return min(field.max_length, EXCEL_CELL_LIMIT)
