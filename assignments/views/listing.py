"""The assignment list: filters, sorting, pages and counts per status, today or at a past date."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.utils.functional import cached_property
from django.views.decorators.http import require_safe

from malmo_ks import tables
from malmo_ks.asof import PARAM as AS_OF_PARAM
from malmo_ks.paging import PAGE_PARAM, PAGE_SIZE, KnownCountPaginator

from ..daily_counts import counts_at
from ..filters import filter_for_request
from ..links import detail_prefix
from ..models import Assignment, assessment_label
from ..querysets import with_overdue_flag
from ..selectors import LIST_FIELDS

SORT_PARAM = "sortering"
# Plain values, not model instances: historical records turned into instances
# lose their joined unit and area (one query per row) and their annotations.
ROW_FIELDS = (*LIST_FIELDS, "area__number", "area__name", "is_overdue")
DEFAULT_SORT = "diarienummer"


class Listing:
    """The rows and counts of one list address, read when the template asks for them.

    `link_query` ends every row's link, so that a past state stays past on the detail.
    """

    def __init__(self, filterset, page_number=None, link_query=""):
        self.filterset = filterset
        self.page_number = page_number
        self.link_query = link_query
        self.link_prefix = detail_prefix()

    @cached_property
    def status_counts(self):
        if self.filterset.narrows():
            counts = self.filterset.count_by_status()
        else:
            # The whole register at a day is the read model's question: the kept daily
            # counts and the few versions since, instead of an aggregate over every row.
            day = self.filterset.day
            counts = counts_at([day])[day]
        return [
            {"status": status, "label": label, "count": counts[status]}
            for status, label in Assignment.Status.choices
        ]

    @property
    def total(self):
        return sum(item["count"] for item in self.status_counts)

    @property
    def xlsx_max_rows(self):
        return tables.XLSX_MAX_ROWS

    @property
    def fits_in_xlsx(self):
        """Whether the Excel export can hold the list."""
        return self.total <= self.xlsx_max_rows

    @cached_property
    def page_obj(self):
        rows = with_overdue_flag(self.filterset.qs, self.filterset.day).values(*ROW_FIELDS)
        return KnownCountPaginator(rows, PAGE_SIZE, self.total).get_page(self.page_number)

    @cached_property
    def rows(self):
        return [
            {
                **row,
                "status_label": Assignment.Status(row["status"]).label,
                "assessment_label": assessment_label(row["last_assessment"]),
                "url": f"{self.link_prefix}{row['id']}/{self.link_query}",
            }
            for row in self.page_obj
        ]


@require_safe
@permission_required("assignments.view_assignment", raise_exception=True)
def assignment_list(request):
    as_of, filterset = filter_for_request(request)
    # Links to details and "clear filters" stay in the same past state.
    as_of_query = f"?{AS_OF_PARAM}={as_of.day.isoformat()}" if as_of.is_past else ""
    return render(
        request,
        "assignments/list.html",
        {
            "as_of": as_of,
            "as_of_query": as_of_query,
            "filterset": filterset,
            "listing": Listing(filterset, request.GET.get(PAGE_PARAM), as_of_query),
            "sort_columns": _sort_columns(
                filterset.filters[SORT_PARAM], request.GET.get(SORT_PARAM) or DEFAULT_SORT
            ),
        },
    )


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
