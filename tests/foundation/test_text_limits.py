"""Free text has a maximum in the model, so every form and the import refuse a huge text."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from assignments.models import LONG_TEXT_MAX, Assignment, StatusReport
from tests.factories import ks_treatment, make_assignment
from tests.register.test_workflow import edit_data, stored, url

pytestmark = pytest.mark.django_db


def too_long(limit, shown):
    return (
        f"Säkerställ att detta värde har som mest {limit} tecken (den har {shown})."
    )


def distinct_words(size):
    """About `size` characters of words that are all different, as PostgreSQL indexes them."""
    words, length, serial = [], 0, 0
    while length < size:
        word = f"ord{serial:x}"
        words.append(word)
        length += len(word) + 1
        serial += 1
    return " ".join(words)


def test_a_megabyte_description_is_refused_next_to_the_field_not_a_500(officer):
    assignment = make_assignment()
    description = distinct_words(1_000_000)

    response = officer.post(url("edit", assignment), edit_data(assignment, description=description))

    assert response.status_code == 200
    assert f'id="id_description_error"><li>{too_long(10000, len(description))}' in (
        response.content.decode()
    )
    assert stored(assignment).description == ""


def test_a_description_at_the_maximum_is_saved_and_searchable(officer):
    assignment = make_assignment()
    description = distinct_words(LONG_TEXT_MAX)[:LONG_TEXT_MAX]

    response = officer.post(url("edit", assignment), edit_data(assignment, description=description))

    assert response.status_code == 302
    assert stored(assignment).description == description


def test_a_status_report_text_over_the_maximum_is_refused(officer):
    assignment = make_assignment()

    response = officer.post(
        url("add_report", assignment), {"report_date": "2016-09-30", "text": "x" * 10001}
    )

    assert f'id="id_text_error"><li>{too_long(10000, 10001)}' in response.content.decode()
    assert not StatusReport.objects.exists()


def test_a_change_reason_over_the_maximum_is_refused(officer):
    assignment = make_assignment()

    response = officer.post(
        url("edit", assignment), edit_data(assignment, title="Ny", reason="x" * 2001)
    )

    assert f'id="id_reason_error"><li>{too_long(2000, 2001)}' in response.content.decode()
    assert stored(assignment).title == assignment.title


def test_the_model_refuses_a_long_text_for_every_way_in():
    assignment = make_assignment()
    assignment.description = "x" * (LONG_TEXT_MAX + 1)

    with pytest.raises(ValidationError) as refused:
        assignment.full_clean()

    assert list(refused.value.message_dict) == ["description"]
    assert Assignment.objects.get(pk=assignment.pk).description == ""


def test_a_reason_for_reopening_over_the_maximum_is_refused(administrator):
    assignment = make_assignment()
    assignment.close(ks_treatment(), outcome=Assignment.Outcome.IMPLEMENTED, user=administrator)
    client = Client()
    client.force_login(administrator)

    response = client.post(
        url("reopen", assignment), {"reason": "x" * 2001, "version": stored(assignment).version}
    )

    assert f'id="id_reason_error"><li>{too_long(2000, 2001)}' in response.content.decode()
    assert stored(assignment).status == Assignment.Status.CLOSED
