"""The compilation for KS (Sammanställning av utredningsuppdrag): the register at a date.

Each assignment with its latest treatment and status report as they stood at the
end of the day, in the four sections KS reads in this order: what changed since
the previous compilation; the open assignments due for this meeting; the other
open ones, the overdue marked; the closed ones. The page (a page of it at a
time), its XLSX and its PDF/A and DOCX documents are all made from
`compile_register`, so that they tell the same figures; the documents' heading
comes from `document_heading`.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.core.paginator import Page
from django.db.models import Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from assignments.daily_counts import counts_at
from assignments.models import (
    Assignment,
    Meeting,
    StatusReport,
    Treatment,
    Unit,
    assessment_label,
)
from assignments.querysets import overdue_condition, with_overdue_flag
from assignments.selectors import last_ks_meeting, register_at, versions_at
from malmo_ks.paging import PAGE_SIZE, KnownCountPaginator

from .changes import DEFAULT_DAYS_BACK, TooMany, changes_between

SUMMARY_LENGTH = 300
# The most assignments one whole compilation (the XLSX) lists: a larger register
# is refused rather than written into a file that takes longer to make than a
# download may. The page is never refused: it shows PAGE_SIZE entries at a time.
MAX_ENTRIES = 2000
# The most assignments the PDF/A and DOCX documents list. WeasyPrint lays out about
# 80 assignments a second (the README's benchmark): a much larger register would keep
# a worker near the server's 30 s timeout, so it is refused and offered as XLSX.
DOCUMENT_MAX_ENTRIES = 500
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
OPEN = ~Q(status=Assignment.Status.CLOSED)

# The sections of assignments, in the compilation's order, and their headings; the
# changes come before them. The short label names the section's XLSX sheet, which
# holds at most 31 characters.
DUE, ONGOING, CLOSED = "due", "ongoing", "closed"
SECTIONS = {
    DUE: (gettext_lazy("Due for this meeting"), pgettext_lazy("sheet", "Due")),
    ONGOING: (gettext_lazy("Assignments in progress"), pgettext_lazy("sheet", "In progress")),
    CLOSED: (gettext_lazy("Closed assignments"), pgettext_lazy("sheet", "Closed")),
}
# The body whose meeting the compilation is prepared for, named in the documents.
KS_NAME = "Kommunstyrelsen"

# What a treatment's label (Treatment.__str__) is made of.
TREATMENT_FIELDS = (
    "meeting__body", "meeting__committee_id", "meeting__committee__name", "meeting__date",
    "paragraph",
)


class TooManyAssignments(TooMany):
    """The register held more than MAX_ENTRIES assignments at the day asked for."""


@dataclass(frozen=True)
class Entry:
    """One assignment as the compilation tells it."""

    id: int
    reference: str
    title: str
    status: str
    status_label: str
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
class Section:
    """One section of assignments: how many it holds, how many of them are overdue,
    and those of them listed here.

    `shown` says whether the section belongs on this page: its entries are here, or
    it is empty and this is where its entries would have been.
    """

    key: str
    label: str
    short_label: str
    note: str  # what the section holds, in a sentence
    count: int
    overdue: int
    entries: list[Entry]
    shown: bool = True

    @property
    def heading(self):
        """"Uppdrag under arbete (5, varav 2 försenade)": the page and the documents say the same."""
        values = {"label": capfirst(self.label), "count": self.count, "overdue": self.overdue}
        if self.overdue:
            return ngettext(
                "%(label)s (%(count)s, of which %(overdue)s overdue)",
                "%(label)s (%(count)s, of which %(overdue)s overdue)",
                self.overdue,
            ) % values
        return "%(label)s (%(count)s)" % values


@dataclass(frozen=True)
class StatusCount:
    """How many assignments had one status at the day."""

    status: str
    label: str
    count: int


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
    sections: list[Section]
    statuses: list[StatusCount]
    changes: list[ChangeRow] | None
    page: Page | None = None
    meeting: Meeting | None = None  # the meeting it is prepared for, when one was chosen

    @property
    def count(self):
        """The number of assignments in the register at the day, on every page."""
        return sum(section.count for section in self.sections)

    @property
    def changes_heading(self):
        """The changes' heading with their number, where they are told (the first page)."""
        return "%(label)s (%(count)s)" % {
            "label": _("Changes since the previous compilation"),
            "count": len(self.changes or ()),
        }

    @property
    def file_limit(self):
        """The most assignments the whole compilation, one XLSX, may hold (see MAX_ENTRIES)."""
        return MAX_ENTRIES

    @property
    def fits_one_file(self):
        return self.count <= self.file_limit

    @property
    def document_limit(self):
        """The most assignments the PDF/A and DOCX documents may hold (DOCUMENT_MAX_ENTRIES)."""
        return DOCUMENT_MAX_ENTRIES

    @property
    def fits_documents(self):
        return self.count <= self.document_limit

    @property
    def query(self):
        """The address's query that makes this compilation again: the files' links."""
        days = {"per": self.day.isoformat(), "jamfor": self.compared_with.isoformat()}
        if self.meeting is not None:
            days["sammantrade"] = self.meeting.pk
        return urlencode(days)

    @property
    def changes_from(self):
        """The first day of the changes: the previous compilation showed its whole day."""
        return self.compared_with + timedelta(days=1)


@dataclass(frozen=True)
class Heading:
    """What the compilation's documents say first: whose meeting, when, and its dnr."""

    body: str
    meeting_date: date
    reference: str | None  # the meeting protocol's diarienummer, when known
    day: date  # the day whose state the compilation shows
    compared_with: date


def document_heading(compilation):
    """The heading of `compilation`'s documents: the meeting it is prepared for.

    The one place that says which meeting a compilation is for: the meeting chosen
    (`?sammantrade=`), with its body and protocol dnr; without one, KS's meeting on
    the compilation's day, whose dnr is not known.
    """
    meeting = compilation.meeting
    if meeting is None:
        body, meeting_date, reference = KS_NAME, compilation.day, None
    else:
        body, meeting_date = meeting_body_name(meeting), meeting.date
        reference = meeting.protocol_reference or None
    return Heading(
        body=body,
        meeting_date=meeting_date,
        reference=reference,
        day=compilation.day,
        compared_with=compilation.compared_with,
    )


def meeting_body_name(meeting):
    """The body in full, as a heading names it: "Kommunstyrelsen", a committee's name."""
    if meeting.committee_id:
        return meeting.committee.name
    if meeting.body == Meeting.Body.KS:
        return KS_NAME
    return meeting.get_body_display()


def previous_ks_meeting(day):
    """The latest KS meeting before `day`, or a month earlier when none is registered."""
    return last_ks_meeting(day) or day - timedelta(days=DEFAULT_DAYS_BACK)


def due_condition(previous, day):
    """Open, with the planned completion after the previous meeting and by this one's day.

    What the meeting expects to be reported back: due since KS last met. An open
    assignment due earlier is in progress, and overdue.
    """
    return OPEN & Q(planned_completion__gt=previous, planned_completion__lte=day)


def compile_register(
    day, compared_with, page=None, limit=None, meeting=None, with_changes=True
):
    """The register at the end of `day`, and what changed after the end of `compared_with`.

    Due for this meeting are the open assignments whose planned completion falls
    after `compared_with` and by the `meeting`'s date, or by `day` without one
    (`due_condition`): a compilation made before a planned meeting lists what that
    meeting expects. With `page` (a page
    number as `?sida=` gives it, read as the list reads it), one page of PAGE_SIZE
    entries in the compilation's order, with every section's full count, and the
    changes on the first page only. Without, the whole compilation, or
    TooManyAssignments above `limit` (MAX_ENTRIES, or the smaller one the documents
    give, DOCUMENT_MAX_ENTRIES). Either raises changes_between's TooManyChanges
    rather than tell more changes than anyone could read; `with_changes=False` leaves
    the changes out (the notifications' digest, which then links to the changes page).

    The queries: the counts per status, one counting what is due and overdue (a
    page only), one per section on the page (or in the register) for its
    assignments, one each for their treatments and status reports, plus the fixed
    number `changes_between` makes: none per assignment.
    """
    statuses = counts_at([day])[day]
    total = sum(statuses.values())
    due_by = meeting.date if meeting is not None else day
    rows = _section_rows(day, compared_with, due_by)
    if page is None:
        limit = min(limit or MAX_ENTRIES, MAX_ENTRIES)
        if total > limit:
            raise TooManyAssignments(limit)
        # The file tells every row read and counts exactly those: no assignment may
        # go missing from what KS files because a count was read from elsewhere.
        assignments = _GroupedRows([(key, queryset, 0) for key, queryset in rows]).whole(
            limit + 1
        )
        if len(assignments) > limit:
            raise TooManyAssignments(limit)
        statuses = dict.fromkeys(Assignment.Status.values, 0)
        counts = dict.fromkeys(SECTIONS, 0)
        overdue = dict.fromkeys(SECTIONS, 0)
        for assignment in assignments:
            statuses[assignment["status"]] += 1
            counts[assignment["section"]] += 1
            overdue[assignment["section"]] += assignment["is_overdue"]
        page_obj, window = None, (0, len(assignments))
    else:
        counts, overdue = _section_counts(day, compared_with, due_by, statuses)
        parts = _GroupedRows([(key, queryset, counts[key]) for key, queryset in rows])
        page_obj = KnownCountPaginator(parts, PAGE_SIZE, total).get_page(page)
        # start_index() counts from 1, and is 0 on the one page of an empty register.
        window = (max(page_obj.start_index() - 1, 0), page_obj.end_index())
        assignments = page_obj.object_list
    first_page = page_obj is None or page_obj.number == 1
    return Compilation(
        day=day,
        compared_with=compared_with,
        sections=_sections(
            assignments, counts, overdue, window, page_obj, day, compared_with, due_by
        ),
        statuses=[
            StatusCount(status, str(label), statuses[status])
            for status, label in Assignment.Status.choices
        ],
        changes=changes_since(compared_with, day) if first_page and with_changes else None,
        page=page_obj,
        meeting=meeting,
    )


class _GroupedRows:
    """The compilation's assignments in its order: the sections one after another.

    Sliced, it reads each section's part with a query of its own, ordered as an
    index on the diarienummer reads it; one query ordered by section first would
    sort the whole register for every page. Each row says its section. `reverse()`
    reads the sections backwards, for the list's paginator, which reads a page in
    the back half from the end.
    """

    def __init__(self, parts):
        self.parts = parts  # (section, queryset, the number of its rows), in order

    def __getitem__(self, window):
        rows, start = [], 0
        for key, queryset, count in self.parts:
            low, high = max(window.start - start, 0), min(window.stop - start, count)
            if low < high:
                rows.extend(dict(row, section=key) for row in queryset[low:high])
            start += count
        return rows

    def whole(self, limit):
        """Every section's rows, read whole rather than by their counts, at most `limit`."""
        rows = []
        for key, queryset, _count in self.parts:
            rows.extend(dict(row, section=key) for row in queryset[: limit - len(rows)])
        return rows

    def reverse(self):
        return _GroupedRows([
            (key, queryset.reverse(), count) for key, queryset, count in self.parts[::-1]
        ])


def _register(day):
    """The register at the end of `day`, or today's when `day` is today.

    Today's is read from the register itself rather than from its history, whose
    every version of every assignment a deep page would otherwise step through.
    """
    return register_at(None if day >= timezone.localdate() else day)


def _section_rows(day, compared_with, due_by):
    """Each section's assignments at the end of `day`, in the compilation's order.

    Whether each was overdue is judged at `day` in the same query.
    """
    due = due_condition(compared_with, due_by)
    at_day = _register(day)
    register = (
        with_overdue_flag(at_day, day).order_by("reference", "id").values(*ASSIGNMENT_FIELDS)
    )
    return [
        (DUE, _ShortRange(at_day.filter(due), register.filter(due))),
        (ONGOING, register.filter(OPEN).exclude(due)),
        (CLOSED, register.filter(status=Assignment.Status.CLOSED)),
    ]


class _ShortRange:
    """The assignments due, in the diarienummer's order, read as the short range they are.

    Read in that order from the diarienummer's index, the first page stepped through
    15 000 other assignments at 100 000 (a diarienummer holds its year, and what is due
    now came late): instead, a window's ids come from the range of planned
    completions (the index of migration 0012 holds the diarienummer and id), sorted
    in an order written so that no index can serve it, and then only their rows.
    Sliced and reversed as the querysets beside it in _GroupedRows.
    """

    def __init__(self, assignments, rows, descending=False):
        # `assignments` are the section's, `rows` the same with the page's columns.
        self.assignments, self.rows, self.descending = assignments, rows, descending

    def __getitem__(self, window):
        unindexed = Coalesce("reference", Value(""))
        order = (unindexed.desc(), "-id") if self.descending else (unindexed.asc(), "id")
        ids = self.assignments.order_by(*order).values("id")[window]
        rows = self.rows.filter(id__in=Subquery(ids))
        return rows.reverse() if self.descending else rows

    def reverse(self):
        return _ShortRange(self.assignments, self.rows, not self.descending)


def _section_counts(day, compared_with, due_by, statuses):
    """How many assignments each section holds, and how many of them are overdue.

    The open and the closed come from the counts per status; what is due, and
    what of it is overdue, from counts over the short range of planned completions
    due; the overdue in progress are all the overdue less those due. Three plain
    counts, each an index range: one count with three filters read every open
    assignment's row instead (76 of 160 ms at 100 000 assignments).
    """
    register, late = _register(day), overdue_condition(day)
    due = register.filter(due_condition(compared_with, due_by))
    due_count, due_overdue = due.count(), due.filter(late).count()
    open_count = sum(count for status, count in statuses.items()
                     if status != Assignment.Status.CLOSED)
    counts = {
        DUE: due_count,
        ONGOING: open_count - due_count,
        CLOSED: statuses[Assignment.Status.CLOSED],
    }
    overdue = {DUE: due_overdue, ONGOING: register.filter(late).count() - due_overdue, CLOSED: 0}
    return counts, overdue


def _sections(assignments, counts, overdue, window, page_obj, day, compared_with, due_by):
    """The sections with their full counts and the entries of `assignments`.

    An empty section is shown where its entries would have been: on the page whose
    window holds its place in the order, or on the last page when that is its end.
    """
    ids = [assignment["id"] for assignment in assignments]
    treatments = _latest(
        Treatment, day, ids, ("meeting__date", "paragraph", "id"), TREATMENT_FIELDS
    )
    reports = _latest(
        StatusReport, day, ids, ("report_date", "id"), ("report_date", "text", "assessment")
    )
    outcomes = {value: str(label) for value, label in Assignment.Outcome.choices}
    statuses = {value: str(label) for value, label in Assignment.Status.choices}
    entries = {key: [] for key in SECTIONS}
    for assignment in assignments:
        treatment = treatments.get(assignment["id"])
        report = reports.get(assignment["id"])
        entries[assignment["section"]].append(Entry(
            id=assignment["id"],
            reference=assignment["reference"],
            title=assignment["title"],
            status=assignment["status"],
            status_label=statuses[assignment["status"]],
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
    sections, place = [], 0
    for key, (label, short_label) in SECTIONS.items():
        empty_here = window[0] <= place and (place < window[1] or last)
        sections.append(Section(
            key, str(label), str(short_label), _section_note(key, day, compared_with, due_by),
            counts[key], overdue[key], entries[key],
            shown=bool(entries[key]) or (counts[key] == 0 and empty_here),
        ))
        place += counts[key]
    return sections


def _section_note(key, day, compared_with, due_by):
    """What a section holds, in a sentence the page and the documents share."""
    days = {"day": day.isoformat(), "previous": compared_with.isoformat()}
    if key == DUE:
        return _(
            "Open assignments whose planned completion falls after %(previous)s "
            "and on or before %(day)s."
        ) % dict(days, day=due_by.isoformat())
    if key == ONGOING:
        return _(
            "The other open assignments. Those whose planned completion passed before "
            "%(day)s are marked Overdue."
        ) % days
    return _(
        "Assignments closed by the end of %(day)s, one line each with the result and "
        "the latest treatment."
    ) % days


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
    unit_id = record["meeting__committee_id"]
    meeting = Meeting(
        body=record["meeting__body"],
        committee=Unit(id=unit_id, name=record["meeting__committee__name"]) if unit_id else None,
        date=record["meeting__date"],
    )
    return str(Treatment(meeting=meeting, paragraph=record["paragraph"]))
