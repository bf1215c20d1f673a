"""One person's calendar feed (ICS) for Outlook: the meeting plan and the planned completions.

Every event is a whole day (the register keeps days, not hours) marked free, so
that it informs the person's calendar without booking their time. Each carries a
UID that stays the same from one fetch to the next (`meeting-<pk>@<host>`,
`assignment-<pk>-completion@<host>`), so Outlook moves an event whose date moved
instead of adding a second one, and a link to its page in the register.
The same few queries however many events there are: the meetings, the followed
assignments, and the person's permissions that `followed_by` checks.
"""

import uuid
from datetime import timedelta

from django.http.request import split_domain_port
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from assignments.models import Assignment, Meeting
from malmo_ks.wording import format_planned_completion

from .selectors import followed_by

PRODUCT = "-//Malmö stad//KS uppdragsregister//SV"
# The plan of the past year stays in view: "when did KS last meet?".
MEETINGS_SINCE = timedelta(days=365)
# Outlook asks again this often (X-PUBLISHED-TTL); other clients read REFRESH-INTERVAL.
REFRESH = timedelta(hours=1)
ONE_DAY = timedelta(days=1)


def calendar_feed(user, request):
    """The VCALENDAR of `user` as bytes, in the active language (the caller chooses it)."""
    host = split_domain_port(request.get_host())[0] or "localhost"
    calendar = Calendar.new(
        prodid=PRODUCT,
        name=_("KS assignment register"),
        refresh_interval=REFRESH,
        # The same calendar at every fetch, without naming the person in it.
        uid=uuid.uuid5(uuid.NAMESPACE_URL, f"{host}/kalender/{user.pk}"),
    )
    calendar["X-PUBLISHED-TTL"] = "PT1H"
    since = timezone.localdate() - MEETINGS_SINCE
    for meeting in Meeting.objects.planned_from(since).select_related("committee"):
        calendar.add_component(_meeting_event(meeting, request, host))
    completions = (
        followed_by(user)
        .exclude(status=Assignment.Status.CLOSED)
        .filter(planned_completion__isnull=False)
        .order_by("planned_completion", "reference", "id")
    )
    for assignment in completions:
        calendar.add_component(_completion_event(assignment, request, host))
    return calendar.to_ical()


def _meeting_event(meeting, request, host):
    body = meeting.committee.name if meeting.committee_id else meeting.get_body_display()
    description = None
    if meeting.protocol_reference:
        description = _("Protocol diarienummer: %(reference)s") % {
            "reference": meeting.protocol_reference
        }
    return _all_day(
        uid=f"meeting-{meeting.pk}@{host}",
        day=meeting.date,
        summary=_("%(body)s meeting") % {"body": body},
        description=description,
        url=request.build_absolute_uri(reverse("assignments:meeting", args=[meeting.pk])),
    )


def _completion_event(assignment, request, host):
    """On the date the register keeps; a year-only completion says "under 2017" in its summary."""
    if assignment.planned_completion_is_year:
        summary = _("Planned completion %(when)s: %(title)s") % {
            "when": format_planned_completion(assignment.planned_completion, True),
            "title": assignment.title,
        }
    else:
        summary = _("Planned completion: %(title)s") % {"title": assignment.title}
    lines = [f"{assignment.reference} {assignment.title}", _("Status: %(status)s") % {
        "status": assignment.get_status_display()
    }]
    if assignment.is_case_officer:
        lines.append(_("You are the case officer."))
    return _all_day(
        uid=f"assignment-{assignment.pk}-completion@{host}",
        day=assignment.planned_completion,
        summary=summary,
        description="\n".join(lines),
        url=request.build_absolute_uri(reverse("assignments:detail", args=[assignment.pk])),
    )


def _all_day(*, uid, day, summary, description, url):
    return Event.new(
        uid=uid,
        start=day,
        end=day + ONE_DAY,
        summary=summary,
        description=description,
        url=url,
        transparency="TRANSPARENT",
    )
