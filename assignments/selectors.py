"""Read-side figures about assignments, shared by pages, exports and tests."""

from datetime import datetime, time, timedelta

from django.db.models import Count
from django.utils import timezone

from .models import Assignment

# What a list of assignments shows of each: the list page and the overview's short lists.
LIST_FIELDS = (
    "id",
    "reference",
    "title",
    "status",
    "planned_completion",
    "planned_completion_is_year",
    "responsible_unit__name",
)


def end_of_day(day):
    """The first instant after `day` in Malmö's time: "as of 2016-12-31" includes that day."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def assignments_as_of(day):
    """Assignments as they stood at the end of `day`, reconstructed from history."""
    return Assignment.history.as_of(end_of_day(day) - timedelta(microseconds=1))


def status_counts(day=None):
    """Number of assignments per status, now or at the end of `day`."""
    queryset = Assignment.objects.all() if day is None else assignments_as_of(day)
    rows = queryset.order_by().values("status").annotate(n=Count("pk"))
    counts = {status: 0 for status in Assignment.Status.values}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts
