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
from tests.query_counts import assert_queries_do_not_grow

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


def rows(serials):
    return [assignment_row(f"STK-2014-{900 + number}") for number in serials]


def test_the_upload_takes_the_same_queries_for_5_or_50_rows(importer):
    importer.get(UPLOAD)  # the session exists already, as it does for a user
    file_rows = []
    response = assert_queries_do_not_grow(
        lambda: importer.post(UPLOAD, {"file": xlsx_file(file_rows)}),
        lambda serials: file_rows.extend(rows(serials)),
    )
    assert response.status_code == 302


def test_the_preview_takes_the_same_queries_for_5_or_50_rows(importer):
    file_rows, preview = [], {}

    def upload_more(serials):
        file_rows.extend(rows(serials))
        preview["url"] = importer.post(UPLOAD, {"file": xlsx_file(file_rows)})["Location"]

    response = assert_queries_do_not_grow(lambda: importer.get(preview["url"]), upload_more)
    assert "50 nya rader" in response.content.decode()


# A confirmation writes each row through save_tracked: its checks (related rows,
# unique diarienummer, five constraints in savepoints), the row and its history, the
# history's validity interval and the daily counts from its day on. Its queries grow
# with the rows, by the same number for each.
CONFIRM_QUERIES = 12
QUERIES_PER_NEW_ROW = 24


@pytest.mark.parametrize("count", [5, 50])
def test_confirming_costs_the_same_queries_for_each_new_row(
    importer, django_assert_num_queries, count
):
    preview = upload(importer, xlsx_file(rows(range(count))))
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
