"""The assignment list as a download: the list page's rows, in its order, with its filters."""

from django.utils.translation import gettext as _

from malmo_ks import tables
from malmo_ks.tables import Column, Table, completion, labels, yes_no

from .columns import ASSIGNMENT_COLUMNS
from .models import Assignment, assessment_label
from .querysets import with_overdue_flag

ASSIGNMENT_FIELDS = (
    "reference",
    "title",
    "status",
    "responsible_unit__name",
    "area__number",
    "area__name",
    "decided_on",
    "planned_completion",
    "planned_completion_is_year",
    "is_overdue",
    "outcome",
    "case_officer__username",
    "case_officer__first_name",
    "case_officer__last_name",
    "decision_reference",
    "last_assessment",
)


def assignment_columns():
    """The list's columns; those the import reads back are headed by the import's own
    definition, so that an exported list, with rows added, imports cleanly."""
    imported = {column.key: str(column.label) for column in ASSIGNMENT_COLUMNS}
    return [
        Column(imported["reference"], 16),
        Column(imported["title"], 60),
        Column(imported["status"], 14),
        Column(imported["responsible_unit"], 36),
        Column(imported["area"], 36),
        Column(imported["decided_on"], 13),
        Column(imported["planned_completion"], 16),
        Column(_("Overdue"), 10),
        Column(_("Result"), 30),
        Column(imported["case_officer"], 24),
        Column(imported["decision_reference"], 16),
        # Not read by the import: the assessment belongs to a status report.
        Column(_("Latest assessment"), 20),
    ]



def assignment_table(filterset):
    """The rows of the list page's FilterSet, in its order, one lazily fetched chunk at a time."""
    values = with_overdue_flag(filterset.qs, filterset.day).values(*ASSIGNMENT_FIELDS)
    statuses, outcomes = labels(Assignment.Status), labels(Assignment.Outcome)

    def row(assignment):
        officer = " ".join(
            filter(None, [assignment["case_officer__first_name"],
                          assignment["case_officer__last_name"]])
        ) or assignment["case_officer__username"]
        return (
            assignment["reference"],
            assignment["title"],
            statuses[assignment["status"]],
            assignment["responsible_unit__name"],
            f"{assignment['area__number']}. {assignment['area__name']}",
            assignment["decided_on"],
            completion(assignment["planned_completion"], assignment["planned_completion_is_year"]),
            yes_no(assignment["is_overdue"]),
            outcomes.get(assignment["outcome"], ""),
            officer or "",
            assignment["decision_reference"],
            assessment_label(assignment["last_assessment"]),
        )

    rows = (row(assignment) for assignment in values.iterator(chunk_size=tables.CHUNK_SIZE))
    return Table(_("Assignments"), assignment_columns(), rows)
