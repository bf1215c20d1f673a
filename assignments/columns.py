"""The assignment list's columns in a file: headers the export writes and the import reads.

One definition, so that an exported list imports back unchanged. `label` is the
heading the export writes (a translatable text, or plain Swedish for a column only
imports have); its Swedish form, in lower case, is the file's header. A column
that is not required may be left out of an import: an existing assignment then
keeps its value.
"""

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FileColumn:
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
ASSIGNMENT_COLUMNS = (
    FileColumn("reference", _("Diarienummer"), aliases=("dnr",)),
    FileColumn("title", _("Title")),
    FileColumn("description", "beskrivning", required=False),
    FileColumn("status", _("Status")),
    FileColumn("responsible_unit", _("Responsible unit")),
    FileColumn("area", _("Commission area")),
    FileColumn("decided_on", _("Decision date")),
    FileColumn("decision_reference", _("Decision diarienummer"), required=False),
    FileColumn(
        "decision_paragraph", "beslutets paragraf (§)", required=False,
        aliases=("beslutsparagraf", "§"),
    ),
    FileColumn("planned_completion", _("Planned completion"), required=False),
    FileColumn("case_officer", _("Case officer"), required=False),
)
