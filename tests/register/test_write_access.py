"""Who may use the write pages: handläggare and administrators; politicians get 403."""

from datetime import date

import pytest
from django.urls import reverse

from assignments.models import Assignment, DeadlineChange, StatusReport, Treatment
from tests.factories import (
    make_area,
    make_assignment,
    make_closed_assignment,
    make_status_report,
    make_unit,
)
from tests.query_counts import assert_queries_do_not_grow
from tests.register.test_workflow import edit_data, status_data

pytestmark = pytest.mark.django_db

# Every write page, with a POST a handläggare (or, for reopening, an administrator)
# could make successfully: a refusal below is the right's doing, not the input's.
WRITE_PAGES = [
    "create",
    "edit",
    "change_status",
    "add_report",
    "add_treatment",
    "move_deadline",
    "reopen",
]
ADMIN_ONLY = {"reopen"}


@pytest.fixture
def register():
    """An ongoing assignment with an untreated status report, and a closed one to reopen."""
    ongoing = make_assignment(planned_completion=date(2015, 12, 31))
    make_status_report(ongoing, text="Pågår.")
    closed = make_closed_assignment()
    return {
        "ongoing": Assignment.objects.get(pk=ongoing.pk),
        "closed": Assignment.objects.get(pk=closed.pk),
    }


def page_url(name, register, pk=None):
    if name == "create":
        return reverse("assignments:create")
    assignment = register["closed" if name in ADMIN_ONLY else "ongoing"]
    return reverse(f"assignments:{name}", args=[pk or assignment.pk])


def valid_post(name, register):
    assignment = register["closed" if name in ADMIN_ONLY else "ongoing"]
    return {
        "create": lambda: {
            "reference": "STK-2014-999",
            "title": "Nytt",
            "area": make_area().pk,
            "responsible_unit": make_unit().pk,
            "decided_on": "2014-03-05",
            "decision_reference": "STK-2013-145",
        },
        "edit": lambda: edit_data(assignment, title="Ändrad"),
        "change_status": lambda: status_data(assignment),
        "add_report": lambda: {"report_date": "2016-11-30", "text": "Klart."},
        "add_treatment": lambda: {"body": "KS", "meeting_date": "2015-02-11", "paragraph": "45"},
        "move_deadline": lambda: {
            "new_date": "2017-12-31",
            "reason": "Senare",
            "version": assignment.version,
            "date_is_right": "on",
        },
        "reopen": lambda: {"reason": "Fel beslut", "version": assignment.version},
    }[name]()


def register_state():
    """Everything a write page could change, to compare before and after."""
    return {
        "assignments": list(
            Assignment.objects.order_by("pk").values_list("pk", "version", "title", "status")
        ),
        "assignment history": Assignment.history.count(),
        "treatments": Treatment.objects.count(),
        "status reports": list(StatusReport.objects.values_list("pk", "treatment_id")),
        "deadline changes": DeadlineChange.objects.count(),
    }


@pytest.mark.parametrize("name", WRITE_PAGES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, register, name, method):
    target = page_url(name, register)
    response = getattr(client, method)(target)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "next=" in response["Location"]


@pytest.mark.parametrize("name", WRITE_PAGES)
def test_politician_gets_403_on_every_write_and_nothing_changes(client, politiker, register, name):
    client.force_login(politiker)
    before = register_state()

    opened = client.get(page_url(name, register))
    posted = client.post(page_url(name, register), valid_post(name, register))

    assert (opened.status_code, posted.status_code) == (403, 403)
    assert register_state() == before


@pytest.mark.parametrize("name", sorted(set(WRITE_PAGES) - ADMIN_ONLY))
def test_handlaggare_opens_every_write_page_but_reopening(client, handlaggare, register, name):
    client.force_login(handlaggare)

    response = client.get(page_url(name, register))

    assert response.status_code == 200
    assert 'type="submit"' in response.content.decode()


def test_handlaggare_cannot_reopen_but_an_administrator_can(
    client, handlaggare, administrator, register
):
    target = page_url("reopen", register)
    client.force_login(handlaggare)
    refused = client.post(target, valid_post("reopen", register))
    assert refused.status_code == 403
    assert Assignment.objects.get(pk=register["closed"].pk).status == Assignment.Status.CLOSED

    client.force_login(administrator)
    page = client.get(target).content.decode()
    reopened = client.post(target, valid_post("reopen", register))

    assert "Motivering till återöppnandet" in page
    assert reopened.status_code == 302
    assert Assignment.objects.get(pk=register["closed"].pk).status == Assignment.Status.ONGOING


@pytest.mark.parametrize("name", WRITE_PAGES)
def test_administrator_opens_every_write_page(client, administrator, register, name):
    client.force_login(administrator)
    assert client.get(page_url(name, register)).status_code == 200


@pytest.mark.parametrize("name", sorted(set(WRITE_PAGES) - {"create"}))
def test_an_unknown_assignment_is_404(client, administrator, register, name):
    client.force_login(administrator)
    missing = Assignment.objects.order_by("-pk").first().pk + 1000

    assert client.get(page_url(name, register, pk=missing)).status_code == 404
    assert client.post(page_url(name, register, pk=missing), {}).status_code == 404


def test_write_pages_refuse_other_methods(client, handlaggare, register):
    client.force_login(handlaggare)
    assert client.put(page_url("edit", register)).status_code == 405


def grow_register(ongoing, serials):
    """Per serial a unit, an assignment and an untreated status report: the rows the
    pickers list."""
    for serial in serials:
        make_assignment(responsible_unit=make_unit())
        make_status_report(ongoing, date(2016, 1, 1), f"Rapport {serial}")


@pytest.mark.parametrize("name", WRITE_PAGES)
def test_write_page_queries_do_not_grow_with_the_rows(client, administrator, name):
    register = {"ongoing": make_assignment(), "closed": make_closed_assignment()}
    client.force_login(administrator)

    response = assert_queries_do_not_grow(
        lambda: client.get(page_url(name, register)),
        lambda serials: grow_register(register["ongoing"], serials),
    )

    assert response.status_code == 200
