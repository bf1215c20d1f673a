"""Read-side figures about assignments, shared by pages, exports and tests."""

from datetime import datetime, time, timedelta

from django.db.models import Max
from django.utils import timezone

from malmo_ks.history import valid_at

from .models import Assignment, Treatment

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


def last_ks_meeting(before):
    """The day of the latest KS meeting before the day `before` that treated an assignment.

    None when there was none. The meeting of the day itself is not yet "the last one".
    """
    return Treatment.objects.filter(
        body=Treatment.Body.KS, meeting_date__lt=before
    ).aggregate(last=Max("meeting_date"))["last"]
