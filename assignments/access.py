"""Fetch-and-check helpers: every view gets its object and the right to it in one call."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Assignment
from .querysets import with_overdue_flag


def get_assignment_for_user(request, pk, *perms, overdue_on=None):
    """The assignment with what its pages show, or 404; 403 without every one of `perms`.

    A view that fetches its assignment declares its permissions here and nowhere
    else; without `perms`, seeing the assignment is what it takes. With
    `overdue_on`, it carries `is_overdue` for that day, asked in the same query.
    """
    if not request.user.has_perms(perms or ["assignments.view_assignment"]):
        raise PermissionDenied
    # The treatment behind the status is shown as "KS 2016-12-07 § 10": its meeting
    # (and a nämnd's name) come in the same query.
    assignments = Assignment.objects.select_related(
        "area", "responsible_unit", "case_officer", "follow_up_owner",
        "status_treatment__meeting__committee",
    )
    if overdue_on is not None:
        assignments = with_overdue_flag(assignments, overdue_on)
    return get_object_or_404(assignments, pk=pk)
