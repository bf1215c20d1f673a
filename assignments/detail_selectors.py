"""What the assignment page shows beside its timeline, now or as it stood at the end of a day."""

from dataclasses import dataclass
from datetime import datetime

from malmo_ks.history import display_name

from .history_display import EMPTY, completion_label
from .models import Assignment, DeadlineChange, StatusReport, Treatment
from .querysets import with_overdue_flag
from .selectors import versions_at

ASSIGNMENT_RELATIONS = (
    "area",
    "responsible_unit",
    "case_officer",
    "follow_up_owner",
    "status_treatment__meeting__committee",
)
TREATMENT_RELATIONS = ("meeting__committee",)
REPORT_RELATIONS = ("author", "treatment__meeting__committee")
DEADLINE_RELATIONS = ("changed_by",)


@dataclass(frozen=True)
class DeadlineRow:
    """One line of the deadline log, with the dates worded as the register shows them."""

    previous: str
    new: str
    reason: str
    who: str
    when: datetime


@dataclass(frozen=True)
class AssignmentRecords:
    treatments: list[Treatment]
    reports: list[StatusReport]
    deadline_log: list[DeadlineRow]


def assignment_as_of(pk, day):
    """The assignment as it stood at the end of `day`; None if it did not exist then.

    It carries `is_overdue` as judged at that day, by the register's one rule.
    """
    record = (
        with_overdue_flag(versions_at(Assignment.history, day), day).filter(id=pk)
        .select_related(*ASSIGNMENT_RELATIONS)
        .first()
    )
    if record is None:
        return None
    assignment = _instance(record, ASSIGNMENT_RELATIONS)
    assignment.is_overdue = record.is_overdue
    return assignment


def assignment_records(assignment, day=None):
    """Treatments, status reports and deadline log; at the end of `day` if given.

    The budget rows that fund the assignment are the budget app's to show
    (budget.templatetags.budget_tags): the register does not depend on the budget.
    """
    if day is None:
        treatments = list(assignment.treatments.select_related(*TREATMENT_RELATIONS))
        reports = list(assignment.status_reports.select_related(*REPORT_RELATIONS))
        moves = list(assignment.deadline_changes.select_related(*DEADLINE_RELATIONS))
    else:
        treatments = _past(Treatment, day, TREATMENT_RELATIONS, assignment_id=assignment.pk)
        reports = _past(StatusReport, day, REPORT_RELATIONS, assignment_id=assignment.pk)
        moves = _past(DeadlineChange, day, DEADLINE_RELATIONS, assignment_id=assignment.pk)
    return AssignmentRecords(
        treatments=treatments,
        reports=reports,
        deadline_log=[_deadline_row(move) for move in moves],
    )


def past_records(model, day, relations, **filters):
    """History records of the rows of `model` as they stood at the end of `day`.

    The filters apply to the version that held then, so that a row unlinked
    before `day` does not show its older, still linked record.
    """
    return (
        versions_at(model.history, day)
        .filter(**filters)
        .select_related(*relations)
        .order_by(*model._meta.ordering)
    )


def _past(model, day, relations, **filters):
    records = past_records(model, day, relations, **filters)
    return [_instance(record, relations) for record in records]


def _instance(record, relations):
    """A history record as its model's instance, keeping the rows select_related fetched."""
    instance = record.instance
    for name in {relation.split("__")[0] for relation in relations}:
        setattr(instance, name, getattr(record, name))
    return instance


def _deadline_row(move):
    return DeadlineRow(
        previous=completion_label(move.previous_date, move.previous_is_year),
        new=completion_label(move.new_date, move.new_is_year),
        reason=move.reason,
        who=display_name(move.changed_by) if move.changed_by else EMPTY,
        when=move.changed_at,
    )
