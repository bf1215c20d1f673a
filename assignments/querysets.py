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
    ExpressionWrapper,
    F,
    Func,
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


def stale_condition(months, day):
    """Open, given at least `months` before `day`, and no status report dated in the
    `months` before `day`.

    An assignment given within those months has not had time to report, so it is
    not stale. The latest report's date is kept on the assignment and on each of its
    history versions (`Assignment.last_report_on`): on a version that held at the end
    of `day` it is the latest report dated on or before `day`, so one rule answers
    today and at a past day, without reading the reports.
    """
    from .models import Assignment

    cutoff = months_before(day, months)
    return (
        ~Q(status=Assignment.Status.CLOSED)
        & Q(decided_on__lte=cutoff)
        & (Q(last_report_on__isnull=True) | Q(last_report_on__lte=cutoff))
    )


def at_risk_condition():
    """Open, and the latest status report assesses risk of deviation or deviation.

    The overview's "Risk för avvikelse" section and the list's `bedomning=avvikelse`:
    a closed assignment's last assessment asks nothing more of anyone.
    """
    from .models import MOTIVATED_ASSESSMENTS, Assignment

    return ~Q(status=Assignment.Status.CLOSED) & Q(last_assessment__in=MOTIVATED_ASSESSMENTS)


def stale(queryset, months, day):
    return queryset.filter(stale_condition(months, day))


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
