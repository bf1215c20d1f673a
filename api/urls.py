"""The API's addresses: /api/v1/…, read only."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import views

app_name = "api"


def _open(view):
    # The API answers 401 in JSON itself: LoginRequiredMiddleware would redirect to a page.
    return login_not_required(view.as_view())


urlpatterns = [
    path("", views.documentation, name="documentation"),
    path("openapi.json", _open(views.Schema), name="schema"),
    path("assignments/", _open(views.AssignmentList), name="assignments"),
    path("assignments.csv", _open(views.AssignmentCsv), name="assignments_csv"),
    # Any text: the view answers an id it cannot read with a 404 in JSON.
    path("assignments/<str:pk>/", _open(views.AssignmentDetail), name="assignment"),
    path("meetings/", _open(views.MeetingList), name="meetings"),
    path("budget-rows/", _open(views.BudgetRowList), name="budget_rows"),
    path("budget-rows.csv", _open(views.BudgetRowCsv), name="budget_rows_csv"),
    path("counts/", _open(views.StatusCounts), name="counts"),
    path("changes/", _open(views.Changes), name="changes"),
]
