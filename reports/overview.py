"""Read-side figures of the overview page, each computed in the database at a chosen day.

Every figure is made up of a filtered list of assignments; `list_url()` builds the
address of that list, so the page links each number to the rows behind it.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assignments import daily_counts
from assignments.models import Assignment, CommissionArea, StatusReport
from assignments.querysets import overdue, stale
from assignments.selectors import LIST_FIELDS, last_ks_meeting, register_at, status_counts
from malmo_ks.asof import PARAM as AS_OF_PARAM

from .changes import ChangeSummary, count_changes

STATUSES = Assignment.Status.values
# KS gave the assignments on 2014-03-05: the first quarter worth showing ends 2014-03-31.
FIRST_QUARTER_END = date(2014, 3, 31)
STALE_MONTHS = 6
UPCOMING_DAYS = 90
LIST_LIMIT = 10


def list_url(day=None, **filters):
    """The assignment list filtered by `filters`, at `day` when the overview shows a past day."""
    params = {key: value for key, value in filters.items() if value is not None}
    if day is not None:
        params[AS_OF_PARAM] = day.isoformat()
    query = urlencode(params)
    return reverse("assignments:list") + (f"?{query}" if query else "")


def status_count_columns():
    """Conditional counts per status, one column each: the pivot happens in SQL."""
    return {status: Count("pk", filter=Q(status=status)) for status in STATUSES}


# --- Counts by status, per area and per unit -------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One number and the filtered list that makes it up."""

    count: int
    url: str


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    cell: Cell


def counts_by_status(day=None, counts=None):
    """The number of assignments per status at `day`, each with its list, and the total.

    Today's are counted in the register; a past day's `counts` come from the daily
    counts (reports.daily_counts), read with the quarters' in one go.
    """
    counts = counts or (status_counts() if day is None else daily_counts.counts_at([day])[day])
    figures = [
        StatusCount(status, Assignment.Status(status).label,
                    Cell(counts[status], list_url(day, status=status)))
        for status in STATUSES
    ]
    return figures, Cell(sum(counts.values()), list_url(day))


@dataclass(frozen=True)
class Breakdown:
    """Counts per status (in STATUSES order) for one commission area or responsible unit."""

    name: str
    cells: list
    total: Cell


def breakdown_by_area(day=None):
    """Every commission area with its counts per status, zeros included."""
    rows = (
        register_at(day)
        .order_by()
        .values("area")
        .annotate(total=Count("pk"), **status_count_columns())
    )
    by_area = {row["area"]: row for row in rows}
    return [
        _breakdown(str(area), by_area.get(area.pk, {}), day, omrade=area.pk)
        for area in CommissionArea.objects.order_by("number")
    ]


def breakdown_by_unit(day=None):
    """Units responsible for at least one assignment at `day`, the busiest first."""
    rows = (
        register_at(day)
        .order_by()
        .values("responsible_unit", "responsible_unit__name")
        .annotate(total=Count("pk"), **status_count_columns())
        .order_by("-total", "responsible_unit__name", "responsible_unit")
    )
    return [
        _breakdown(row["responsible_unit__name"], row, day, enhet=row["responsible_unit"])
        for row in rows
    ]


def _breakdown(name, row, day, **filters):
    cells = [
        Cell(row.get(status, 0), list_url(day, status=status, **filters)) for status in STATUSES
    ]
    total = Cell(row.get("total", 0), list_url(day, **filters))
    return Breakdown(name=name, cells=cells, total=total)


# --- Status over time --------------------------------------------------------------------


@dataclass(frozen=True)
class QuarterCounts:
    """Counts per status at the end of one quarter, each linked to the list at that day."""

    quarter_end: date
    counts: dict

    @property
    def cells(self):
        return [
            Cell(self.counts[status], list_url(self.quarter_end, status=status))
            for status in STATUSES
        ]

    @property
    def label(self):
        quarter = (self.quarter_end.month - 1) // 3 + 1
        return _("%(year)s Q%(quarter)s") % {"year": self.quarter_end.year, "quarter": quarter}


def quarter_ends(until):
    """The last day of every quarter from 2014-Q1 that has ended by `until`."""
    ends = []
    year, quarter = FIRST_QUARTER_END.year, 1
    while True:
        month = quarter * 3
        end = date(year, month, calendar.monthrange(year, month)[1])
        if end > until:
            return ends
        ends.append(end)
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def status_over_time(until, counts=None):
    """Count per status at the end of each quarter since 2014-Q1, up to `until`, from the
    daily counts (reports.daily_counts): two queries for every quarter at once, none
    when the caller read `counts` (by day) already."""
    ends = quarter_ends(until)
    counts = counts or daily_counts.counts_at(ends)
    return [QuarterCounts(end, counts[end]) for end in ends]


# --- Overdue, stale and upcoming -------------------------------------------------------------
# Overdue and stale are the list's own filters (assignments.querysets), so that a
# number here always equals the length of the list it links to.


def due_soon(queryset, day, days=UPCOMING_DAYS):
    """Open assignments planned to complete within `days` from `day`."""
    return queryset.exclude(status=Assignment.Status.CLOSED).filter(
        planned_completion__gte=day, planned_completion__lte=day + timedelta(days=days)
    )


@dataclass(frozen=True)
class AssignmentList:
    """The first rows of a list and how many there are in all."""

    rows: list
    total: int

    @property
    def is_cut(self):
        return self.total > len(self.rows)


def short_list(queryset, *ordering, **extra):
    """The first LIST_LIMIT rows as plain values, with display labels, and the total."""
    rows = list(
        queryset.annotate(**extra).order_by(*ordering, "reference", "id")
        .values(*LIST_FIELDS, *extra)[:LIST_LIMIT]
    )
    for row in rows:
        row["status_label"] = Assignment.Status(row["status"]).label
    return AssignmentList(rows=rows, total=queryset.count())


def last_report_date(day):
    """The date of an assignment's latest status report up to `day`, as a subquery."""
    return Subquery(
        StatusReport.objects.filter(assignment=OuterRef("id"), report_date__lte=day)
        .order_by("-report_date")
        .values("report_date")[:1]
    )


# --- The whole page -------------------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    """Everything the overview shows at one day; `day` is None for today's state."""

    day: date | None
    reference_day: date
    stale_months: int
    status_counts: list
    total: Cell
    over_time: list
    by_area: list
    by_unit: list
    overdue: AssignmentList
    overdue_url: str
    stale: AssignmentList
    stale_url: str
    due_soon: AssignmentList
    last_meeting: date | None
    changes: ChangeSummary | None


def overview_at(day=None, stale_months=STALE_MONTHS):
    """The overview's figures today (`day` None) or at the end of a past `day`."""
    reference_day = day or timezone.localdate()
    register = register_at(day)
    # The quarters and the past day, if any, in one read of the daily counts.
    past_counts = daily_counts.counts_at([*quarter_ends(reference_day), *([day] if day else [])])
    figures, total = counts_by_status(day, past_counts.get(day))
    # Today's meeting is not yet "the last one"; at the end of a past day it is.
    last_meeting = last_ks_meeting(reference_day + timedelta(days=1) if day else reference_day)
    return Overview(
        day=day,
        reference_day=reference_day,
        stale_months=stale_months,
        status_counts=figures,
        total=total,
        over_time=status_over_time(reference_day, past_counts),
        by_area=breakdown_by_area(day),
        by_unit=breakdown_by_unit(day),
        overdue=short_list(overdue(register, reference_day), "planned_completion"),
        overdue_url=list_url(day, forsenade="ja"),
        stale=short_list(
            stale(register, stale_months, reference_day),
            F("last_report").asc(nulls_first=True),
            last_report=last_report_date(reference_day),
        ),
        stale_url=list_url(day, utan_rapport=stale_months),
        due_soon=short_list(due_soon(register, reference_day), "planned_completion"),
        last_meeting=last_meeting,
        changes=count_changes(last_meeting, day) if last_meeting else None,
    )
