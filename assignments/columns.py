"""The assignment list's columns in a file: headers the export writes and the import reads.

One definition, so that an exported list imports back unchanged; the headings are
the fields' own labels, as every page shows them. A column that is not required may
be left out of an import: an existing assignment then keeps its value.
"""

from dataclasses import dataclass

from django.utils import translation

from .history_display import field_labels
from .models import Assignment

LABELS = field_labels(Assignment)


@dataclass(frozen=True)
class FileColumn:
    """A column of the file: its heading and the other names it may have.

    `label` is the field's own label (the heading the export writes, the one the
    pages show); its Swedish form, in lower case, is the file's header.
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
ASSIGNMENT_COLUMNS = (
    FileColumn("reference", LABELS["reference"], aliases=("dnr",)),
    FileColumn("title", LABELS["title"]),
    FileColumn("description", LABELS["description"], required=False),
    FileColumn("status", LABELS["status"]),
    FileColumn("responsible_unit", LABELS["responsible_unit"]),
    FileColumn("area", LABELS["area"]),
    # Exports made in English before the labels were the fields' own said "decision date".
    FileColumn("decided_on", LABELS["decided_on"], aliases=("decision date",)),
    FileColumn("decision_reference", LABELS["decision_reference"], required=False),
    FileColumn(
        "decision_paragraph", LABELS["decision_paragraph"], required=False,
        aliases=("beslutsparagraf", "§"),
    ),
    FileColumn("planned_completion", LABELS["planned_completion"], required=False),
    FileColumn("case_officer", LABELS["case_officer"], required=False),
)
