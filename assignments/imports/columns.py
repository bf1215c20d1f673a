"""The columns of an import file: the Swedish headers of each kind of list and their keys.

The assignment list's export takes its headings from the same definitions, so that an
exported list imports back unchanged.
"""

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from budget.models import BudgetRow

from ..models import Assignment

ASSIGNMENTS = "assignments"
BUDGET = "budget"
# Excel's own limit: no cell of a real workbook holds more characters.
EXCEL_CELL_LIMIT = 32767


@dataclass(frozen=True)
class Column:
    """A column of the file: its heading and the other names it may have.

    `label` is the heading the export writes (a translatable text, or plain Swedish for
    a column only imports have); its Swedish form, in lower case, is the file's header.
    """

    key: str
    label: str
    required: bool = True
    aliases: tuple = ()

    @property
    def header(self):
        with translation.override("sv"):
            return str(self.label).lower()

    def names(self):
        """Every header the column is recognised by: Swedish, English (an export made
        in English) and the aliases."""
        with translation.override("en"):
            english = str(self.label).lower()
        return (self.header, english, *self.aliases)


# The headers are the file's vocabulary, Swedish as in the export's header row.
# A column that is not required may be left out: an existing assignment then keeps
# its value, a new one that needs it gets an error (see NEEDED_BY_NEW).
ASSIGNMENT_COLUMNS = (
    Column("reference", _("Diarienummer"), aliases=("dnr",)),
    Column("title", _("Title")),
    Column("description", "beskrivning", required=False),
    Column("status", _("Status")),
    Column("responsible_unit", _("Responsible unit")),
    Column("area", _("Commission area")),
    Column("decided_on", _("Decision date")),
    Column("decision_reference", _("Decision diarienummer"), required=False),
    Column(
        "decision_paragraph", "beslutets paragraf (§)", required=False,
        aliases=("beslutsparagraf", "§"),
    ),
    Column("planned_completion", _("Planned completion"), required=False),
    Column("case_officer", _("Case officer"), required=False),
)
NEEDED_BY_NEW = ("decision_reference",)
BUDGET_COLUMNS = (
    Column("year", "år"),
    Column("name", "namn", aliases=("budgetrad",)),
    Column("account_class", "kontoklass"),
    Column("budget", "budget", aliases=("budget (kr)",)),
    Column("outcome", "utfall", required=False, aliases=("utfall (kr)",)),
)
COLUMNS = {ASSIGNMENTS: ASSIGNMENT_COLUMNS, BUDGET: BUDGET_COLUMNS}
MODELS = {ASSIGNMENTS: Assignment, BUDGET: BudgetRow}


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
