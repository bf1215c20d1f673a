"""Who may import (administrators only), and what the pages cost in queries."""

import pytest
from django.test import Client

from assignments.models import Assignment
from tests.imports.files import (
    PREVIEW,
    UPLOAD,
    assignment_row,
    confirm,
    csv_file,
    hidden,
    upload,
    xlsx_file,
)

pytestmark = pytest.mark.django_db

PAGES = [UPLOAD, PREVIEW + "?token=x"]


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_anonymous_visitor_is_sent_to_the_login(client, url, method):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logga-in/?next=")


@pytest.mark.parametrize("persona", ["handlaggare", "politiker"])
@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_case_officers_and_politicians_get_403(client, request, persona, url, method):
    client.force_login(request.getfixturevalue(persona))
    response = getattr(client, method)(url, {"file": csv_file([assignment_row()])}
                                       if method == "post" else None)
    assert response.status_code == 403
    assert not Assignment.objects.exists()


def test_a_case_officer_cannot_confirm_an_administrators_preview(
    client, importer, handlaggare
):
    preview = upload(importer, csv_file([assignment_row()]))
    client.force_login(handlaggare)
    assert confirm(client, preview).status_code == 403
    assert not Assignment.objects.exists()


def rows(count):
    return [assignment_row(f"STK-2014-{900 + number}") for number in range(count)]


# The upload: session, user, two for permissions, and writing the session (3 with
# its savepoint). The preview: session, user, permissions, then units, areas, the
# file's assignments and the demo-data banner, once each.
UPLOAD_QUERIES = 7
PREVIEW_QUERIES = 8


@pytest.mark.parametrize("count", [5, 50])
def test_the_upload_takes_the_same_queries_for_5_or_50_rows(
    importer, django_assert_num_queries, count
):
    importer.get(UPLOAD)  # the session exists already, as it does for a user
    with django_assert_num_queries(UPLOAD_QUERIES):
        response = importer.post(UPLOAD, {"file": xlsx_file(rows(count))})
    assert response.status_code == 302


@pytest.mark.parametrize("count", [5, 50])
def test_the_preview_takes_the_same_queries_for_5_or_50_rows(
    importer, django_assert_num_queries, count
):
    location = importer.post(UPLOAD, {"file": xlsx_file(rows(count))})["Location"]
    with django_assert_num_queries(PREVIEW_QUERIES):
        response = importer.get(location)
    assert f"{count} nya rader" in response.content.decode()


# A confirmation writes each row through save_tracked: its checks (related rows,
# unique diarienummer, five constraints in savepoints), the row and its history, the
# history's validity interval and the daily counts from its day on; then it fills the
# daily counts again. Its queries grow with the rows, by the same number for each.
CONFIRM_QUERIES = 15
QUERIES_PER_NEW_ROW = 24


@pytest.mark.parametrize("count", [5, 50])
def test_confirming_costs_the_same_queries_for_each_new_row(
    importer, django_assert_num_queries, count
):
    preview = upload(importer, xlsx_file(rows(count)))
    with django_assert_num_queries(CONFIRM_QUERIES + QUERIES_PER_NEW_ROW * count):
        response = importer.post(
            PREVIEW, {"token": hidden(preview, "token"), "digest": hidden(preview, "digest")}
        )
    assert response["Location"] == "/uppdrag/"
    assert Assignment.objects.count() == count


def test_the_upload_still_checks_the_csrf_token(administrator, register):
    # The upload view sets its upload handlers before the CSRF check, so it makes
    # that check itself.
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(administrator)
    response = browser.post(UPLOAD, {"file": csv_file([assignment_row()])})
    assert response.status_code == 403
    assert "CSRF" in response.content.decode()

    form = browser.get(UPLOAD)
    token = form.cookies["csrftoken"].value
    response = browser.post(UPLOAD, {"file": csv_file([assignment_row()]),
                                     "csrfmiddlewaretoken": token})
    assert response.status_code == 302
