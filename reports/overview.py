"""Read-side figures of the overview page, each computed in the database at a chosen day.

Every figure is made up of a filtered list of assignments; `list_url()` builds the
address of that list, so the page links each number to the rows behind it.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.db import connection
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assignments.models import Assignment, CommissionArea, StatusReport
from assignments.querysets import overdue, stale
from assignments.selectors import LIST_FIELDS, end_of_day, last_ks_meeting, register_at, status_counts
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


def counts_by_status(day=None):
    """The number of assignments per status at `day`, each with its list, and the total."""
    counts = status_counts(day)
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


# Each history row is one version of an assignment, valid from its history_date
# until the next version's. A quarter counts the versions valid at its last
# instant: one query for all quarters instead of one `as_of` per quarter. Both
# queries below answer with rows (first quarter, quarter after, status, count):
# that many versions of that status were valid at the end of every quarter from
# the first up to, not including, the quarter after (None: up to the last one).
_VERSIONS_SQL = """
WITH versions AS (
    SELECT id, status, history_type, history_date,
           LEAD(history_date) OVER (PARTITION BY id ORDER BY history_date, history_id)
               AS replaced_at
    FROM {history}
)
"""

# PostgreSQL reads the history once: width_bucket() finds, by binary search in the
# sorted quarter ends, how many ends lie at or before an instant. A version is
# valid at the ends from its own bucket up to its successor's. Joining every
# version with every quarter, as below, costs 2.1 s instead of 0.7 s at a
# million history rows (`python -m bench`).
_OVER_TIME_POSTGRESQL_SQL = _VERSIONS_SQL + """
SELECT width_bucket(history_date, %s::timestamptz[]),
       width_bucket(replaced_at, %s::timestamptz[]),
       status, COUNT(*)
FROM versions
WHERE history_type <> '-'
GROUP BY 1, 2, 3
"""

# SQLite (the zero-set-up local demo) has no width_bucket(): each quarter joins
# the versions valid at its end. VALUES and LEAD() exist on both databases.
_OVER_TIME_JOIN_SQL = _VERSIONS_SQL + """
SELECT quarters.column1, quarters.column1 + 1, versions.status, COUNT(*)
FROM (VALUES {quarters}) AS quarters
JOIN versions
  ON versions.history_date < quarters.column2
 AND (versions.replaced_at IS NULL OR versions.replaced_at >= quarters.column2)
WHERE versions.history_type <> '-'
GROUP BY quarters.column1, versions.status
"""


def _versions_by_quarters(ends):
    """Rows of (first quarter, quarter after, status, count) for the quarters `ends`."""
    history = connection.ops.quote_name(Assignment.history.model._meta.db_table)
    instants = [end_of_day(end) for end in ends]
    if connection.vendor == "postgresql":
        sql = _OVER_TIME_POSTGRESQL_SQL.format(history=history)
        params = [instants, instants]
    else:
        sql = _OVER_TIME_JOIN_SQL.format(
            history=history, quarters=", ".join(["(%s, %s)"] * len(ends))
        )
        params = []
        for index, instant in enumerate(instants):
            params += [index, connection.ops.adapt_datetimefield_value(instant)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def status_over_time(until):
    """Count per status at the end of each quarter since 2014-Q1, up to `until`."""
    ends = quarter_ends(until)
    if not ends:
        return []
    return _counts_at(ends)


def _counts_at(ends):
    counts = [dict.fromkeys(STATUSES, 0) for _end in ends]
    for first, after, status, number in _versions_by_quarters(ends):
        for index in range(first, len(ends) if after is None else after):
            counts[index][status] += number
    return [QuarterCounts(end, quarter_counts) for end, quarter_counts in zip(ends, counts)]


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


# --- Changed since the last KS meeting -------------------------------------------------


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
    figures, total = counts_by_status(day)
    # Today's meeting is not yet "the last one"; at the end of a past day it is.
    last_meeting = last_ks_meeting(reference_day + timedelta(days=1) if day else reference_day)
    return Overview(
        day=day,
        reference_day=reference_day,
        stale_months=stale_months,
        status_counts=figures,
        total=total,
        over_time=status_over_time(reference_day),
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
