"""One assignment's timeline: its changes, treatments, reports and deadline moves in date order."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from .history_display import (
    ASSIGNMENT_FIELDS,
    DEADLINE_FIELDS,
    REPORT_FIELDS,
    TREATMENT_FIELDS,
    DeadlineMoves,
    FieldChange,
    Names,
    completion_label,
    consecutive,
    field_changes,
    treatment_label,
    who,
)
from .models import Assignment, DeadlineChange, StatusReport, Treatment
from .selectors import end_of_day


@dataclass(frozen=True)
class TimelineEntry:
    """One event as the timeline tells it: what happened, who did it, when and why."""

    when: datetime
    who: str
    kind: str  # assignment, treatment, report or deadline: what the event is about
    headline: str
    reason: str = ""
    text: str = ""
    changes: tuple[FieldChange, ...] = ()


def assignment_timeline(assignment_id, day=None):
    """Every recorded event of one assignment, oldest first; up to the end of `day` if given.

    One ordered history query per model, compared pairwise in memory, and one
    query per related model for the names: the count does not grow with the history.
    """
    assignment = _history(Assignment, day, id=assignment_id)
    treatments = _history(Treatment, day, assignment_id=assignment_id)
    reports = _history(StatusReport, day, assignment_id=assignment_id)
    moves = _history(DeadlineChange, day, assignment_id=assignment_id)
    names = (
        Names()
        .collect(assignment, ASSIGNMENT_FIELDS)
        .collect(treatments, TREATMENT_FIELDS)
        .collect(reports, REPORT_FIELDS)
        .fetch()
    )
    # Events registered in the same instant (a treatment, the report it treats and
    # the status it gives) keep this order: the sort below is stable.
    entries = [
        *_treatment_entries(treatments, names),
        *_report_entries(reports, names),
        *_deadline_entries(moves, names),
        *_assignment_entries(assignment, DeadlineMoves(moves), names),
    ]
    return sorted(entries, key=lambda entry: entry.when)


def _history(model, day, **filters):
    records = model.history.filter(**filters).order_by("history_date", "history_id")
    if day is not None:
        records = records.filter(history_date__lt=end_of_day(day))
    return list(records)


def _entry(record, kind, headline, changes=(), text=""):
    return TimelineEntry(
        when=record.history_date,
        who=who(record),
        kind=kind,
        headline=headline,
        reason=record.history_change_reason or "",
        text=text,
        changes=tuple(changes),
    )


def _headline(record, subject):
    verbs = {
        "+": _("%(subject)s was registered"),
        "~": _("%(subject)s was changed"),
        "-": _("%(subject)s was removed"),
    }
    return verbs[record.history_type] % {"subject": subject}


def _changes(new, old, field_names, names):
    """The field changes of a save; none for a registration or a removal."""
    return field_changes(new, old, field_names, names) if new.history_type == "~" and old else []


def _assignment_entries(records, moves, names):
    for old, new in consecutive(records):
        told = moves.fields_to_tell(new, old, ASSIGNMENT_FIELDS) if old else ASSIGNMENT_FIELDS
        changes = _changes(new, old, told, names)
        if new.history_type == "~" and not changes:
            continue
        yield _entry(new, "assignment", _headline(new, _("The assignment")), changes)


def _treatment_entries(records, names):
    for old, new in consecutive(records):
        changes = _changes(new, old, TREATMENT_FIELDS, names)
        if new.history_type == "~" and not changes:
            continue
        subject = _("Treatment %(treatment)s (%(kind)s)") % {
            "treatment": treatment_label(new, names),
            "kind": new.get_kind_display(),
        }
        text = new.summary if new.history_type == "+" else ""
        yield _entry(new, "treatment", _headline(new, subject), changes, text)


def _report_entries(records, names):
    for old, new in consecutive(records):
        subject = _("The status report of %(date)s") % {"date": new.report_date.isoformat()}
        if old and old.treatment_id is None and new.treatment_id is not None:
            # Being treated is what happens to a report; say so rather than list a field.
            headline = _("%(subject)s was treated at %(treatment)s") % {
                "subject": subject,
                "treatment": names.label(Treatment, new.treatment_id),
            }
            fields = [name for name in REPORT_FIELDS if name != "treatment"]
            yield _entry(new, "report", headline, field_changes(new, old, fields, names))
            continue
        changes = _changes(new, old, REPORT_FIELDS, names)
        if new.history_type == "~" and not changes:
            continue
        text = new.text if new.history_type == "+" else ""
        yield _entry(new, "report", _headline(new, subject), changes, text)


def _deadline_entries(records, names):
    for old, new in consecutive(records):
        if new.history_type == "+":
            headline = _("Planned completion moved from %(old)s to %(new)s") % {
                "old": completion_label(new.previous_date, new.previous_is_year),
                "new": completion_label(new.new_date, new.new_is_year),
            }
            yield TimelineEntry(new.history_date, who(new), "deadline", headline, reason=new.reason)
            continue
        changes = _changes(new, old, DEADLINE_FIELDS, names)
        if new.history_type == "~" and not changes:
            continue
        subject = _("The move of the planned completion to %(date)s") % {
            "date": completion_label(new.new_date, new.new_is_year)
        }
        yield _entry(new, "deadline", _headline(new, subject), changes)
