"""A treatment belongs to a meeting of the plan; "the last KS meeting" is the plan's."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.db.models.query import QuerySet
from django.urls import reverse
from django.utils import timezone

from assignments.models import Meeting, Treatment
from assignments.selectors import last_ks_meeting
from malmo_ks.history import display_name
from tests.factories import make_assignment, make_meeting, make_unit, set_up
from tests.register.reading import visible_text

pytestmark = pytest.mark.django_db

FUTURE = "Datumet ligger efter i dag; bara det som redan har hänt registreras."


@pytest.fixture
def officer_client(client, handlaggare):
    client.force_login(handlaggare)
    return client


def decide(client, assignment, **fields):
    data = {"body": "KS", "meeting_date": "2016-11-02", "paragraph": "45", "reason": "",
            **fields}
    return client.post(reverse("assignments:add_treatment", args=[assignment.pk]), data)


def test_a_treatment_is_registered_at_the_plan_s_meeting(officer_client):
    meeting = make_meeting(date=date(2016, 11, 2))
    assignment = make_assignment()

    decide(officer_client, assignment)

    assert Treatment.objects.get(assignment=assignment).meeting == meeting
    assert Meeting.objects.count() == 1


def test_a_meeting_missing_from_the_plan_is_registered_with_the_treatment(
    officer_client, handlaggare
):
    assignment = make_assignment()

    decide(officer_client, assignment, body="KSAU", meeting_date="2015-02-11")

    meeting = Treatment.objects.get(assignment=assignment).meeting
    assert (meeting.body, meeting.date) == ("KSAU", date(2015, 2, 11))
    record = meeting.history.get()
    assert record.history_user_name == display_name(handlaggare)
    assert record.history_change_reason == f"Registrerat med en behandling av {assignment.reference}"


def test_a_treatment_at_a_meeting_still_ahead_is_refused_and_registers_nothing(
    officer_client
):
    planned = make_meeting(date=timezone.localdate() + timedelta(days=7))
    assignment = make_assignment()

    response = decide(officer_client, assignment, meeting_date=planned.date.isoformat())
    tomorrow = decide(officer_client, assignment,
                      meeting_date=(timezone.localdate() + timedelta(days=1)).isoformat())

    for refused in (response, tomorrow):
        assert f'id="id_meeting_date_error"><li>{FUTURE}' in refused.content.decode()
    assert not Treatment.objects.exists()
    assert list(Meeting.objects.all()) == [planned]


def test_a_committee_meeting_is_named_by_its_committee(officer_client):
    culture = make_unit("Kulturnämnden")
    assignment = make_assignment()

    decide(officer_client, assignment, body="namnd", body_unit=culture.pk)

    assert str(Treatment.objects.get()) == "Kulturnämnden 2016-11-02 § 45"
    assert Meeting.objects.get().committee == culture


def test_the_database_holds_one_meeting_per_body_and_day(db):
    """On both databases, for KS (no committee) as for a nämnd: not only the forms."""
    culture = make_unit("Kulturnämnden")
    with set_up():
        Meeting(body="KS", date=date(2016, 11, 2)).save()
        Meeting(body="KSAU", date=date(2016, 11, 2)).save()
        Meeting(body="namnd", committee=culture, date=date(2016, 11, 2)).save()
        Meeting(body="namnd", committee=make_unit("Grundskolenämnden"),
                date=date(2016, 11, 2)).save()
        for twin in (Meeting(body="KS", date=date(2016, 11, 2)),
                     Meeting(body="namnd", committee=culture, date=date(2016, 11, 2))):
            with pytest.raises(IntegrityError), transaction.atomic():
                twin.save()
    assert Meeting.objects.count() == 4


def test_the_last_ks_meeting_is_the_plan_s_even_without_treatments():
    make_meeting(date=date(2016, 11, 2))
    make_meeting(Meeting.Body.KSAU, date(2016, 12, 1))
    make_meeting(date=timezone.localdate() + timedelta(days=10))

    assert last_ks_meeting(date(2016, 11, 3)) == date(2016, 11, 2)
    # The meeting of the day itself is not yet "the last one", a later KSAU never is.
    assert last_ks_meeting(date(2016, 11, 2)) is None
    assert last_ks_meeting(timezone.localdate()) == date(2016, 11, 2)


def test_the_overview_and_the_changes_start_at_the_plan_s_last_ks_meeting(client, politiker):
    make_meeting(date=date(2016, 11, 2))
    make_meeting(date=timezone.localdate() + timedelta(days=10))
    client.force_login(politiker)

    overview = visible_text(client.get(reverse("reports:overview")))
    changes = visible_text(client.get(reverse("reports:changes")))

    assert "Senaste KS-sammanträdet i sammanträdesplanen hölls 2016-11-02." in overview
    assert "från och med 2016-11-02" in changes
    assert "Perioden börjar med det senaste KS-sammanträdet." in changes


def test_a_meeting_registered_by_another_request_just_before_the_check_is_the_one_used(
    handlaggare, monkeypatch
):
    """Two treatments naming the same new meeting at once: the other request can commit
    the meeting between this one's look-up and its uniqueness check. The check's refusal
    then means "it is there now": the treatment gets that meeting, not an error."""
    there = make_meeting(date=date(2015, 2, 11))
    real_first = QuerySet.first
    looked_up = []

    def not_yet_committed_at_the_first_look(queryset):
        if queryset.model is Meeting and not looked_up:
            looked_up.append(True)
            return None
        return real_first(queryset)

    monkeypatch.setattr(QuerySet, "first", not_yet_committed_at_the_first_look)
    found = Meeting.find_or_register(
        Meeting(body=Meeting.Body.KS, date=date(2015, 2, 11)), user=handlaggare
    )
    assert looked_up and found.pk == there.pk
    assert Meeting.objects.count() == 1
