"""The meetings (sammanträden): the plan by year, one meeting's page, a meeting added by hand."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ..concurrency import perform
from ..forms import MeetingForm, MeetingYearForm
from ..models import Meeting
from ..selectors import due_before, meeting_years, meetings_of_year, treated_at

VIEW = "assignments.view_meeting"
ADD = "assignments.add_meeting"


@require_safe
@permission_required(VIEW, raise_exception=True)
def meeting_list(request):
    """One year of the plan at a time, past and planned; this year's unless asked."""
    form = MeetingYearForm(request.GET)
    years = meeting_years()
    today = timezone.localdate()
    year = form.cleaned_data["ar"] if form.is_valid() else None
    if year is None:
        year = today.year if today.year in years or not years else years[0]
    meetings = meetings_of_year(year) if form.is_valid() else []
    return render(request, "assignments/meetings/list.html", {
        "form": form,
        "year": year,
        "years": years,
        "meetings": meetings,
        "today": today,
    })


@require_safe
@permission_required(VIEW, raise_exception=True)
def meeting_detail(request, pk):
    """What the meeting treated; for a meeting still ahead (or today's), what is due by then."""
    meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)
    shows_due = meeting.date >= timezone.localdate()
    due, due_count = due_before(meeting) if shows_due else ([], 0)
    return render(request, "assignments/meetings/detail.html", {
        "meeting": meeting,
        "treatments": treated_at(meeting),
        "shows_due": shows_due,
        "due": due,
        "due_count": due_count,
    })


@require_http_methods(["GET", "POST"])
@permission_required(ADD, raise_exception=True)
def create_meeting(request):
    form = MeetingForm(request.POST if request.method == "POST" else None)
    if form.is_bound and perform(
        form,
        lambda: form.instance.save_tracked(user=request.user, reason=form.cleaned_data["reason"]),
    ):
        messages.success(request, _("The meeting %(meeting)s has been added to the plan.") % {
            "meeting": form.instance,
        })
        return redirect("assignments:meeting", pk=form.instance.pk)
    return render(request, "assignments/meetings/form.html", {
        "form": form,
        "heading": _("New meeting"),
        "submit": _("Add the meeting"),
    })
