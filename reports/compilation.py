"""The compilation for KS (Sammanställning av utredningsuppdrag): the register at a date.

Each assignment with its latest treatment and status report as they stood at the
end of the day, grouped by status, and what changed since the previous
compilation. The page and its XLSX are both made from `compile_register`.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from assignments.models import Assignment, StatusReport, Treatment
from assignments.selectors import last_ks_meeting, register_at, versions_at

from .changes import DEFAULT_DAYS_BACK, TooMany, changes_between

SUMMARY_LENGTH = 300
# The most assignments one compilation lists: a register larger than this is
# refused rather than rendered into a page (and a file) of tens of megabytes.
MAX_ENTRIES = 2000
ASSIGNMENT_FIELDS = (
    "id",
    "reference",
    "title",
    "status",
    "outcome",
    "responsible_unit__name",
    "planned_completion",
    "planned_completion_is_year",
)


class TooManyAssignments(TooMany):
    """The register held more than MAX_ENTRIES assignments at the day asked for."""


@dataclass(frozen=True)
class Entry:
    """One assignment as the compilation tells it."""

    id: int
    reference: str
    title: str
    unit: str
    treatment: str
    report_date: date | None
    report_summary: str
    planned_completion: date | None
    planned_completion_is_year: bool
    outcome: str


@dataclass(frozen=True)
class Group:
    status: str
    label: str
    entries: list[Entry]


@dataclass(frozen=True)
class ChangeRow:
    """One line of "changes since the previous compilation", whatever its kind."""

    id: int
    reference: str
    title: str
    kind: str
    old: str
    new: str
    note: str
    registered: date


@dataclass(frozen=True)
class Compilation:
    day: date
    compared_with: date
    groups: list[Group]
    changes: list[ChangeRow]

    @property
    def changes_from(self):
        """The first day of the changes: the previous compilation showed its whole day."""
        return self.compared_with + timedelta(days=1)


def previous_ks_meeting(day):
    """The latest KS meeting before `day`, or a month earlier when none is registered."""
    return last_ks_meeting(day) or day - timedelta(days=DEFAULT_DAYS_BACK)


def compile_register(day, compared_with):
    """The register at the end of `day`, and what changed after the end of `compared_with`.

    Three queries for the assignments, their treatments and their status reports,
    plus the fixed number `changes_between` makes: none of them per assignment.
    Raises TooManyAssignments, or changes_between's TooManyChanges, rather than
    build a compilation no one could read.
    """
    assignments = list(
        register_at(day).order_by("reference", "id").values(*ASSIGNMENT_FIELDS)[
            : MAX_ENTRIES + 1
        ]
    )
    if len(assignments) > MAX_ENTRIES:
        raise TooManyAssignments(MAX_ENTRIES)
    treatments = _latest(Treatment, day, ("meeting_date", "paragraph", "id"), ("body_unit",))
    reports = _latest(StatusReport, day, ("report_date", "id"))
    outcomes = {value: str(label) for value, label in Assignment.Outcome.choices}
    entries = {status: [] for status in Assignment.Status.values}
    for assignment in assignments:
        treatment = treatments.get(assignment["id"])
        report = reports.get(assignment["id"])
        entries[assignment["status"]].append(Entry(
            id=assignment["id"],
            reference=assignment["reference"],
            title=assignment["title"],
            unit=assignment["responsible_unit__name"],
            treatment=_treatment_label(treatment) if treatment else "",
            report_date=report.report_date if report else None,
            report_summary=Truncator(report.text).chars(SUMMARY_LENGTH) if report else "",
            planned_completion=assignment["planned_completion"],
            planned_completion_is_year=assignment["planned_completion_is_year"],
            outcome=outcomes.get(assignment["outcome"], ""),
        ))
    return Compilation(
        day=day,
        compared_with=compared_with,
        groups=[
            Group(status, str(label), entries[status])
            for status, label in Assignment.Status.choices
        ],
        changes=changes_since(compared_with, day),
    )


def changes_since(compared_with, day):
    """Status changes, moved deadlines and new assignments after `compared_with`, oldest first."""
    changes = changes_between(compared_with + timedelta(days=1), day)
    told = [
        *((change, _("Changed status"), change.treatment) for change in changes.status_changes),
        *((change, _("Moved planned completion"), change.reason)
          for change in changes.deadline_moves),
        *((change, _("New assignment"), "") for change in changes.new_assignments),
    ]
    told.sort(key=lambda item: (item[0].when, item[0].assignment.reference))
    return [_change_row(*item) for item in told]


def _change_row(change, kind, note):
    ref = change.assignment
    return ChangeRow(
        id=ref.id,
        reference=ref.reference,
        title=ref.title,
        kind=kind,
        old=change.old,
        new=change.new,
        note=note,
        registered=timezone.localdate(change.when),
    )


def _latest(model, day, order, relations=()):
    """Per assignment, the latest row of `model` as it stood at the end of `day`.

    Rows a user removed before the day do not count. The latest per assignment is
    picked here rather than with DISTINCT ON, which SQLite (the local demo) lacks;
    an assignment has a handful of treatments and reports.
    """
    records = (
        versions_at(model.history, day)
        .select_related(*relations)
        .order_by("assignment_id", *order)
    )
    return {record.assignment_id: record for record in records}


def _treatment_label(record):
    """`KS 2016-11-02 § 312`, named as the treatment names itself, without another query."""
    treatment = record.instance
    if treatment.body_unit_id:
        treatment.body_unit = record.body_unit
    return str(treatment)
