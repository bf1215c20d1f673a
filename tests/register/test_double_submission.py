"""A status report or decision submitted twice (a double click, a repeated request) counts once."""

import threading

import pytest
from django.db import connection
from django.test import Client

from assignments.models import StatusReport, Treatment
from tests.databases import concurrent_writers
from tests.factories import make_assignment
from tests.register.test_workflow import success_messages, url

REPORT = {"report_date": "2016-09-30", "text": "Kartläggningen är klar."}
DECISION = {"body": "KS", "meeting_date": "2015-02-11", "paragraph": "45"}
PAGES = {
    "add_report": (REPORT, StatusReport, "Lägesrapporten har lagts till.",
                   "Lägesrapporten var redan tillagd; den registreras bara en gång."),
    "add_treatment": (DECISION, Treatment, "Beslutet har registrerats.",
                      "Beslutet var redan registrerat; det registreras bara en gång."),
}


def officer(handlaggare):
    client = Client()
    client.force_login(handlaggare)
    return client


def token(client, assignment, page):
    """The one-time token the page hands out, as the browser keeps it in the form."""
    return client.get(url(page, assignment)).context["form"]["submission"].value()


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_a_second_identical_submit_finds_the_first_row(handlaggare, page):
    data, model, added, again = PAGES[page]
    client = officer(handlaggare)
    assignment = make_assignment()
    posted = {**data, "submission": token(client, assignment, page)}

    first = client.post(url(page, assignment), posted)
    second = client.post(url(page, assignment), posted)

    assert success_messages(first) == [added]
    assert second.status_code == 302
    assert second.url == url("detail", assignment)
    assert success_messages(second)[-1] == again
    assert model.objects.filter(assignment=assignment).count() == 1


@pytest.mark.django_db
def test_each_opening_of_the_page_is_a_new_submission(handlaggare):
    client = officer(handlaggare)
    assignment = make_assignment()

    for text in ("Första rapporten.", "Andra rapporten."):
        posted = {**REPORT, "text": text, "submission": token(client, assignment, "add_report")}
        client.post(url("add_report", assignment), posted)

    assert StatusReport.objects.filter(assignment=assignment).count() == 2


@concurrent_writers
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("page", PAGES)
def test_identical_submits_at_once_make_one_row_and_no_error(handlaggare, page):
    data, model, _added, _again = PAGES[page]
    assignment = make_assignment()
    clients = [officer(handlaggare) for _ in range(4)]
    posted = {**data, "submission": token(clients[0], assignment, page)}
    start = threading.Barrier(len(clients))
    statuses = []

    def submit(client):
        try:
            start.wait()
            statuses.append(client.post(url(page, assignment), posted).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=[client]) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [302] * len(clients)
    assert model.objects.filter(assignment=assignment).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_input_changed_before_submitting_again_is_registered_too(handlaggare, page):
    """Back in the browser, the user corrects the form and sends it again: the page's
    token is the same, but the input is new, and it is not thrown away."""
    data, model, added, _again = PAGES[page]
    client = officer(handlaggare)
    assignment = make_assignment()
    posted = {**data, "submission": token(client, assignment, page)}
    corrected = {**posted, **({"text": "Rättad text."} if "text" in data else {"paragraph": "46"})}

    client.post(url(page, assignment), posted)
    again = client.post(url(page, assignment), corrected)

    assert success_messages(again)[-1] == added
    assert model.objects.filter(assignment=assignment).count() == 2


@pytest.mark.django_db
def test_a_token_from_another_assignment_does_not_lead_to_its_report(handlaggare):
    client = officer(handlaggare)
    first, second = make_assignment(), make_assignment()
    posted = {**REPORT, "submission": token(client, first, "add_report")}

    client.post(url("add_report", first), posted)
    client.post(url("add_report", second), posted)

    assert StatusReport.objects.filter(assignment=second).count() == 1
    assert StatusReport.objects.filter(assignment=first).count() == 1
