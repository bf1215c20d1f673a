"""Counts per status at the end of any day, read from the daily table instead of the history.

`DailyStatusCount` holds the counts of every day from the first of the history
up to its last row's day (the "kept" days). The counts at the end of day D are
the versions valid then (assignments.selectors.register_at): a version counts
from the day of its history_date until the day before its valid_until.

A day after the kept ones is the last kept day's counts plus the versions that
began and ended since: only history written after that day is read, a few rows
when the table is up to date. So a missing or emptied table gives the same
figures, only slower, and a back-dated record can keep the table exact by
deleting the rows from its own day on, in the write's transaction (`forget_from`).
`rebuild_daily_counts` fills the table up to the day before yesterday again:
load_demo calls it after writing back-dated history (a new register has none),
and the nightly `manage.py rebuild_daily_counts` (docker-compose's `nightly`)
keeps the days after the last write kept.
"""

from collections import defaultdict
from datetime import timedelta

from django.db.models import Count, Max, Q, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from .models import Assignment, DailyStatusCount
from .selectors import end_of_day

STATUSES = Assignment.Status.values


def counts_at(days):
    """{day: {status: count}} at the end of each of `days`, whatever the days: one query
    when they are all kept, a second for the history after the last kept day.

    A day today or later counts everything registered so far.
    """
    days = sorted(set(days))
    if not days:
        return {}
    last = DailyStatusCount.objects.order_by("-day").values("day")[:1]
    rows = DailyStatusCount.objects.filter(Q(day__in=days) | Q(day=Subquery(last)))
    stored = defaultdict(lambda: dict.fromkeys(STATUSES, 0))
    for row in rows.values("day", "status", "count"):
        stored[row["day"]][row["status"]] = row["count"]
    # The days asked for that are kept, and the last kept day, are all there.
    last_kept = max(stored, default=None)
    kept_days = [day for day in days if last_kept and day <= last_kept]
    later_days = [day for day in days if not last_kept or day > last_kept]
    result = {day: dict(stored[day]) for day in kept_days}
    if later_days:
        result.update(_counted_after(last_kept, stored[last_kept], later_days))
    return result


def _counted_after(last_kept, base, days):
    """The counts at `days` (all after `last_kept`): `base` plus the versions since."""
    since = end_of_day(last_kept) if last_kept else None
    versions = Assignment.history.exclude(history_type="-").filter(
        history_date__lt=end_of_day(days[-1])
    )
    if since is not None:
        versions = versions.filter(Q(history_date__gte=since) | Q(valid_until__gte=since))
    result = {day: dict(base) for day in days}
    instants = [(day, end_of_day(day)) for day in days]
    for status, began, ended in versions.values_list("status", "history_date", "valid_until"):
        # A version counts from the day it began; it stops counting the day it ended.
        began_since = since is None or began >= since
        ended_since = ended is not None and (since is None or ended >= since)
        for day, instant in instants:
            if began_since and began < instant:
                result[day][status] += 1
            if ended_since and ended < instant:
                result[day][status] -= 1
    return result


def forget_from(day):
    """Delete the kept counts from `day` on: history dated then has changed."""
    DailyStatusCount.objects.filter(day__gte=day).delete()


def forget_back_dated(sender, history_instance, **kwargs):
    """An assignment's history record changes the counts from its own day on.

    A record dated now touches no kept day and deletes nothing; the previous
    version's valid_until moves to the new record's date, never earlier.
    """
    forget_from(timezone.localdate(history_instance.history_date))


def rebuild_daily_counts(since=None):
    """Keep the counts of every day from `since` up to the day before yesterday.

    The days kept stay one run of days: the rebuild starts no later than the day
    after the last kept one (or the history's first day), whatever `since` says,
    since `counts_at` takes every day up to the last kept one as kept. It stops
    the day before yesterday: a write stamped late yesterday may still commit
    after a rebuild run at midnight has read the history, and its `forget_from`
    would then have come too early; the days after are counted from the history.
    """
    last = timezone.localdate() - timedelta(days=2)
    last_kept = DailyStatusCount.objects.aggregate(last=Max("day"))["last"]
    start = last_kept + timedelta(days=1) if last_kept else _first_day()
    if start is None:
        return 0
    if since is not None:
        start = min(start, since)
    forget_from(start)
    if start > last:
        return 0
    base = counts_at([start - timedelta(days=1)])[start - timedelta(days=1)]
    changes = _daily_changes(start, last)
    rows, counts, day = [], dict(base), start
    while day <= last:
        for status in STATUSES:
            counts[status] += changes.get((day, status), 0)
            rows.append(DailyStatusCount(day=day, status=status, count=counts[status]))
        day += timedelta(days=1)
    DailyStatusCount.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _first_day():
    first = Assignment.history.order_by("history_date").values_list("history_date", flat=True)
    first = first.first()
    return None if first is None else timezone.localdate(first)


def _daily_changes(first, last):
    """{(day, status): versions begun minus versions ended that day}, from `first` to `last`."""
    start, end = end_of_day(first - timedelta(days=1)), end_of_day(last)
    versions = Assignment.history.exclude(history_type="-")
    changes = defaultdict(int)
    began = (
        versions.filter(history_date__gte=start, history_date__lt=end)
        .annotate(day=TruncDate("history_date")).values("day", "status")
        .annotate(n=Count("*")).order_by()
    )
    ended = (
        versions.filter(valid_until__gte=start, valid_until__lt=end)
        .annotate(day=TruncDate("valid_until")).values("day", "status")
        .annotate(n=Count("*")).order_by()
    )
    for row in began:
        changes[row["day"], row["status"]] += row["n"]
    for row in ended:
        changes[row["day"], row["status"]] -= row["n"]
    return changes
