"""Read-side figures about assignments, shared by pages, exports and tests."""

from datetime import datetime, time, timedelta

from django.db.models import Count, Max
from django.utils import timezone

from malmo_ks.history import valid_at, versions_at_in_parts

from .models import Assignment, Meeting
from .querysets import overdue

# What a list of assignments shows of each: the list page and the overview's short lists.
LIST_FIELDS = (
    "id",
    "reference",
    "title",
    "status",
    "planned_completion",
    "planned_completion_is_year",
    "responsible_unit__name",
    "last_assessment",
)


def end_of_day(day):
    """The first instant after `day` in Malmö's time: "as of 2016-12-31" includes that day."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def versions_at(history, day):
    """The history records of `history` (a model's history queryset) that held at the end
    of `day`: one indexed range on the validity interval, removals left out."""
    return history.filter(valid_at(end_of_day(day))).exclude(history_type="-")


def register_at(day=None):
    """The register today, or as it stood at the end of `day`.

    The one definition used by the list, the overview, the compilation, the
    exports and the tests. A past day gives history records (same field names as
    an assignment; `id` is the assignment's) rather than instances.
    """
    return Assignment.objects.all() if day is None else versions_at(Assignment.history, day)


def register_in_parts_at(day):
    """The register as it stood at the end of the past `day` (`register_at(day)`), as
    disjoint parts each read from one index: an aggregate over a day in the middle of
    a long history adds up the parts' answers instead of reading every version begun
    before the day (malmo_ks.history.versions_at_in_parts)."""
    history = Assignment.history.exclude(history_type="-")
    return versions_at_in_parts(history, end_of_day(day), day)


def last_ks_meeting(before):
    """The day of the last KS meeting of the plan (sammanträdesplan) before the day `before`.

    Taken from the meetings registered, whether or not they treated an assignment;
    None when there was none. The meeting of the day itself is not yet "the last one".
    """
    return (
        Meeting.objects.filter(body=Meeting.Body.KS)
        .held_before(before)
        .aggregate(last=Max("date"))["last"]
    )


# The meetings' pages (assignments.views.meetings): what the plan holds and what a
# meeting treated or has due. Each is a fixed number of queries, whatever the plan.

# How many assignments due before a meeting its page lists; the count is of all.
DUE_SHOWN = 50


def meeting_years():
    """The years the plan has meetings in, latest first."""
    return sorted(
        {day.year for day in Meeting.objects.dates("date", "year")}, reverse=True
    )


def meetings_of_year(year):
    """The year's meetings in date order, each with how many treatments it holds."""
    return list(
        Meeting.objects.filter(date__year=year)
        .select_related("committee")
        .annotate(treatment_count=Count("treatments"))
        .order_by("date", "body", "committee__name", "id")
    )


def treated_at(meeting):
    """The treatments of `meeting` by paragraph, with their assignments."""
    return list(
        meeting.treatments.select_related("assignment").order_by("paragraph", "id")
    )


def due_before(meeting, shown=DUE_SHOWN):
    """Open assignments whose planned completion falls before the meeting: (first, count).

    The register's one rule of overdue, judged at the meeting's day: what KS
    expects to hear about, or hear why not, by then.
    """
    due = (
        overdue(Assignment.objects.all(), meeting.date)
        .select_related("responsible_unit")
        .order_by("planned_completion", "reference", "id")
    )
    return list(due[:shown]), due.count()
