"""Read-side figures of the overview page, each computed in the database at a chosen day.

Every figure is made up of a filtered list of assignments; `list_url()` builds the
address of that list, so the page links each number to the rows behind it.
"""

import calendar
import functools
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.db.models import Count, F, Q
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assignments import daily_counts
from assignments.filters import AT_RISK_OR_DEVIATES
from assignments.models import Assignment, CommissionArea, Unit, assessment_label
from assignments.querysets import (
    at_risk_condition,
    overdue,
    overdue_condition,
    stale,
    stale_condition,
)
from assignments.selectors import (
    LIST_FIELDS,
    last_ks_meeting,
    register_at,
    register_in_parts_at,
)
from malmo_ks.asof import PARAM as AS_OF_PARAM

from .changes import ChangeSummary, count_changes

STATUSES = Assignment.Status.values
# KS gave the assignments on 2014-03-05: the first quarter worth showing ends 2014-03-31.
FIRST_QUARTER_END = date(2014, 3, 31)
STALE_MONTHS = 6
UPCOMING_DAYS = 90
LIST_LIMIT = 10


@functools.lru_cache
def _list_path(script_prefix):
    return reverse("assignments:list")


def list_url(day=None, **filters):
    """The assignment list filtered by `filters`, at `day` when the overview shows a past day.

    The page links a few hundred numbers: the list's path is reversed once per
    script prefix (which is all `reverse` depends on here), not once per number.
    """
    params = {key: value for key, value in filters.items() if value is not None}
    if day is not None:
        params[AS_OF_PARAM] = day.isoformat()
    query = urlencode(params)
    return _list_path(get_script_prefix()) + (f"?{query}" if query else "")


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


def counts_by_status(day, counts):
    """The number of assignments per status (`counts`) at `day`, each with its list, and
    the total."""
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

    @property
    def cells_and_total(self):
        return [*self.cells, self.total]


@dataclass(frozen=True)
class Tally:
    """The register at a day counted once: per (area, unit, status), and how many of
    each group are overdue and due soon. Every table of the page adds these up, so the
    figures agree with each other by construction."""

    rows: list

    GROUP = ("area", "responsible_unit", "status")
    COUNTS = ("n", "overdue", "due_soon", "stale", "at_risk")

    @classmethod
    def at(cls, day, reference_day, stale_months=STALE_MONTHS):
        """The register today (`day` None) or at the end of a past `day`, counted.

        Today's is one aggregate query. A past day's is one per part of the register
        then (selectors.register_in_parts_at), added up here by group.
        """
        if day is None:
            return cls(cls._count(register_at(None), reference_day, stale_months))
        groups = {}
        for part in register_in_parts_at(day):
            for row in cls._count(part, reference_day, stale_months):
                group = groups.setdefault(tuple(row[name] for name in cls.GROUP), row)
                if group is not row:
                    for name in cls.COUNTS:
                        group[name] += row[name]
        return cls(list(groups.values()))

    @staticmethod
    def _count(register, reference_day, stale_months):
        """One aggregate query over `register`; the overdue, due-soon and stale rules are
        the lists' own conditions, used as the filters of conditional counts."""
        return list(
            register.order_by()
            .values(*Tally.GROUP)
            .annotate(
                # Status (never null) rather than the key, which differs between
                # today's table and the history: the count then reads only the
                # columns the indexes hold (migrations 0012 and 0017).
                n=Count("status"),
                overdue=Count("status", filter=overdue_condition(reference_day)),
                due_soon=Count("status", filter=due_soon_condition(reference_day)),
                stale=Count("status", filter=stale_condition(stale_months, reference_day)),
                at_risk=Count("status", filter=at_risk_condition()),
            )
        )

    def total(self, column):
        return sum(row[column] for row in self.rows)

    def by(self, key):
        """{value of `key`: {status: n, ..., "total": n}} for every value that occurs."""
        groups = {}
        for row in self.rows:
            group = groups.setdefault(row[key], dict.fromkeys([*STATUSES, "total"], 0))
            group[row["status"]] = group[row["status"]] + row["n"]
            group["total"] += row["n"]
        return groups

    def by_status(self):
        counts = dict.fromkeys(STATUSES, 0)
        for row in self.rows:
            counts[row["status"]] += row["n"]
        return counts


def breakdown_by_area(tally, day=None):
    """Every commission area with its counts per status, zeros included."""
    by_area = tally.by("area")
    return [
        _breakdown(str(area), by_area.get(area.pk, {}), day, omrade=area.pk)
        for area in CommissionArea.objects.order_by("number")
    ]


def breakdown_by_unit(tally, day=None):
    """Units responsible for at least one assignment at `day`, the busiest first."""
    by_unit = tally.by("responsible_unit")
    names = dict(Unit.objects.filter(pk__in=by_unit).values_list("pk", "name"))
    order = sorted(by_unit, key=lambda pk: (-by_unit[pk]["total"], names[pk], pk))
    return [_breakdown(names[pk], by_unit[pk], day, enhet=pk) for pk in order]


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
    cells: list

    @classmethod
    def at(cls, quarter_end, counts):
        cells = [Cell(counts[status], list_url(quarter_end, status=status)) for status in STATUSES]
        return cls(quarter_end, counts, cells)

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
    daily counts (assignments.daily_counts): two queries for every quarter at once, none
    when the caller read `counts` (by day) already."""
    ends = quarter_ends(until)
    counts = counts or daily_counts.counts_at(ends)
    return [QuarterCounts.at(end, counts[end]) for end in ends]


# --- Overdue, stale and upcoming -------------------------------------------------------------
# Overdue and stale are the list's own filters (assignments.querysets), so that a
# number here always equals the length of the list it links to.


def due_soon_condition(day, days=UPCOMING_DAYS):
    """Open and planned to complete within `days` from `day`."""
    return ~Q(status=Assignment.Status.CLOSED) & Q(
        planned_completion__gte=day, planned_completion__lte=day + timedelta(days=days)
    )


def due_soon(queryset, day, days=UPCOMING_DAYS):
    return queryset.filter(due_soon_condition(day, days))


@dataclass(frozen=True)
class AssignmentList:
    """The first rows of a list and how many there are in all."""

    rows: list
    total: int

    @property
    def is_cut(self):
        return self.total > len(self.rows)


def first_rows(queryset, *ordering, **extra):
    """The first LIST_LIMIT rows as plain values, with display labels.

    The ordering ends in the diarienummer and id, as the overdue index (migration
    0012) does, so that the database reads those rows in order and stops there.
    """
    rows = list(
        queryset.annotate(**extra).order_by(*ordering, "reference", "id")
        .values(*LIST_FIELDS, *extra)[:LIST_LIMIT]
    )
    for row in rows:
        row["status_label"] = Assignment.Status(row["status"]).label
        row["assessment_label"] = assessment_label(row["last_assessment"])
    return rows


def stalest(register, months, day, total, past=False):
    """The stale list: the LIST_LIMIT longest silent, never reported first, and how many
    (`total`, counted by the tally).

    Today's are read in that order from `assignment_stalest` (migration 0013), up to the
    tenth. At a `past` day each part of the register then (selectors.register_in_parts_at)
    gives its ten first, and the ten first of those are fetched: the current versions in
    that order from `historicalassignment_current_stalest` (migration 0017), the ended
    ones that held at the day from their interval-tree ranges, sorted. (An index in
    report order over every version would first meet the versions of other days: every
    version before an assignment's first report is "never reported".)
    """
    rows = stale(register, months, day)
    in_order = F("last_report_on").asc(nulls_first=True)
    if past:
        first = [
            history_id
            for part in register_in_parts_at(day)
            for history_id in stale(part, months, day).order_by(in_order, "reference", "id")
            .values_list("history_id", flat=True)[:LIST_LIMIT]
        ]
        rows = register.filter(history_id__in=first)
    rows = first_rows(rows, in_order, last_report=F("last_report_on"))
    return AssignmentList(rows=rows, total=total)


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
    at_risk: AssignmentList
    at_risk_url: str
    due_soon: AssignmentList
    last_meeting: date | None
    changes: ChangeSummary | None

    @property
    def counts(self):
        """{status: count} at the day shown, as the status table gives them."""
        return {figure.status: figure.cell.count for figure in self.status_counts}


def overview_at(day=None, stale_months=STALE_MONTHS):
    """The overview's figures today (`day` None) or at the end of a past `day`."""
    reference_day = day or timezone.localdate()
    register = register_at(day)
    tally = Tally.at(day, reference_day, stale_months)
    figures, total = counts_by_status(day, tally.by_status())
    # Today's meeting is not yet "the last one"; at the end of a past day it is.
    last_meeting = last_ks_meeting(reference_day + timedelta(days=1) if day else reference_day)
    return Overview(
        day=day,
        reference_day=reference_day,
        stale_months=stale_months,
        status_counts=figures,
        total=total,
        over_time=status_over_time(reference_day),
        by_area=breakdown_by_area(tally, day),
        by_unit=breakdown_by_unit(tally, day),
        overdue=AssignmentList(
            first_rows(overdue(register, reference_day), "planned_completion"),
            tally.total("overdue"),
        ),
        overdue_url=list_url(day, forsenade="ja"),
        stale=stalest(
            register, stale_months, reference_day, tally.total("stale"), past=day is not None
        ),
        stale_url=list_url(day, utan_rapport=stale_months),
        at_risk=AssignmentList(
            first_rows(register.filter(at_risk_condition())), tally.total("at_risk")
        ),
        at_risk_url=list_url(day, bedomning=AT_RISK_OR_DEVIATES),
        due_soon=AssignmentList(
            first_rows(due_soon(register, reference_day), "planned_completion"),
            tally.total("due_soon"),
        ),
        last_meeting=last_meeting,
        changes=count_changes(last_meeting, day) if last_meeting else None,
    )
