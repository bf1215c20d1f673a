"""Questions asked of many assignments at once: search, overdue, stale, counts per status.

Each question is a function of a queryset, so that it works both on today's
assignments and on the historical records that `selectors.register_at`
returns (same field names, other model); `AssignmentQuerySet` offers them as
methods on today's assignments. The models are imported inside the functions
because models.py imports this module for its manager.
"""

import calendar
from datetime import date

from django.contrib.postgres.search import SearchQuery, SearchVectorExact
from django.db import connections
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Value,
)


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier, or the month's last day: 2017-05-31 - 3 → 2017-02-28."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def search(queryset, text):
    """Assignments whose diarienummer, title or description match `text`.

    Swedish stems on both databases ("barnens" finds "barn"). Today's
    assignments are searched in their stored search document
    (Assignment.search_document): PostgreSQL through its GIN index, SQLite by
    `swedish_match` (assignments.swedish_search), which only splits the stored
    stems. The history's records keep no document: the same expression
    (models.SearchDocument) is computed for each version searched.
    Part of a diarienummer ("2014-205") is no word to the stemmer, hence the
    contains-lookup beside it; it scans the table, so only text with a digit,
    which a diarienummer always has, pays for it.
    """
    from .models import SearchDocument

    stored = any(field.name == "search_document" for field in queryset.model._meta.fields)
    document = F("search_document") if stored else SearchDocument()
    if connections[queryset.db].vendor == "postgresql":
        query = SearchQuery(text, config="swedish", search_type="websearch")
        found = SearchVectorExact(document, query)
    else:
        found = Func(document, Value(text), function="swedish_match", output_field=BooleanField())
    matches = Q(found)
    if any(character.isdigit() for character in text):
        matches |= Q(reference__icontains=text)
    return queryset.filter(matches)


def overdue_condition(day):
    """Planned completion passed before `day` and still not closed."""
    from .models import Assignment

    return Q(planned_completion__lt=day) & ~Q(status=Assignment.Status.CLOSED)


def overdue(queryset, day):
    return queryset.filter(overdue_condition(day))


def with_overdue_flag(queryset, day):
    """Each row says whether it is overdue on `day`, by the same rule as the filter."""
    return queryset.annotate(
        is_overdue=ExpressionWrapper(overdue_condition(day), output_field=BooleanField())
    )


def stale(queryset, months, day):
    """Open assignments with no status report dated in the `months` before `day`.

    An assignment given within those months has not had time to report, so it
    is not stale. Reports are matched by `assignment_id`, not by a relation, so
    that the subquery also correlates with historical records; reports dated
    after `day` did not exist then and do not count.
    """
    from .models import Assignment, StatusReport

    cutoff = months_before(day, months)
    recent_report = StatusReport.objects.filter(
        assignment_id=OuterRef("id"), report_date__gt=cutoff, report_date__lte=day
    )
    return queryset.filter(
        ~Exists(recent_report), ~Q(status=Assignment.Status.CLOSED), decided_on__lte=cutoff
    )


def count_by_status(queryset):
    """Rows per status in one aggregate query: {"pagaende": 4, "lagesrapport": 8, ...}."""
    from .models import Assignment

    return queryset.aggregate(
        **{status: Count("id", filter=Q(status=status)) for status in Assignment.Status.values}
    )


class AssignmentQuerySet(QuerySet):
    """Today's assignments, with the register's questions as methods."""

    def search(self, text):
        return search(self, text)

    def overdue(self, today):
        return overdue(self, today)

    def stale(self, months, today):
        return stale(self, months, today)

    def count_by_status(self):
        return count_by_status(self)
