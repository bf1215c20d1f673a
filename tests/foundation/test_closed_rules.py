"""A closed assignment takes no status report and no deadline move, whichever way in is tried."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assignments.models import Assignment, DeadlineChange, StatusReport
from tests.factories import ks_treatment, make_assignment
from tests.register.test_workflow import stored, url

pytestmark = pytest.mark.django_db

CLOSED = (
    "Uppdraget är avslutat och tar inte emot fler lägesrapporter eller flyttade avslut. "
    "En administratör kan återöppna det."
)


@pytest.fixture
def closed(handlaggare):
    assignment = make_assignment(planned_completion=date(2015, 12, 31))
    assignment.close(ks_treatment(), outcome=Assignment.Outcome.IMPLEMENTED, user=handlaggare)
    return stored(assignment)


def test_the_status_report_page_refuses_a_closed_assignment(officer, closed):
    response = officer.post(
        url("add_report", closed), {"report_date": "2016-09-30", "text": "Ännu en rapport."}
    )

    assert response.status_code == 200
    assert CLOSED in response.content.decode()
    assert not StatusReport.objects.exists()


def test_the_deadline_page_refuses_a_closed_assignment(officer, closed):
    response = officer.post(
        url("move_deadline", closed),
        {"new_date": "2017-06-30", "reason": "Senare", "version": closed.version,
         "date_is_right": "on"},
    )

    assert response.status_code == 200
    assert CLOSED in response.content.decode()
    assert not DeadlineChange.objects.exists()
    assert stored(closed).planned_completion == date(2015, 12, 31)


def test_the_verbs_refuse_a_closed_assignment_for_commands_too(handlaggare, closed):
    report = StatusReport(report_date=date(2016, 9, 30), text="Via kommando.")
    with pytest.raises(ValidationError) as report_refused:
        closed.add_status_report(report, user=handlaggare)
    with pytest.raises(ValidationError) as move_refused:
        closed.move_deadline(date(2017, 6, 30), user=handlaggare, reason="Senare")

    assert CLOSED in report_refused.value.messages
    assert CLOSED in move_refused.value.messages
    assert not StatusReport.objects.exists()
    assert not DeadlineChange.objects.exists()


def test_the_admin_refuses_a_status_report_for_a_closed_assignment_on_its_form(admin_page, closed):
    response = admin_page.post(
        reverse("admin:assignments_statusreport_add"),
        {"assignment": closed.pk, "report_date": "2016-09-30", "text": "Via admin.",
         "author": "", "treatment": ""},
    )

    assert response.status_code == 200
    assert CLOSED in response.content.decode()
    assert not StatusReport.objects.exists()


def test_a_status_report_added_in_the_admin_is_attributed(admin_page, administrator):
    assignment = make_assignment()

    response = admin_page.post(
        reverse("admin:assignments_statusreport_add"),
        {"assignment": assignment.pk, "report_date": "2016-09-30", "text": "Via admin.",
         "author": "", "treatment": ""},
    )

    assert response.status_code == 302
    report = StatusReport.objects.get()
    assert report.author == administrator
    assert report.history.get().history_user == administrator
