"""The compilation for KS (Sammanställning av utredningsuppdrag): the register at a date.

Each assignment with its latest treatment and status report as they stood at the
end of the day, grouped by status, and what changed since the previous
compilation. The page (a page of it at a time) and its XLSX are both made from
`compile_register`.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.paginator import Page
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from assignments.daily_counts import counts_at
from assignments.models import Assignment, StatusReport, Treatment, Unit, assessment_label
from assignments.querysets import with_overdue_flag
from assignments.selectors import last_ks_meeting, register_at, versions_at
from malmo_ks.paging import PAGE_SIZE, KnownCountPaginator

from .changes import DEFAULT_DAYS_BACK, TooMany, changes_between

SUMMARY_LENGTH = 300
# The most assignments one whole compilation (the XLSX) lists: a larger register
# is refused rather than written into a file that takes longer to make than a
# download may. The page is never refused: it shows PAGE_SIZE entries at a time.
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
    "is_overdue",
)

# What a treatment's label (Treatment.__str__) is made of.
TREATMENT_FIELDS = ("body", "body_unit_id", "body_unit__name", "meeting_date", "paragraph")


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
    is_overdue: bool  # at the compilation's day, by assignments.querysets.overdue_condition
    # The latest report's assessment in words ("Ingen bedömning" without one), never a colour.
    assessment: str = ""


@dataclass(frozen=True)
class Group:
    """One status group: how many assignments it holds, and those of them listed here.

    `shown` says whether the group's section belongs on this page: its entries are
    here, or it is empty and this is where its entries would have been.
    """

    status: str
    label: str
    count: int
    entries: list[Entry]
    shown: bool = True


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
    """The compilation, whole or one page of it (`page`); the changes are on the first page."""

    day: date
    compared_with: date
    groups: list[Group]
    changes: list[ChangeRow] | None
    page: Page | None = None

    @property
    def count(self):
        """The number of assignments in the register at the day, on every page."""
        return sum(group.count for group in self.groups)

    @property
    def file_limit(self):
        """The most assignments the whole compilation, one XLSX, may hold (see MAX_ENTRIES)."""
        return MAX_ENTRIES

    @property
    def fits_one_file(self):
        return self.count <= self.file_limit

    @property
    def changes_from(self):
        """The first day of the changes: the previous compilation showed its whole day."""
        return self.compared_with + timedelta(days=1)


def previous_ks_meeting(day):
    """The latest KS meeting before `day`, or a month earlier when none is registered."""
    return last_ks_meeting(day) or day - timedelta(days=DEFAULT_DAYS_BACK)


def compile_register(day, compared_with, page=None):
    """The register at the end of `day`, and what changed after the end of `compared_with`.

    With `page` (a page number as `?sida=` gives it, read as the list reads it),
    one page of PAGE_SIZE entries in the compilation's order, with every group's
    full count, and the changes on the first page only. Without, the whole
    compilation, or TooManyAssignments above MAX_ENTRIES. Either raises
    changes_between's TooManyChanges rather than tell more changes than anyone
    could read.

    The queries: the counts per status, one per status group on the page (or in
    the register) for its assignments, one each for their treatments and status
    reports, plus the fixed number `changes_between` makes: none per assignment.
    """
    counts = counts_at([day])[day]
    total = sum(counts.values())
    rows = _GroupedRows([
        (_group_rows(day, status), counts[status]) for status in Assignment.Status.values
    ])
    if page is None:
        if total > MAX_ENTRIES:
            raise TooManyAssignments(MAX_ENTRIES)
        # The file tells every row read and counts exactly those: no assignment may
        # go missing from what KS files because a count was read from elsewhere.
        assignments = rows.whole(MAX_ENTRIES + 1)
        if len(assignments) > MAX_ENTRIES:
            raise TooManyAssignments(MAX_ENTRIES)
        counts = dict.fromkeys(Assignment.Status.values, 0)
        for assignment in assignments:
            counts[assignment["status"]] += 1
        page_obj, window = None, (0, len(assignments))
    else:
        page_obj = KnownCountPaginator(rows, PAGE_SIZE, total).get_page(page)
        # start_index() counts from 1, and is 0 on the one page of an empty register.
        window = (max(page_obj.start_index() - 1, 0), page_obj.end_index())
        assignments = page_obj.object_list
    first_page = page_obj is None or page_obj.number == 1
    return Compilation(
        day=day,
        compared_with=compared_with,
        groups=_groups(assignments, counts, window, page_obj, day),
        changes=changes_since(compared_with, day) if first_page else None,
        page=page_obj,
    )


class _GroupedRows:
    """The compilation's assignments in its order: the status groups one after another.

    Sliced, it reads each group's part with a query of its own, ordered as an
    index on the diarienummer reads it; one query ordered by group first would
    sort the whole register for every page. `reverse()` reads the groups backwards,
    for the list's paginator, which reads a page in the back half from the end.
    """

    def __init__(self, parts):
        self.parts = parts  # (queryset, the number of its rows), in order

    def __getitem__(self, window):
        rows, start = [], 0
        for queryset, count in self.parts:
            low, high = max(window.start - start, 0), min(window.stop - start, count)
            if low < high:
                rows.extend(queryset[low:high])
            start += count
        return rows

    def whole(self, limit):
        """Every group's rows, read whole rather than by their counts, at most `limit`."""
        rows = []
        for queryset, _count in self.parts:
            rows.extend(queryset[: limit - len(rows)])
        return rows

    def reverse(self):
        return _GroupedRows([(queryset.reverse(), count) for queryset, count in self.parts[::-1]])


def _group_rows(day, status):
    """One status group's assignments at the end of `day`, in the compilation's order.

    Today's are read from the register itself rather than from its history, whose
    every version of every assignment a deep page would otherwise step through.
    Whether each was overdue is judged at `day` in the same query.
    """
    current = day >= timezone.localdate()
    return (
        with_overdue_flag(register_at(None if current else day), day)
        .filter(status=status)
        .order_by("reference", "id")
        .values(*ASSIGNMENT_FIELDS)
    )


def _groups(assignments, counts, window, page_obj, day):
    """The status groups with their full counts and the entries of `assignments`.

    An empty group is shown where its entries would have been: on the page whose
    window holds its place in the order, or on the last page when that is its end.
    """
    ids = [assignment["id"] for assignment in assignments]
    treatments = _latest(
        Treatment, day, ids, ("meeting_date", "paragraph", "id"), TREATMENT_FIELDS
    )
    reports = _latest(
        StatusReport, day, ids, ("report_date", "id"), ("report_date", "text", "assessment")
    )
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
            report_date=report["report_date"] if report else None,
            report_summary=Truncator(report["text"]).chars(SUMMARY_LENGTH) if report else "",
            planned_completion=assignment["planned_completion"],
            planned_completion_is_year=assignment["planned_completion_is_year"],
            outcome=outcomes.get(assignment["outcome"], ""),
            is_overdue=assignment["is_overdue"],
            assessment=str(assessment_label(report["assessment"])) if report else "",
        ))
    last = page_obj is None or not page_obj.has_next()
    groups, place = [], 0
    for status, label in Assignment.Status.choices:
        empty_here = window[0] <= place and (place < window[1] or last)
        groups.append(Group(
            status, str(label), counts[status], entries[status],
            shown=bool(entries[status]) or (counts[status] == 0 and empty_here),
        ))
        place += counts[status]
    return groups


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


def _latest(model, day, ids, order, fields):
    """Per assignment of `ids`, `fields` of the latest row of `model` at the end of `day`.

    Rows a user removed before the day do not count. The latest per assignment is
    picked here rather than with DISTINCT ON, which SQLite (the local demo) lacks;
    an assignment has a handful of treatments and reports. Plain values: a page's
    history records made into model instances took a fifth of its time.
    """
    records = (
        versions_at(model.history, day)
        .filter(assignment_id__in=ids)
        .order_by("assignment_id", *order)
        .values("assignment_id", *fields)
    )
    return {record["assignment_id"]: record for record in records}


def _treatment_label(record):
    """`KS 2016-11-02 § 312`, named as the treatment names itself, without another query."""
    unit_id = record["body_unit_id"]
    return str(Treatment(
        body=record["body"],
        body_unit=Unit(id=unit_id, name=record["body_unit__name"]) if unit_id else None,
        meeting_date=record["meeting_date"],
        paragraph=record["paragraph"],
    ))
