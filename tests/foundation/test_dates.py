"""Dates that cannot be true are refused next to their field; a past deadline is confirmed."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from assignments.models import DeadlineChange, StatusReport, Treatment
from tests.factories import make_assignment
from tests.register.test_workflow import stored, success_messages, url

pytestmark = pytest.mark.django_db

FUTURE = "Datumet ligger efter i dag; bara det som redan har hänt registreras."
OUTSIDE = "Skriv ett datum från 2000-01-01 till och med 2100-12-31."


def tomorrow():
    return (timezone.localdate() + timedelta(days=1)).isoformat()


def field_error(response, field, message):
    return f'id="id_{field}_error"><li>{message}' in response.content.decode()


def test_a_meeting_after_today_is_refused_next_to_its_date(officer):
    assignment = make_assignment()

    response = officer.post(
        url("add_treatment", assignment),
        {"body": "KS", "meeting_date": tomorrow(), "paragraph": "45"},
    )

    assert field_error(response, "meeting_date", FUTURE)
    assert not Treatment.objects.exists()


def test_a_status_report_dated_2030_is_refused_next_to_its_date(officer):
    assignment = make_assignment()

    response = officer.post(
        url("add_report", assignment), {"report_date": "2030-01-01", "text": "Framtiden."}
    )

    assert field_error(response, "report_date", FUTURE)
    assert not StatusReport.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31"])
def test_a_status_report_before_the_register_s_era_is_refused(officer, day):
    assignment = make_assignment()

    response = officer.post(url("add_report", assignment), {"report_date": day, "text": "Gammal."})

    assert field_error(response, "report_date", OUTSIDE)
    assert not StatusReport.objects.exists()


def test_a_decision_dated_in_year_one_is_refused_on_the_edit_page(officer):
    assignment = make_assignment()

    response = officer.post(
        url("edit", assignment),
        {
            "reference": assignment.reference, "title": assignment.title, "description": "",
            "area": assignment.area_id, "responsible_unit": assignment.responsible_unit_id,
            "case_officer": "", "decided_on": "0001-01-01",
            "decision_reference": assignment.decision_reference, "decision_paragraph": "",
            "version": assignment.version,
        },
    )

    assert field_error(response, "decided_on", OUTSIDE)
    assert stored(assignment).decided_on == date(2014, 3, 5)


def move(client, assignment, new_date, **extra):
    return client.post(
        url("move_deadline", assignment),
        {"new_date": new_date, "reason": "Omplanerat", "version": assignment.version, **extra},
    )


def test_a_deadline_moved_into_the_past_asks_for_confirmation_and_saves_nothing(officer):
    assignment = make_assignment(planned_completion=date(2015, 12, 31))

    response = move(officer, assignment, "2016-06-30")

    page = response.content.decode()
    assert field_error(
        response,
        "date_is_right",
        "Det nya planerade avslutet 2016-06-30 ligger bakåt i tiden. Om det stämmer, "
        "kryssa i rutan och spara igen.",
    )
    assert 'type="checkbox" name="date_is_right"' in page
    assert "Ja, datumet är rätt" in page
    assert not DeadlineChange.objects.exists()
    assert stored(assignment).planned_completion == date(2015, 12, 31)


def test_a_confirmed_past_deadline_is_saved(officer):
    assignment = make_assignment(planned_completion=date(2015, 12, 31))

    response = move(officer, assignment, "2016-06-30", date_is_right="on")

    assert success_messages(response) == ["Det planerade avslutet har flyttats."]
    assert stored(assignment).planned_completion == date(2016, 6, 30)


def test_a_future_deadline_needs_no_confirmation_and_offers_no_checkbox(officer):
    assignment = make_assignment(planned_completion=date(2015, 12, 31))
    later = (timezone.localdate() + timedelta(days=200)).isoformat()

    page = officer.get(url("move_deadline", assignment)).content.decode()
    response = move(officer, assignment, later)

    assert 'type="checkbox" name="date_is_right"' not in page
    assert success_messages(response) == ["Det planerade avslutet har flyttats."]


def test_a_deadline_in_year_9999_is_refused(officer):
    assignment = make_assignment(planned_completion=date(2015, 12, 31))

    response = move(officer, assignment, "9999-12-31")

    assert field_error(response, "new_date", OUTSIDE)
    assert not DeadlineChange.objects.exists()
