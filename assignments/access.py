"""Fetch-and-check helpers: every view gets its object and the right to it in one call."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Assignment


def get_assignment_for_user(request, pk, *perms):
    """The assignment with what its pages show, or 404; 403 without every one of `perms`.

    A view that fetches its assignment declares its permissions here and nowhere
    else; without `perms`, seeing the assignment is what it takes.
    """
    if not request.user.has_perms(perms or ["assignments.view_assignment"]):
        raise PermissionDenied
    return get_object_or_404(
        Assignment.objects.select_related(
            "area", "responsible_unit", "case_officer", "follow_up_owner", "status_treatment"
        ),
        pk=pk,
    )
