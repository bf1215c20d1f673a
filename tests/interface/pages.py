"""The register's pages as the interface tests visit them, with the demo register loaded."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from assignments.models import Assignment
from budget.models import BudgetRow


def _first(status):
    return Assignment.objects.filter(status=status).order_by("reference").first()


def main_pages():
    """What everybody reads: name and URL."""
    ongoing = _first(Assignment.Status.ONGOING)
    return [
        ("overview", reverse("reports:overview")),
        ("list", reverse("assignments:list")),
        ("detail", reverse("assignments:detail", args=[ongoing.pk])),
        ("changes", reverse("reports:changes")),
        ("budget", reverse("budget:index")),
        ("compilation", reverse("reports:compilation")),
    ]


def write_pages():
    """The handläggare's forms."""
    ongoing = _first(Assignment.Status.ONGOING).pk
    row = BudgetRow.objects.order_by("year", "name").first().pk
    return [
        ("create", reverse("assignments:create")),
        ("edit", reverse("assignments:edit", args=[ongoing])),
        ("change_status", reverse("assignments:change_status", args=[ongoing])),
        ("add_report", reverse("assignments:add_report", args=[ongoing])),
        ("add_treatment", reverse("assignments:add_treatment", args=[ongoing])),
        ("move_deadline", reverse("assignments:move_deadline", args=[ongoing])),
        ("create_row", reverse("budget:create_row")),
        ("edit_row", reverse("budget:edit_row", args=[row])),
        # Everyone's own form, beside the handläggare's: how they hear of what they follow.
        ("notifications", reverse("notifications:preferences")),
    ]


def admin_pages():
    """The administrator's own pages outside the Django admin."""
    closed = _first(Assignment.Status.CLOSED).pk
    return [
        ("reopen", reverse("assignments:reopen", args=[closed])),
        ("import", reverse("imports:upload")),
    ]


def demo_user(username):
    return get_user_model().objects.get(username=username)
