"""A person's notification pages: follow an assignment, their settings, their calendar feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assignments.access import get_assignment_for_user

from .calendar import calendar_feed
from .forms import BACK_TO_PREFERENCES, PreferencesForm, RenewCalendarForm, SubscribeForm
from .models import Preferences, Subscription
from .selectors import followed_by, readers

# Reading the register is what following it takes (notifications.selectors).
reader_required = permission_required("assignments.view_assignment", raise_exception=True)


@require_POST
def subscribe(request, pk):
    """"Bevaka" / "Sluta bevaka": twice the same is the same as once; back to the page it was on."""
    assignment = get_assignment_for_user(request, pk)
    form = SubscribeForm(request.POST)
    back = reverse("assignments:detail", args=[assignment.pk])
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect(back)
    if form.cleaned_data["tillbaka"] == BACK_TO_PREFERENCES:
        back = reverse("notifications:preferences")
    reference = assignment.reference
    is_case_officer = assignment.case_officer_id == request.user.pk
    if form.cleaned_data["bevaka"]:
        Subscription.follow(request.user, assignment)
        if is_case_officer:
            messages.info(request, _("You are the case officer and follow the assignment."))
        else:
            messages.success(request, _(
                "You now follow %(reference)s. You will hear of its changes as your "
                "notification settings say."
            ) % {"reference": reference})
    else:
        Subscription.unfollow(request.user, assignment)
        if is_case_officer:
            messages.info(request, _(
                "You are the case officer of %(reference)s and follow it for as long as "
                "you handle it."
            ) % {"reference": reference})
        else:
            messages.success(request, _("You no longer follow %(reference)s.") % {
                "reference": reference
            })
    return redirect(back)


@reader_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request):
    """The person's own page: how they want to hear, what they follow, their calendar address."""
    current = Preferences.of(request.user)
    # A person without a row has no calendar token yet: the page offers to make one.
    has_calendar = not current._state.adding
    calendar_url = (
        request.build_absolute_uri(reverse("notifications:calendar", args=[current.calendar_token]))
        if has_calendar
        else None
    )
    form = PreferencesForm(request.POST if request.method == "POST" else None, instance=current)
    if form.is_bound and form.is_valid():
        form.save()
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    followed = (
        followed_by(request.user)
        .order_by(F("planned_completion").asc(nulls_last=True), "reference", "id")
    )
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "followed": followed,
            "calendar_url": calendar_url,
            "renew_form": RenewCalendarForm(),
        },
    )


@reader_required
@require_POST
def renew_calendar(request):
    """"Byt adress": a new calendar token, so that the old address answers 404 from now on."""
    form = RenewCalendarForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was changed: use the button to get a new address."))
    else:
        Preferences.renew_calendar_token(request.user)
        messages.success(request, _(
            "Your calendar has a new address. The old one no longer works: give the new one "
            "to Outlook in its place."
        ))
    return redirect("notifications:preferences")


@login_not_required  # Outlook fetches the feed without a session; the token is the key.
@never_cache  # It shows what one person follows: no proxy keeps a copy.
@require_safe
def calendar(request, token):
    """The person's calendar (ICS): 404 for an unknown or renewed token, or an inactive account."""
    preferences = get_object_or_404(
        Preferences.objects.select_related("user").filter(user__in=readers()),
        calendar_token=token,
    )
    with translation.override(preferences.language):
        content = calendar_feed(preferences.user, request)
    return HttpResponse(content, content_type="text/calendar; charset=utf-8")
