"""What changed in the register during a period: "what happened since the last KS meeting?"."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assignments.history_display import (
    ASSIGNMENT_FIELDS,
    DeadlineMoves,
    FieldChange,
    Names,
    completion_label,
    consecutive,
    field_changes,
    treatment_label,
    value_label,
    who,
)
from assignments.models import Assignment, DeadlineChange, StatusReport, Treatment
from assignments.selectors import end_of_day, last_ks_meeting
from malmo_ks.history import valid_at

DEFAULT_DAYS_BACK = 30
# The most records of one kind (assignment versions, treatments, status reports,
# deadline moves) a period may hold: a page or a compilation that would tell
# more is refused, not built. The register's real periods hold dozens.
MAX_CHANGES = 1000
# A status change is told with the treatment and outcome that came with it.
STATUS_FIELDS = ("status", "status_treatment", "outcome", "follow_up_owner")


class TooMany(Exception):
    """More records than one page lists; `limit` is how many it would."""

    def __init__(self, limit):
        super().__init__(limit)
        self.limit = limit


class TooManyChanges(TooMany):
    """More than MAX_CHANGES records of a kind were registered in the period asked for."""


@dataclass(frozen=True)
class AssignmentRef:
    """Enough of an assignment to name it and link to it."""

    id: int
    reference: str
    title: str


@dataclass(frozen=True)
class Change:
    """One change to one assignment; each section of the page fills what it tells."""

    assignment: AssignmentRef
    when: datetime
    who: str
    reason: str = ""
    old: str = ""
    new: str = ""
    treatment: str = ""
    text: str = ""
    changes: tuple[FieldChange, ...] = ()
    # The history record told, "<model>:<history_id>", and who made it: the
    # notifications (notifications.due) key their messages on the one and spare the other.
    record: str = ""
    user_id: int | None = None


@dataclass
class Changes:
    """Everything registered in a period, by kind, each kind oldest first."""

    start: date
    end: date | None
    status_changes: list[Change] = field(default_factory=list)
    new_reports: list[Change] = field(default_factory=list)
    deadline_moves: list[Change] = field(default_factory=list)
    new_treatments: list[Change] = field(default_factory=list)
    new_assignments: list[Change] = field(default_factory=list)
    other_changes: list[Change] = field(default_factory=list)

    @property
    def is_empty(self):
        return not any(
            (self.status_changes, self.new_reports, self.deadline_moves,
             self.new_treatments, self.new_assignments, self.other_changes)
        )


@dataclass(frozen=True)
class DefaultStart:
    day: date
    is_ks_meeting: bool


def default_start():
    """Politicians ask what changed since the last KS meeting; without one, the last month.

    The last meeting is the latest KS meeting of the plan before today.
    """
    today = timezone.localdate()
    meeting = last_ks_meeting(today)
    if meeting is None:
        return DefaultStart(today - timedelta(days=DEFAULT_DAYS_BACK), is_ks_meeting=False)
    return DefaultStart(meeting, is_ks_meeting=True)


def period(start, end=None):
    """History records registered from the start of `start` to the end of `end` (or now).

    The start day itself counts: the decisions of a KS meeting are registered with
    its date and belong to "since".
    """
    bounds = {"history_date__gte": end_of_day(start - timedelta(days=1))}
    if end is not None:
        bounds["history_date__lt"] = end_of_day(end)
    return bounds


@dataclass(frozen=True)
class ChangeSummary:
    """How many changes of each kind `changes_between` would list for the same period."""

    since: date
    until: date | None
    status_changes: int
    new_reports: int
    deadline_moves: int

    @property
    def url(self):
        """The changes page for the same period."""
        params = {"sedan": self.since.isoformat()}
        if self.until is not None:
            params["till"] = self.until.isoformat()
        return f"{reverse('reports:changes')}?{urlencode(params)}"


def count_changes(since, until=None):
    """The counts of the changes page's status changes, new reports and deadline moves.

    Counted in the database, three queries whatever the period holds, so the
    overview can tell them for any period without listing them.
    """
    window = period(since, until)
    # The record before, in the changes page's order (date, then id): records of
    # one instant follow each other, as `consecutive` pairs them.
    previous_status = Subquery(
        Assignment.history.filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id")),
            id=OuterRef("id"),
        )
        .order_by("-history_date", "-history_id")
        .values("status")[:1]
    )
    status_changes = (
        Assignment.history.filter(**window)
        .annotate(previous_status=previous_status)
        .filter(previous_status__isnull=False)
        .exclude(status=F("previous_status"))
        .count()
    )
    return ChangeSummary(
        since=since,
        until=until,
        status_changes=status_changes,
        new_reports=StatusReport.history.filter(history_type="+", **window).count(),
        deadline_moves=DeadlineChange.history.filter(history_type="+", **window).count(),
    )


def changes_between(start, end=None):
    """What was registered from the start of `start` to the end of `end` (or now).

    One history query per model plus one for the state each changed assignment
    started from, and one query per related model for names: the count does not
    grow with the number of changes. No query reads more than MAX_CHANGES + 1
    rows; a period with more raises TooManyChanges.
    """
    bounds = period(start, end)
    records = _bounded(Assignment.history.filter(**bounds).order_by("history_date", "history_id"))
    starting_states = {
        record.id: record
        for record in Assignment.history.filter(
            valid_at(bounds["history_date__gte"]),
            id__in=Assignment.history.filter(**bounds).values("id"),
        )
    }
    treatments = _registered(Treatment, bounds)
    reports = _registered(StatusReport, bounds)
    moves = _registered(DeadlineChange, bounds)
    names = (
        Names()
        .collect([*records, *starting_states.values()], ASSIGNMENT_FIELDS)
        .collect(treatments, ("meeting",))
        .fetch()
    )
    changes = Changes(start=start, end=end)
    _assignment_changes(changes, consecutive(records, starting_states), DeadlineMoves(moves), names)
    changes.new_treatments = [
        Change(
            _ref(record.assignment), record.history_date, who(record),
            **_origin(record),
            reason=record.history_change_reason or "",
            treatment=treatment_label(record, names),
            new=record.get_kind_display(),
            text=record.summary,
        )
        for record in treatments
    ]
    changes.new_reports = [
        Change(
            _ref(record.assignment), record.history_date, who(record),
            **_origin(record),
            new=record.report_date.isoformat(), text=record.text,
        )
        for record in reports
    ]
    changes.deadline_moves = [
        Change(
            _ref(record.assignment), record.history_date, who(record),
            **_origin(record),
            reason=record.reason,
            old=completion_label(record.previous_date, record.previous_is_year),
            new=completion_label(record.new_date, record.new_is_year),
        )
        for record in moves
    ]
    return changes


def _registered(model, bounds):
    """Rows of `model` registered in the period, with the assignment they belong to."""
    return _bounded(
        model.history.filter(history_type="+", **bounds)
        .select_related("assignment")
        .order_by("history_date", "history_id")
    )


def _bounded(records):
    """The records, read only up to one more than MAX_CHANGES: enough to know there are too many."""
    found = list(records[: MAX_CHANGES + 1])
    if len(found) > MAX_CHANGES:
        raise TooManyChanges(MAX_CHANGES)
    return found


def _origin(record):
    """The history record a change tells, and the user who made it."""
    return {
        "record": f"{record.instance_type._meta.model_name}:{record.history_id}",
        "user_id": record.history_user_id,
    }


def _ref(assignment):
    return AssignmentRef(assignment.pk, assignment.reference, assignment.title)


def _assignment_changes(changes, pairs, moves, names):
    for old, new in pairs:
        ref = AssignmentRef(new.id, new.reference, new.title)
        base = {"assignment": ref, "when": new.history_date, "who": who(new),
                "reason": new.history_change_reason or "", **_origin(new)}
        if new.history_type == "+":
            changes.new_assignments.append(Change(**base))
            continue
        if new.history_type == "-":
            removed = _("%(subject)s was removed") % {"subject": _("The assignment")}
            changes.other_changes.append(Change(**base, text=removed))
            continue
        if old is None:
            # A change without an earlier record has nothing to be compared with.
            continue
        fields = moves.fields_to_tell(new, old, ASSIGNMENT_FIELDS)
        if new.status != old.status:
            changes.status_changes.append(Change(
                **base,
                old=value_label(old, "status", names),
                new=value_label(new, "status", names),
                treatment=value_label(new, "status_treatment", names),
                text=new.get_outcome_display(),
            ))
            fields = [name for name in fields if name not in STATUS_FIELDS]
        if told := field_changes(new, old, fields, names):
            changes.other_changes.append(Change(**base, changes=tuple(told)))
