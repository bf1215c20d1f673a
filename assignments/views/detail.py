"""The assignment page: every field, its records and its timeline, now or at a past date."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from malmo_ks.asof import parse_as_of

from ..access import get_assignment_for_user
from ..detail_selectors import assignment_as_of, assignment_records
from ..history_display import field_labels
from ..models import Assignment, DeadlineChange, StatusReport, Treatment
from ..timeline import assignment_timeline


@require_safe
def assignment_detail(request, pk):
    as_of = parse_as_of(request)
    # Overdue is judged at the day shown, in the query that fetches the assignment.
    assignment = get_assignment_for_user(request, pk, overdue_on=as_of.day or timezone.localdate())
    if as_of.is_past:
        assignment = assignment_as_of(pk, as_of.day)
        if assignment is None:
            # Not there at that day: a 404 that says so, and links to the assignment today.
            return render(request, "assignments/not_yet_registered.html",
                          {"pk": pk, "as_of": as_of}, status=404)
    return render(
        request,
        "assignments/detail.html",
        {
            "assignment": assignment,
            "as_of": as_of,
            "records": assignment_records(assignment, as_of.day),
            "timeline": assignment_timeline(pk, as_of.day),
            "labels": {
                "assignment": field_labels(Assignment),
                "treatment": field_labels(Treatment),
                "report": field_labels(StatusReport),
                "deadline": field_labels(DeadlineChange),
            },
        },
    )
