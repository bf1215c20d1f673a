"""The calendar feed (ICS): what Outlook finds at a person's secret address, and when it is gone."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from assignments.models import Meeting
from notifications.models import Preferences, Subscription
from tests.conftest import signed_in
from tests.factories import make_assignment, make_closed_assignment, make_meeting, make_unit
from tests.notifications.people import make_person
from tests.query_counts import assert_queries_do_not_grow
from tests.register.reading import visible_text

pytestmark = pytest.mark.django_db

PREFERENCES = reverse("notifications:preferences")
RENEW = reverse("notifications:renew_calendar")


def feed_url(token):
    return reverse("notifications:calendar", args=[token])


def fetch(token):
    """The feed as Outlook fetches it: no session, no cookie."""
    return Client().get(feed_url(token))


def events(response):
    """Each event of the feed by UID: (start, end, summary, description, url)."""
    assert response.status_code == 200
    parsed = Calendar.from_ical(response.content)
    return {
        str(event["uid"]): (
            event.start, event.end, str(event["summary"]),
            str(event.get("description", "")), str(event["url"]),
        )
        for event in parsed.walk("VEVENT")
    }


def address_of(person):
    """The person makes their calendar address on their own page, as they would."""
    client = signed_in(person)
    client.post(RENEW, {"byt": "True"})
    return Preferences.objects.get(user=person).calendar_token


def today():
    return timezone.localdate()


@pytest.fixture
def person():
    return make_person()


def test_the_feed_holds_the_meetings_of_the_plan_from_a_year_back(person):
    ahead = make_meeting(date=today() + timedelta(days=20), protocol_reference="STK-2026-10")
    held = make_meeting(body=Meeting.Body.KSAU, date=today() - timedelta(days=300))
    committee = make_meeting(
        body=Meeting.Body.COMMITTEE, committee=make_unit("Grundskolenämnden"),
        date=today() + timedelta(days=3),
    )
    make_meeting(date=today() - timedelta(days=400))  # more than a year ago

    response = fetch(address_of(person))

    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert events(response) == {
        f"meeting-{ahead.pk}@testserver": (
            ahead.date, ahead.date + timedelta(days=1), "KS sammanträde",
            "Protokollets diarienummer: STK-2026-10",
            f"http://testserver/sammantraden/{ahead.pk}/",
        ),
        f"meeting-{held.pk}@testserver": (
            held.date, held.date + timedelta(days=1), "KSAU sammanträde", "",
            f"http://testserver/sammantraden/{held.pk}/",
        ),
        f"meeting-{committee.pk}@testserver": (
            committee.date, committee.date + timedelta(days=1),
            "Grundskolenämnden sammanträde", "",
            f"http://testserver/sammantraden/{committee.pk}/",
        ),
    }


def test_the_feed_holds_the_planned_completions_of_what_the_person_follows():
    officer = make_person(role="Handläggare")
    handled = make_assignment(
        title="Handlingsplan mot ekonomisk utsatthet", case_officer=officer,
        planned_completion=date(2017, 12, 31), planned_completion_is_year=True,
    )
    followed = make_assignment(title="Folkhälsopolicyn", planned_completion=date(2016, 6, 30))
    Subscription.follow(officer, followed)
    make_assignment(title="Ett annat uppdrag")  # not followed
    Subscription.follow(officer, make_closed_assignment(title="Avslutat uppdrag"))
    Subscription.follow(officer, make_assignment(title="Utan datum", planned_completion=None))

    found = events(fetch(address_of(officer)))

    assert found == {
        f"assignment-{followed.pk}-completion@testserver": (
            date(2016, 6, 30), date(2016, 7, 1), "Planerat klart: Folkhälsopolicyn",
            f"{followed.reference} Folkhälsopolicyn\nStatus: pågående",
            f"http://testserver/uppdrag/{followed.pk}/",
        ),
        f"assignment-{handled.pk}-completion@testserver": (
            date(2017, 12, 31), date(2018, 1, 1),
            "Planerat klart under 2017: Handlingsplan mot ekonomisk utsatthet",
            f"{handled.reference} Handlingsplan mot ekonomisk utsatthet\nStatus: pågående\n"
            "Du är handläggare.",
            f"http://testserver/uppdrag/{handled.pk}/",
        ),
    }


def test_the_feed_speaks_the_language_the_person_chose(person):
    meeting = make_meeting(date=today() + timedelta(days=5))
    followed = make_assignment(title="Folkhälsopolicyn", planned_completion=date(2017, 12, 31),
                               planned_completion_is_year=True)
    Subscription.follow(person, followed)
    token = address_of(person)
    assert events(fetch(token))[f"meeting-{meeting.pk}@testserver"][2] == "KS sammanträde"

    signed_in(person).post(
        PREFERENCES, {"change_delivery": "each", "language": "en"}
    )

    found = events(fetch(token))
    assert found[f"meeting-{meeting.pk}@testserver"][2] == "KS meeting"
    completion = found[f"assignment-{followed.pk}-completion@testserver"]
    assert completion[2] == "Planned completion during 2017: Folkhälsopolicyn"
    assert completion[3].endswith("Status: ongoing")


def test_the_own_page_shows_the_address_and_a_new_one_replaces_it(person):
    client = signed_in(person)
    assert "Skapa en kalenderadress" in visible_text(client.get(PREFERENCES))

    response = client.post(RENEW, {"byt": "True"}, follow=True)

    first = Preferences.objects.get(user=person).calendar_token
    page = response.content.decode()
    assert f'value="http://testserver/kalender/{first}.ics"' in page
    assert "Byt adress" in visible_text(response)
    assert fetch(first).status_code == 200

    response = client.post(RENEW, {"byt": "True"}, follow=True)

    second = Preferences.objects.get(user=person).calendar_token
    assert second != first
    assert "Din kalender har fått en ny adress. Den gamla fungerar inte längre" in (
        visible_text(response)
    )
    assert f'value="http://testserver/kalender/{second}.ics"' in response.content.decode()
    assert fetch(first).status_code == 404
    assert fetch(second).status_code == 200


def test_an_empty_renewal_changes_nothing_and_says_so(person):
    token = address_of(person)

    response = signed_in(person).post(RENEW, follow=True)

    assert "Inget ändrades" in visible_text(response)
    assert Preferences.objects.get(user=person).calendar_token == token


@pytest.mark.parametrize("token", ["x", "a" * 43, "..%2F..%2Fetc%2Fpasswd", "%00", "ÅÄÖ", "'"])
def test_an_unknown_address_is_404(person, token):
    address_of(person)
    assert Client().get(f"/kalender/{token}.ics").status_code == 404


def test_an_empty_token_is_404():
    assert Client().get("/kalender/.ics").status_code == 404


def test_a_deactivated_account_s_feed_is_404(person):
    token = address_of(person)
    person.is_active = False
    person.save(update_fields=["is_active"])

    assert fetch(token).status_code == 404


def test_an_account_that_no_longer_reads_the_register_has_no_feed(person):
    token = address_of(person)
    person.groups.clear()

    assert fetch(token).status_code == 404


def test_the_feed_is_kept_by_no_cache(person):
    response = fetch(address_of(person))
    cache_control = {part.strip() for part in response.headers["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control


def test_the_feed_makes_as_many_queries_for_50_events_of_each_kind_as_for_5(person):
    token = address_of(person)

    def more(serials):
        for serial in serials:
            make_meeting(date=today() + timedelta(days=serial + 1), protocol_reference="")
            Subscription.follow(person, make_assignment(planned_completion=date(2016, 1, 1)))

    response = assert_queries_do_not_grow(lambda: fetch(token), more)
    assert len(events(response)) == 100
