"""The columns of an import file: the Swedish headers of each kind of list and their keys."""

from dataclasses import dataclass

ASSIGNMENTS = "assignments"
BUDGET = "budget"


@dataclass(frozen=True)
class Column:
    """A column of the file: its Swedish header (as the export writes it) and aliases."""

    key: str
    header: str
    required: bool = True
    aliases: tuple = ()

    def names(self):
        return (self.header, *self.aliases)


# The headers are the file's vocabulary, Swedish as in the export's header row,
# so that an exported list imports back unchanged. A column that is not required
# may be left out: an existing assignment then keeps its value, a new one that
# needs it gets an error (see NEEDED_BY_NEW).
ASSIGNMENT_COLUMNS = (
    Column("reference", "diarienummer", aliases=("dnr",)),
    Column("title", "titel"),
    Column("description", "beskrivning", required=False),
    Column("status", "status"),
    Column("responsible_unit", "ansvarig nämnd/förvaltning"),
    Column("area", "kommissionsområde"),
    Column("decided_on", "beslutsdatum"),
    Column("decision_reference", "beslutets diarienummer", required=False),
    Column(
        "decision_paragraph", "beslutets paragraf (§)", required=False,
        aliases=("beslutsparagraf", "§"),
    ),
    Column("planned_completion", "planerat avslut", required=False),
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


def column_header(kind, key):
    return next(column.header for column in COLUMNS[kind] if column.key == key)
