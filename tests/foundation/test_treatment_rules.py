"""The treatment behind a status keeps its kind and assignment; a model error never gives a 500."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from assignments.models import Assignment, Treatment
from tests.factories import ks_treatment, make_assignment, make_status_report
from tests.register.test_workflow import edit_data, stored, url

pytestmark = pytest.mark.django_db

BEHIND = (
    "Behandlingen ligger bakom ett uppdrags status eller en lägesrapport: dess uppdrag och "
    "typ kan inte ändras. Registrera en ny behandling i stället."
)


@pytest.fixture
def admin(administrator):
    client = Client()
    client.force_login(administrator)
    return client


def admin_change(client, treatment, **changes):
    data = {
        "assignment": treatment.assignment_id,
        "meeting": treatment.meeting_id,
        "paragraph": treatment.paragraph,
        "reference": treatment.reference,
        "kind": treatment.kind,
        "summary": treatment.summary,
        **changes,
    }
    return client.post(reverse("admin:assignments_treatment_change", args=[treatment.pk]), data)


def closed_with_treatment(user):
    assignment = make_assignment()
    treatment = assignment.close(
        ks_treatment(), outcome=Assignment.Outcome.IMPLEMENTED, user=user
    )
    return stored(assignment), Treatment.objects.get(pk=treatment.pk)


def test_the_admin_refuses_changing_the_kind_of_the_treatment_behind_a_closing(
    admin, handlaggare
):
    assignment, treatment = closed_with_treatment(handlaggare)

    response = admin_change(admin, treatment, kind=Treatment.Kind.DECISION)

    assert response.status_code == 200
    assert BEHIND in response.content.decode()
    assert Treatment.objects.get(pk=treatment.pk).kind == Treatment.Kind.FINAL_REPORT


def test_the_admin_refuses_moving_the_treatment_behind_a_status_to_another_assignment(
    admin, handlaggare
):
    assignment, treatment = closed_with_treatment(handlaggare)
    other = make_assignment()

    response = admin_change(admin, treatment, assignment=other.pk)

    assert response.status_code == 200
    assert BEHIND in response.content.decode()
    assert Treatment.objects.get(pk=treatment.pk).assignment_id == assignment.pk


def test_a_treatment_that_handled_a_status_report_keeps_its_kind(admin, handlaggare):
    assignment = make_assignment()
    report = make_status_report(assignment, text="Pågår.")
    treatment = assignment.report_status(ks_treatment(), user=handlaggare, report=report)
    # Closing moves the status on to another treatment; the report still names this one.
    assignment.close(
        ks_treatment(date(2017, 3, 1), 12), outcome=Assignment.Outcome.IMPLEMENTED,
        user=handlaggare,
    )

    response = admin_change(admin, Treatment.objects.get(pk=treatment.pk), kind="beslut")

    assert response.status_code == 200
    assert BEHIND in response.content.decode()
    assert Treatment.objects.get(pk=treatment.pk).kind == Treatment.Kind.STATUS_REPORT


def test_a_decision_nothing_rests_on_can_still_be_corrected_in_the_admin(admin, handlaggare):
    assignment = make_assignment()
    treatment = assignment.add_treatment(
        ks_treatment(kind=Treatment.Kind.DECISION), user=handlaggare
    )

    response = admin_change(admin, treatment, kind=Treatment.Kind.FINAL_REPORT)

    assert response.status_code == 302
    assert Treatment.objects.get(pk=treatment.pk).kind == Treatment.Kind.FINAL_REPORT


def test_an_edit_of_an_assignment_with_a_broken_status_shows_the_error_not_a_500(
    client, handlaggare
):
    assignment, treatment = closed_with_treatment(handlaggare)
    # A register broken before this rule existed: written behind the model's back.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE assignments_treatment SET kind = 'beslut' WHERE id = %s", [treatment.pk]
        )
    client.force_login(handlaggare)

    response = client.post(url("edit", assignment), edit_data(assignment, title="Ny titel"))

    assert response.status_code == 200
    assert "Behandlingen måste vara en återrapportering av detta uppdrag." in (
        response.content.decode()
    )
    assert stored(assignment).title == assignment.title
