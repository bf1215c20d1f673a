"""A meeting's decisions for several assignments at once: all rows saved in one transaction, or none."""

import re
import threading
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import example, given

from assignments.models import Assignment, StatusReport, Treatment
from tests.conftest import signed_in
from tests.databases import concurrent_writers
from tests.factories import (
    make_assignment,
    make_assignments,
    make_closed_assignment,
    make_meeting,
    make_status_report,
    make_unit,
)
from tests.query_counts import assert_queries_do_not_grow
from tests.register.reading import visible_text
from tests.register.test_workflow import success_messages
from tests.security.state import row_counts
from tests.security.test_hostile_input import (
    FAST,
    QUERY_VALUES,
    SCRIPT,
    assert_safe,
    hostile,
    post_hostile,
)

pytestmark = pytest.mark.django_db

NOTHING_SAVED = "Inget har sparats. Rätta felen nedan."
REGISTERED_THREE = "3 beslut från sammanträdet har registrerats."
REPEATED = "Besluten var redan registrerade; de registreras bara en gång."


def decisions_url(meeting):
    return reverse("assignments:meeting_decisions", args=[meeting.pk])


def meeting_url(meeting):
    return reverse("assignments:meeting", args=[meeting.pk])


def posted(rows, submission="", total=5):
    """What the page posts: `rows` filled in (dicts of a row's fields), the rest left empty."""
    data = {
        "rad-TOTAL_FORMS": str(total),
        "rad-INITIAL_FORMS": "0",
        "rad-MIN_NUM_FORMS": "0",
        "rad-MAX_NUM_FORMS": "40",
        "submission": str(submission),
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"rad-{index}-{name}"] = "" if value is None else str(getattr(value, "pk", value))
    return data


def row(assignment, paragraph, kind, **more):
    return {"assignment": assignment, "paragraph": paragraph, "kind": kind, **more}


def row_text(response, number):
    """The visible text of row `number` (1, 2, …) of the page: its fields and its errors."""
    found = re.search(
        rf'<fieldset class="decision-row[^"]*" id="rad-{number}">(.*?)</fieldset>',
        response.content.decode(),
        re.DOTALL,
    )
    assert found, f"row {number} is not on the page"
    return visible_text(SimpleNamespace(content=found.group(1).encode()))


def history_rows():
    return (
        Assignment.history.count(),
        Treatment.history.count(),
        StatusReport.history.count(),
    )


def token(client, meeting):
    """The one-time token the page hands out, as the browser keeps it in the form."""
    return client.get(decisions_url(meeting)).context["form"]["submission"].value()


@pytest.fixture
def ks_meeting():
    # Not KS 2016-11-02, where make_closed_assignment's treatment is.
    return make_meeting(date=date(2016, 12, 7))


@pytest.fixture
def three():
    """An ongoing assignment with an untreated status report, and two more ongoing ones."""
    reported, closing, decided = make_assignments(3)
    make_status_report(reported, report_date=date(2016, 9, 1), text="Äldre rapport.")
    latest = make_status_report(reported, report_date=date(2016, 10, 1), text="Senaste.")
    return reported, closing, decided, latest


def test_three_decisions_are_saved_at_the_meeting_with_the_user_and_the_meeting_in_the_history(
    officer, handlaggare, ks_meeting, three
):
    reported, closing, decided, latest = three
    owner = make_unit("Arbetsmarknads- och socialnämnden")
    response = officer.post(decisions_url(ks_meeting), posted([
        row(reported, 10, "lagesrapport"),
        row(closing, 11, "aterrapportering", outcome="utvecklingsprocess", follow_up_owner=owner),
        row(decided, 12, "beslut", reason="Uppdraget utvidgas."),
    ]))

    assert response.status_code == 302
    assert response.url == meeting_url(ks_meeting)
    assert success_messages(response) == [REGISTERED_THREE]
    treated = {t.assignment_id: t for t in ks_meeting.treatments.all()}
    assert {(pk, t.paragraph, t.kind) for pk, t in treated.items()} == {
        (reported.pk, 10, "lagesrapport"),
        (closing.pk, 11, "aterrapportering"),
        (decided.pk, 12, "beslut"),
    }
    for assignment in (reported, closing, decided):
        assignment.refresh_from_db()
    assert reported.status == "lagesrapport"
    assert reported.status_treatment == treated[reported.pk]
    assert closing.status == "avslutad"
    assert (closing.outcome, closing.follow_up_owner) == ("utvecklingsprocess", owner)
    assert decided.status == "pagaende"
    # The latest untreated report is the one the meeting handled, as on the status page.
    latest.refresh_from_db()
    assert latest.treatment == treated[reported.pk]
    assert reported.status_reports.get(text="Äldre rapport.").treatment is None

    for assignment, reason in [(reported, "KS 2016-12-07 § 10"), (closing, "KS 2016-12-07 § 11")]:
        record = Assignment.history.filter(id=assignment.pk).latest("history_id")
        assert (record.history_user, record.history_change_reason) == (handlaggare, reason)
    record = Treatment.history.get(id=treated[decided.pk].pk)
    assert record.history_user == handlaggare
    assert record.history_change_reason == "KS 2016-12-07 § 12: Uppdraget utvidgas."

    page = visible_text(officer.get(meeting_url(ks_meeting)))
    for assignment in (reported, closing, decided):
        assert assignment.reference in page


def invalid_rows(reported, closing, decided):
    """Each way a row is refused by the verbs, on the second of three rows, and the Swedish
    message the row shows: closing without outcome, a closed assignment, a § used twice."""
    closed = make_closed_assignment()
    return {
        "closing without an outcome": (
            [row(reported, 10, "lagesrapport"), row(closing, 11, "aterrapportering"),
             row(decided, 12, "beslut")],
            2, "Ett avslut kräver ett resultat.",
        ),
        "a development process without its owner": (
            [row(reported, 10, "lagesrapport"),
             row(closing, 11, "aterrapportering", outcome="utvecklingsprocess"),
             row(decided, 12, "beslut")],
            2, "Ange vem som ansvarar för uppföljningen av utvecklingsprocessen.",
        ),
        "a status report on a closed assignment": (
            [row(reported, 10, "lagesrapport"), row(closed, 11, "lagesrapport"),
             row(decided, 12, "beslut")],
            2, "Uppdraget är avslutat och tar inte emot fler lägesrapporter",
        ),
        "closing a closed assignment": (
            [row(reported, 10, "lagesrapport"),
             row(closed, 11, "aterrapportering", outcome="genomfort"),
             row(decided, 12, "beslut")],
            2, "Uppdraget är redan avslutat.",
        ),
        "the same assignment and § twice": (
            [row(reported, 10, "lagesrapport"), row(reported, 10, "beslut"),
             row(decided, 12, "beslut")],
            2, "Den här behandlingen (organ, sammanträdesdatum, §) är redan registrerad.",
        ),
        "an outcome on a status report": (
            [row(reported, 10, "lagesrapport"),
             row(closing, 11, "lagesrapport", outcome="genomfort"),
             row(decided, 12, "beslut")],
            2, "Anges bara vid avslut (typ: återrapportering).",
        ),
    }


@pytest.mark.parametrize("case", [
    "closing without an outcome",
    "a development process without its owner",
    "a status report on a closed assignment",
    "closing a closed assignment",
    "the same assignment and § twice",
    "an outcome on a status report",
])
def test_one_refused_row_saves_nothing_and_its_error_is_on_that_row(
    officer, ks_meeting, three, case
):
    reported, closing, decided, latest = three
    rows, bad, message = invalid_rows(reported, closing, decided)[case]
    before = history_rows()
    versions = {a.pk: a.version for a in Assignment.objects.all()}

    response = officer.post(decisions_url(ks_meeting), posted(rows))

    assert response.status_code == 200
    assert NOTHING_SAVED in visible_text(response)
    assert message in row_text(response, bad)
    for other in {1, 2, 3} - {bad}:
        assert message not in row_text(response, other)
    assert not ks_meeting.treatments.exists()
    assert history_rows() == before
    assert {a.pk: a.version for a in Assignment.objects.all()} == versions
    latest.refresh_from_db()
    assert latest.treatment is None
    # What was typed stays in the form.
    typed = rows[1]["paragraph"]
    assert f'name="rad-1-paragraph" value="{typed}"' in response.content.decode()


def test_every_refused_row_is_told_in_one_submit(officer, ks_meeting, three):
    reported, closing, _decided, _latest = three
    closed = make_closed_assignment()
    response = officer.post(decisions_url(ks_meeting), posted([
        row(reported, 10, "lagesrapport"),
        row(closing, 11, "aterrapportering"),
        row(closed, 12, "lagesrapport"),
    ]))
    assert "Ett avslut kräver ett resultat." in row_text(response, 2)
    assert "Uppdraget är avslutat och tar inte emot fler" in row_text(response, 3)
    assert NOTHING_SAVED not in row_text(response, 1)
    assert not ks_meeting.treatments.exists()


def test_a_page_with_no_row_filled_in_says_so(officer, ks_meeting):
    response = officer.post(decisions_url(ks_meeting), posted([]))
    assert response.status_code == 200
    assert "Fyll i minst en rad." in visible_text(response)


def test_a_row_without_its_paragraph_is_told_on_the_row(officer, ks_meeting, three):
    reported, *_rest = three
    response = officer.post(decisions_url(ks_meeting), posted([row(reported, "", "beslut")]))
    assert "Detta fält måste fyllas i." in row_text(response, 1)
    assert not ks_meeting.treatments.exists()


def test_a_planned_meeting_takes_no_decisions_yet(officer, three):
    reported, *_rest = three
    planned = make_meeting(date=timezone.localdate() + timedelta(days=14))
    day = planned.date.isoformat()
    told = (f"Sammanträdet har inte hållits ännu: dess beslut kan registreras från och med "
            f"sammanträdesdagen, {day}.")

    shown = officer.get(decisions_url(planned))
    refused = officer.post(decisions_url(planned), posted([row(reported, 1, "beslut")]))

    assert told in visible_text(shown)
    assert "Registrera besluten" not in visible_text(shown)
    assert refused.status_code == 200
    assert told in visible_text(refused)
    assert not Treatment.objects.exists()
    assert "Registrera sammanträdets beslut" not in visible_text(officer.get(meeting_url(planned)))


def test_a_repeated_submit_registers_the_decisions_once(officer, ks_meeting, three):
    reported, closing, decided, _latest = three
    data = posted([
        row(reported, 10, "lagesrapport"),
        row(closing, 11, "aterrapportering", outcome="genomfort"),
        row(decided, 12, "beslut"),
    ], submission=token(officer, ks_meeting))

    first = officer.post(decisions_url(ks_meeting), data)
    after_first = history_rows()
    second = officer.post(decisions_url(ks_meeting), data)

    assert success_messages(first) == [REGISTERED_THREE]
    assert second.status_code == 302
    assert second.url == meeting_url(ks_meeting)
    assert success_messages(second)[-1] == REPEATED
    assert ks_meeting.treatments.count() == 3
    assert history_rows() == after_first


def test_each_opening_of_the_page_is_a_new_submission(officer, ks_meeting, three):
    _reported, _closing, decided, _latest = three
    for paragraph in (10, 11):
        data = posted([row(decided, paragraph, "beslut")], submission=token(officer, ks_meeting))
        officer.post(decisions_url(ks_meeting), data)
    assert ks_meeting.treatments.filter(assignment=decided).count() == 2


@concurrent_writers
@pytest.mark.django_db(transaction=True)
def test_identical_submits_at_once_register_once_and_fail_none(handlaggare):
    meeting = make_meeting(date=date(2016, 11, 2))
    reported, closing = make_assignments(2)
    clients = [signed_in(handlaggare) for _ in range(4)]
    data = posted([
        row(reported, 10, "lagesrapport"),
        row(closing, 11, "aterrapportering", outcome="genomfort"),
    ], submission=token(clients[0], meeting))
    start = threading.Barrier(len(clients))
    statuses = []

    def submit(client):
        try:
            start.wait()
            statuses.append(client.post(decisions_url(meeting), data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [302] * 4
    assert meeting.treatments.count() == 2
    assert Assignment.history.filter(id=closing.pk).count() == 2  # created, closed


def test_politicians_may_neither_open_nor_post_the_form(client, politiker, ks_meeting, three):
    reported, *_rest = three
    client.force_login(politiker)
    before = history_rows()
    assert client.get(decisions_url(ks_meeting)).status_code == 403
    response = client.post(decisions_url(ks_meeting), posted([row(reported, 10, "beslut")]))
    assert response.status_code == 403
    assert history_rows() == before
    assert not Treatment.objects.exists()
    assert "Registrera sammanträdets beslut" not in visible_text(client.get(meeting_url(ks_meeting)))


def test_administrators_record_decisions_too(admin_page, administrator, ks_meeting, three):
    reported, *_rest = three
    response = admin_page.post(decisions_url(ks_meeting), posted([row(reported, 10, "beslut")]))
    assert response.status_code == 302
    assert ks_meeting.treatments.get().history.get().history_user == administrator


def test_the_meeting_page_leads_a_handlaggare_to_the_form(officer, ks_meeting):
    html = officer.get(meeting_url(ks_meeting)).content.decode()
    assert f'<a href="{decisions_url(ks_meeting)}">Registrera sammanträdets beslut</a>' in html


def test_the_form_lists_open_assignments_first_and_offers_more_rows(officer, ks_meeting):
    open_one = make_assignment(title="Öppet uppdrag")
    closed = make_closed_assignment(title="Stängt uppdrag")
    response = officer.get(decisions_url(ks_meeting), {"rader": "7"})
    html = response.content.decode()
    assert len(response.context["formset"].forms) == 7
    assert html.index(open_one.title) < html.index("Avslutade uppdrag") < html.index(closed.title)
    assert 'href="?rader=12"' in html
    too_many = officer.get(decisions_url(ks_meeting), {"rader": "41"})
    assert "Kontrollera att detta värde är mindre än eller lika med 40." in visible_text(too_many)


def test_the_form_takes_as_many_queries_with_50_assignments_as_with_5(officer, ks_meeting):
    unit = make_unit()

    def add(serials):
        for serial in serials:
            assignment = make_assignment(responsible_unit=unit)
            if serial % 2:
                make_status_report(assignment)

    assert_queries_do_not_grow(lambda: officer.get(decisions_url(ks_meeting)), add)


def test_an_anonymous_visitor_is_sent_to_the_login(ks_meeting):
    response = Client().get(decisions_url(ks_meeting))
    assert response.status_code == 302
    assert response.url.startswith("/konto/logga-in/")


ROW_FIELDS = ["assignment", "paragraph", "kind", "outcome", "follow_up_owner", "reason"]


def test_a_hostile_post_is_refused_cleanly_or_saved_escaped(admin_page, ks_meeting):
    assignment = make_assignment(title="Uppdrag under angrepp")
    fields = [f"rad-{index}-{name}" for index in (0, 1) for name in ROW_FIELDS]
    fields += ["rad-TOTAL_FORMS", "rad-INITIAL_FORMS", "rad-MAX_NUM_FORMS", "submission"]

    @FAST
    @given(data=hostile(fields))
    @example(data={"rad-0-reason": f"Orsak\x00{SCRIPT}"})
    @example(data={"rad-TOTAL_FORMS": "9" * 40})
    @example(data={"rad-TOTAL_FORMS": "-1"})
    def post(data):
        valid = posted([row(assignment, 312, "beslut", reason=SCRIPT)])
        post_hostile(admin_page, decisions_url(ks_meeting), valid | data, assignment)

    post()


def test_a_hostile_number_of_rows_never_breaks_the_page(officer, ks_meeting):
    @FAST
    @given(query=hostile(["rader"], QUERY_VALUES))
    @example(query={"rader": "²"})
    @example(query={"rader": "9" * 40})
    def visit(query):
        before = row_counts()
        assert_safe(officer.get(decisions_url(ks_meeting), query))
        assert row_counts() == before

    visit()
