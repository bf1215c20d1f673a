"""The assignment list: filters, sorting, pages and counts per status, today or at a past date."""

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from ..asof import PARAM as AS_OF_PARAM
from ..asof import parse_as_of
from ..filters import AssignmentFilter
from ..models import Assignment
from ..querysets import count_by_status, with_overdue_flag
from ..selectors import assignments_as_of

PAGE_SIZE = 50
PAGE_PARAM = "sida"
SORT_PARAM = "sortering"
# Plain values, not model instances: historical records turned into instances
# lose their joined unit and area (one query per row) and their annotations.
ROW_FIELDS = (
    "id",
    "reference",
    "title",
    "status",
    "planned_completion",
    "planned_completion_is_year",
    "responsible_unit__name",
    "area__number",
    "area__name",
    "is_overdue",
)
DEFAULT_SORT = "diarienummer"


@permission_required("assignments.view_assignment", raise_exception=True)
def assignment_list(request):
    as_of = parse_as_of(request)
    day = as_of.day or timezone.localdate()
    assignments = assignments_as_of(as_of.day) if as_of.is_past else Assignment.objects.all()
    filterset = AssignmentFilter(request.GET, assignments, day=day)
    found = filterset.qs
    rows = with_overdue_flag(found, day).values(*ROW_FIELDS)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get(PAGE_PARAM))
    return render(
        request,
        "assignments/list.html",
        {
            "as_of": as_of,
            # Links to details and "clear filters" stay in the same past state.
            "as_of_query": f"?{AS_OF_PARAM}={as_of.day.isoformat()}" if as_of.is_past else "",
            "filterset": filterset,
            "page_obj": page,
            "rows": [_with_status_label(row) for row in page],
            "status_counts": _status_counts(found),
            "sort_columns": _sort_columns(
                filterset.filters[SORT_PARAM], request.GET.get(SORT_PARAM) or DEFAULT_SORT
            ),
        },
    )


def _with_status_label(row):
    return {**row, "status_label": Assignment.Status(row["status"]).label}


def _status_counts(found):
    counts = count_by_status(found)
    return [
        {"status": status, "label": label, "count": counts[status]}
        for status, label in Assignment.Status.choices
    ]


def _sort_columns(ordering_filter, current):
    """Per sortable column: its label, the order its header link asks for, and aria-sort.

    The link of the column sorted by reverses its direction; the others sort ascending.
    """
    columns = {}
    for param, label in ordering_filter.extra["choices"]:
        if param.startswith("-"):
            continue
        if current == param:
            columns[param] = {"label": label, "next": f"-{param}", "aria_sort": "ascending"}
        elif current == f"-{param}":
            columns[param] = {"label": label, "next": param, "aria_sort": "descending"}
        else:
            columns[param] = {"label": label, "next": param, "aria_sort": ""}
    return columns
