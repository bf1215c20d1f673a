"""The handläggare's workflow through the real pages.

Each verb saves with the user and the reason; bad input gets a Swedish error and saves nothing.
"""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from assignments.models import Assignment, DeadlineChange, Meeting, StatusReport, Treatment
from tests.factories import (
    ks_treatment,
    make_area,
    make_assignment,
    make_closed_assignment,
    make_status_report,
    make_unit,
)

pytestmark = pytest.mark.django_db

REQUIRED = "Detta fält måste fyllas i."
NOTHING_SAVED = "Inget har sparats. Rätta felen nedan."


def url(name, assignment):
    return reverse(f"assignments:{name}", args=[assignment.pk])


def edit_data(assignment, **changes):
    """What the edit page posts back for `assignment`, with `changes` typed in."""
    data = {
        "reference": assignment.reference,
        "title": assignment.title,
        "description": assignment.description,
        "area": assignment.area_id,
        "responsible_unit": assignment.responsible_unit_id,
        "case_officer": assignment.case_officer_id or "",
        "decided_on": assignment.decided_on.isoformat(),
        "decision_reference": assignment.decision_reference,
        "decision_paragraph": assignment.decision_paragraph or "",
        "version": assignment.version,
        "reason": "",
    }
    data.update(changes)
    return data


def status_data(assignment, status=Assignment.Status.STATUS_REPORT, **changes):
    """A status change as the form posts it: the treatment of the KS meeting 2016-11-02 § 312."""
    data = {
        "status": status,
        "body": Meeting.Body.KS,
        "meeting_date": "2016-11-02",
        "paragraph": "312",
        "version": assignment.version,
    }
    data.update(changes)
    return data


def success_messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def latest_history(assignment):
    return Assignment.history.filter(id=assignment.pk).order_by("-version", "-history_id").first()


def stored(assignment):
    return Assignment.objects.get(pk=assignment.pk)


@pytest.fixture
def officer_client(client, handlaggare):
    client.force_login(handlaggare)
    return client


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


# --- create and edit -------------------------------------------------------


def test_handlaggare_registers_a_new_assignment_with_history(officer_client, handlaggare):
    area, unit = make_area(2), make_unit("Stadskontoret")
    response = officer_client.post(
        reverse("assignments:create"),
        {
            "reference": "STK-2014-900",
            "title": "Förbättra möjligheterna för barn och unga att röra sig i hela staden",
            "area": area.pk,
            "responsible_unit": unit.pk,
            "decided_on": "2014-03-05",
            "decision_reference": "STK-2013-145",
            "planned_completion": "2016-12-31",
            "planned_completion_is_year": "on",
            "reason": "Nytt uppdrag från KS",
        },
    )

    assignment = Assignment.objects.get(reference="STK-2014-900")
    assert response.status_code == 302
    assert response["Location"] == url("detail", assignment)
    assert success_messages(response) == ["Uppdraget STK-2014-900 har registrerats."]
    assert assignment.status == Assignment.Status.ONGOING
    assert assignment.planned_completion_display() == "under 2016"
    record = latest_history(assignment)
    assert record.history_user == handlaggare
    assert record.history_user_name == "Handlaggaren Test"
    assert record.history_change_reason == "Nytt uppdrag från KS"


def test_create_page_asks_for_the_facts_and_the_first_planned_completion(officer_client):
    page = officer_client.get(reverse("assignments:create")).content.decode()

    for label in ["Diarienummer", "Titel", "Ansvarig nämnd/förvaltning", "Planerat avslut"]:
        assert label in page
    assert "Ändringsorsak" in page
    assert 'name="status"' not in page
    assert 'name="version"' not in page


@pytest.mark.parametrize(
    ("reference", "error"),
    [
        ("2014/123", "Ange ett diarienummer som STK-2014-123 (förvaltning, år, löpnummer)."),
        ("STK-2014-1", "Det finns redan ett uppdrag med detta diarienummer."),
    ],
    ids=["malformed", "duplicate"],
)
def test_create_refuses_a_bad_diarienummer_and_saves_nothing(officer_client, reference, error):
    make_assignment(reference="STK-2014-1")
    before = Assignment.objects.count()

    response = officer_client.post(
        reverse("assignments:create"),
        {
            "reference": reference,
            "title": "Ett uppdrag",
            "area": make_area().pk,
            "responsible_unit": make_unit().pk,
            "decided_on": "2014-03-05",
            "decision_reference": "STK-2013-145",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert NOTHING_SAVED in page
    assert f'id="id_reference_error"><li>{error}' in page
    assert Assignment.objects.count() == before


def test_handlaggare_edits_the_facts_with_user_and_reason(officer_client, handlaggare):
    assignment = make_assignment(title="Gammal titel")
    new_unit = make_unit("Grundskolenämnden")

    response = officer_client.post(
        url("edit", assignment),
        edit_data(
            assignment,
            title="Ny titel",
            responsible_unit=new_unit.pk,
            case_officer=handlaggare.pk,
            reason="Rättad titel",
        ),
    )

    assert response.status_code == 302
    assert success_messages(response) == ["Ändringarna har sparats."]
    saved = stored(assignment)
    assert (saved.title, saved.responsible_unit, saved.case_officer) == (
        "Ny titel",
        new_unit,
        handlaggare,
    )
    assert saved.version == 2
    record = latest_history(assignment)
    assert (record.version, record.history_user, record.history_change_reason) == (
        2,
        handlaggare,
        "Rättad titel",
    )


def test_the_assignment_page_confirms_the_save(officer_client):
    assignment = make_assignment()

    response = officer_client.post(
        url("edit", assignment), edit_data(assignment, title="Bekräftad"), follow=True
    )

    page = response.content.decode()
    assert response.redirect_chain == [(url("detail", assignment), 302)]
    assert "Ändringarna har sparats." in page
    assert "Bekräftad" in page


def test_edit_page_leaves_status_outcome_and_deadline_to_their_own_pages(officer_client):
    assignment = make_assignment()
    page = officer_client.get(url("edit", assignment)).content.decode()

    assert f'name="version" value="{assignment.version}"' in page
    assert 'name="title"' in page
    for verb_field in ["status", "outcome", "follow_up_owner", "planned_completion"]:
        assert f'name="{verb_field}"' not in page


def test_edit_with_a_malformed_diarienummer_saves_nothing(officer_client):
    assignment = make_assignment(title="Orörd")

    response = officer_client.post(
        url("edit", assignment), edit_data(assignment, reference="fel", title="Ändrad")
    )

    page = response.content.decode()
    assert "Ange ett diarienummer som STK-2014-123" in page
    # The page heading shows what is stored, not what was typed.
    assert "Orörd" in page
    assert stored(assignment).title == "Orörd"
    assert stored(assignment).version == 1


def test_edit_refuses_a_duplicate_diarienummer(officer_client):
    make_assignment(reference="STK-2014-77")
    assignment = make_assignment()

    response = officer_client.post(
        url("edit", assignment), edit_data(assignment, reference="STK-2014-77")
    )

    assert "Det finns redan ett uppdrag med detta diarienummer." in response.content.decode()
    assert stored(assignment).reference == assignment.reference


# --- status ------------------------------------------------------------------


def test_status_page_shows_every_group_with_a_heading(officer_client):
    assignment = make_assignment()
    page = officer_client.get(url("change_status", assignment)).content.decode()

    for heading in ["Politisk behandling", "Bara vid lägesrapport", "Bara vid avslut"]:
        assert f"<legend>{heading}</legend>" in page
    labels = ["Ny status", "Organ", "Sammanträdesdatum", "Paragraf (§)", "Resultat"]
    for label in [*labels, "Ansvarig för uppföljning"]:
        assert label in page


def test_status_report_treatment_moves_the_assignment_to_lagesrapport(officer_client, handlaggare):
    assignment = make_assignment()
    report = make_status_report(assignment, text="Arbetet pågår.")

    response = officer_client.post(
        url("change_status", assignment),
        status_data(assignment, reference="STK-2016-40", report=report.pk, reason="KS behandlade"),
    )

    assert response.status_code == 302
    assert success_messages(response) == ["Statusen är nu: lägesrapport."]
    saved = stored(assignment)
    assert saved.status == Assignment.Status.STATUS_REPORT
    assert str(saved.status_treatment) == "KS 2016-11-02 § 312"
    assert saved.status_treatment.kind == Treatment.Kind.STATUS_REPORT
    assert saved.status_treatment.reference == "STK-2016-40"
    report.refresh_from_db()
    assert report.treatment == saved.status_treatment
    record = latest_history(assignment)
    assert (record.status, record.history_user, record.history_change_reason) == (
        "lagesrapport",
        handlaggare,
        "KS behandlade",
    )


def test_status_change_without_its_treatment_is_refused(officer_client):
    assignment = make_assignment()

    response = officer_client.post(
        url("change_status", assignment),
        status_data(assignment, meeting_date="", paragraph=""),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert NOTHING_SAVED in page
    assert f'id="id_meeting_date_error"><li>{REQUIRED}' in page
    assert f'id="id_paragraph_error"><li>{REQUIRED}' in page
    assert stored(assignment).status == Assignment.Status.ONGOING
    assert not Treatment.objects.exists()


def test_closing_needs_an_outcome_and_saves_nothing_without_it(officer_client):
    assignment = make_assignment()

    response = officer_client.post(
        url("change_status", assignment), status_data(assignment, Assignment.Status.CLOSED)
    )

    page = response.content.decode()
    assert 'id="id_outcome_error"><li>Ett avslut kräver ett resultat.' in page
    assert stored(assignment).status == Assignment.Status.ONGOING
    # The treatment the verb registered first went back with the refused closing.
    assert not Treatment.objects.exists()
    # The page shows the stored status, not the one the refused verb had set in memory.
    assert 'class="badge badge-pagaende"' in page


def test_development_process_needs_a_follow_up_owner(officer_client):
    assignment = make_assignment()

    response = officer_client.post(
        url("change_status", assignment),
        status_data(
            assignment, Assignment.Status.CLOSED, outcome=Assignment.Outcome.DEVELOPMENT_PROCESS
        ),
    )

    assert (
        'id="id_follow_up_owner_error"><li>Ange vem som ansvarar för uppföljningen av '
        "utvecklingsprocessen." in response.content.decode()
    )
    assert stored(assignment).status == Assignment.Status.ONGOING


def test_closing_as_a_development_process_names_its_follow_up_owner(officer_client, handlaggare):
    assignment = make_assignment()
    owner = make_unit("Funktionsstödsnämnden")

    response = officer_client.post(
        url("change_status", assignment),
        status_data(
            assignment,
            Assignment.Status.CLOSED,
            outcome=Assignment.Outcome.DEVELOPMENT_PROCESS,
            follow_up_owner=owner.pk,
            reason="Slutrapport behandlad",
        ),
    )

    assert success_messages(response) == ["Statusen är nu: avslutad."]
    saved = stored(assignment)
    assert (saved.status, saved.outcome, saved.follow_up_owner) == (
        Assignment.Status.CLOSED,
        Assignment.Outcome.DEVELOPMENT_PROCESS,
        owner,
    )
    assert saved.status_treatment.kind == Treatment.Kind.FINAL_REPORT
    assert latest_history(assignment).history_change_reason == "Slutrapport behandlad"


def test_a_committee_treatment_must_name_the_committee(officer_client):
    assignment = make_assignment()

    response = officer_client.post(
        url("change_status", assignment), status_data(assignment, body=Meeting.Body.COMMITTEE)
    )

    assert "Ange nämnd när organet är en nämnd, och bara då." in response.content.decode()
    assert stored(assignment).status == Assignment.Status.ONGOING


def test_a_closed_assignment_offers_no_status_change(officer_client):
    assignment = make_closed_assignment()

    page = officer_client.get(url("change_status", assignment)).content.decode()

    assert "Uppdraget är avslutat. Bara en administratör kan återöppna det" in page
    assert 'name="meeting_date"' not in page


def test_closing_a_closed_assignment_is_refused_by_the_model(officer_client):
    assignment = make_closed_assignment()

    response = officer_client.post(
        url("change_status", assignment),
        status_data(
            assignment,
            Assignment.Status.CLOSED,
            paragraph="400",
            outcome=Assignment.Outcome.IMPLEMENTED,
        ),
    )

    assert response.status_code == 200
    assert "Uppdraget är avslutat." in response.content.decode()
    assert Treatment.objects.count() == 1


# --- status reports and decisions -------------------------------------------


def test_handlaggare_adds_a_status_report_as_its_author(officer_client, handlaggare):
    assignment = make_assignment()

    response = officer_client.post(
        url("add_report", assignment),
        {"report_date": "2016-09-30", "text": "Kartläggningen är klar.", "reason": "Inför KS"},
    )

    assert success_messages(response) == ["Lägesrapporten har lagts till."]
    report = assignment.status_reports.get()
    assert (report.report_date, report.text, report.author) == (
        date(2016, 9, 30),
        "Kartläggningen är klar.",
        handlaggare,
    )
    record = report.history.get()
    assert (record.history_user, record.history_change_reason) == (handlaggare, "Inför KS")


def test_a_status_report_needs_its_date_and_text(officer_client):
    assignment = make_assignment()

    response = officer_client.post(url("add_report", assignment), {"report_date": "", "text": ""})

    page = response.content.decode()
    assert f'id="id_report_date_error"><li>{REQUIRED}' in page
    assert f'id="id_text_error"><li>{REQUIRED}' in page
    assert not StatusReport.objects.exists()


def test_handlaggare_registers_a_decision(officer_client, handlaggare):
    assignment = make_assignment()

    response = officer_client.post(
        url("add_treatment", assignment),
        {
            "body": Meeting.Body.KSAU,
            "meeting_date": "2015-02-11",
            "paragraph": "45",
            "reference": "STK-2015-12",
            "summary": "Tidplanen godkändes.",
            "reason": "Protokoll justerat",
        },
    )

    assert success_messages(response) == ["Beslutet har registrerats."]
    treatment = assignment.treatments.get()
    assert (str(treatment), treatment.kind) == ("KSAU 2015-02-11 § 45", Treatment.Kind.DECISION)
    assert stored(assignment).status == Assignment.Status.ONGOING
    record = treatment.history.get()
    assert (record.history_user, record.history_change_reason) == (
        handlaggare,
        "Protokoll justerat",
    )


def test_a_decision_with_a_malformed_diarienummer_is_refused(officer_client):
    assignment = make_assignment()

    response = officer_client.post(
        url("add_treatment", assignment),
        {"body": "KS", "meeting_date": "2015-02-11", "paragraph": "45", "reference": "dnr 12"},
    )

    assert 'id="id_reference_error"><li>Ange ett diarienummer som STK-2014-123' in (
        response.content.decode()
    )
    assert not Treatment.objects.exists()


def test_the_same_treatment_cannot_be_registered_twice(officer_client, handlaggare):
    assignment = make_assignment()
    assignment.add_treatment(
        ks_treatment(date(2015, 2, 11), 45, kind=Treatment.Kind.DECISION), user=handlaggare
    )

    response = officer_client.post(
        url("add_treatment", assignment),
        {"body": "KS", "meeting_date": "2015-02-11", "paragraph": "45"},
    )

    page = response.content.decode()
    assert NOTHING_SAVED in page
    assert "Den här behandlingen (organ, sammanträdesdatum, §) är redan registrerad." in page
    assert Treatment.objects.count() == 1


# --- deadline and reopening ---------------------------------------------------


def test_moving_the_deadline_keeps_the_earlier_date_and_the_reason(officer_client, handlaggare):
    assignment = make_assignment(planned_completion=date(2015, 12, 31))

    response = officer_client.post(
        url("move_deadline", assignment),
        {
            "new_date": "2017-12-31",
            "new_is_year": "on",
            "reason": "Väntar på nämndernas svar",
            "version": assignment.version,
            "date_is_right": "on",  # 2017 is in the past: confirmed (issue 12)
        },
    )

    assert success_messages(response) == ["Det planerade avslutet har flyttats."]
    saved = stored(assignment)
    assert saved.planned_completion_display() == "under 2017"
    move = DeadlineChange.objects.get()
    assert (move.previous_date, move.new_date, move.reason, move.changed_by) == (
        date(2015, 12, 31),
        date(2017, 12, 31),
        "Väntar på nämndernas svar",
        handlaggare,
    )
    assert latest_history(assignment).history_change_reason == "Väntar på nämndernas svar"


def test_moving_the_deadline_without_a_reason_is_refused(officer_client):
    assignment = make_assignment(planned_completion=date(2015, 12, 31))

    response = officer_client.post(
        url("move_deadline", assignment),
        {"new_date": "2017-06-30", "reason": "   ", "version": assignment.version},
    )

    assert f'id="id_reason_error"><li>{REQUIRED}' in response.content.decode()
    assert stored(assignment).planned_completion == date(2015, 12, 31)
    assert not DeadlineChange.objects.exists()


def test_the_deadline_page_starts_from_the_current_date(officer_client):
    assignment = make_assignment(planned_completion=date(2015, 12, 31))

    page = officer_client.get(url("move_deadline", assignment)).content.decode()

    assert 'value="2015-12-31"' in page
    assert "Motivering" in page


def test_administrator_reopens_a_closed_assignment_with_a_reason(admin_client, administrator):
    assignment = make_closed_assignment()
    assignment = stored(assignment)

    response = admin_client.post(
        url("reopen", assignment), {"reason": "Beslutet upphävdes", "version": assignment.version}
    )

    assert success_messages(response) == ["Uppdraget har återöppnats."]
    saved = stored(assignment)
    assert (saved.status, saved.outcome) == (Assignment.Status.ONGOING, "")
    record = latest_history(assignment)
    assert (record.history_user, record.history_change_reason) == (
        administrator,
        "Beslutet upphävdes",
    )


def test_reopening_needs_a_reason(admin_client):
    assignment = make_closed_assignment()
    assignment = stored(assignment)

    response = admin_client.post(
        url("reopen", assignment), {"reason": "", "version": assignment.version}
    )

    assert f'id="id_reason_error"><li>{REQUIRED}' in response.content.decode()
    assert stored(assignment).status == Assignment.Status.CLOSED


def test_only_a_closed_assignment_can_be_reopened(admin_client):
    assignment = make_assignment()

    response = admin_client.post(
        url("reopen", assignment), {"reason": "Av misstag", "version": assignment.version}
    )

    assert "Bara ett avslutat uppdrag kan återöppnas." in response.content.decode()
    assert stored(assignment).version == assignment.version
