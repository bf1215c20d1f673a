"""The assignment page: every field, treatments, reports, budget, deadline log and actions."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from assignments.models import Assignment, Meeting, StatusReport, Treatment
from budget.models import AccountClass, BudgetRow
from demo.register import moment
from tests.factories import (
    ks_treatment,
    make_area,
    make_assignment,
    make_meeting,
    make_unit,
    set_up,
)
from tests.query_counts import assert_queries_do_not_grow, queries_made

from .reading import visible_text


def detail_url(assignment):
    return reverse("assignments:detail", args=[assignment.pk])


@pytest.fixture
def closed(handlaggare):
    """An assignment with every field filled, reported on and closed."""
    assignment = make_assignment(
        handlaggare,
        reference="STK-2014-145",
        title="Utarbeta en handlingsplan för att minska den ekonomiska utsattheten bland barn",
        description="Handlingsplan med åtgärder, tidsplan och kostnader.",
        area=make_area(1, "Barn och ungas vardagsvillkor"),
        responsible_unit=make_unit("Stadskontoret"),
        case_officer=handlaggare,
        decision_paragraph=67,
        planned_completion=date(2017, 12, 31),
        planned_completion_is_year=True,
    )
    report = StatusReport(
        assignment=assignment, report_date=date(2016, 10, 1), text="Delrapport klar.",
        author=handlaggare,
    )
    report.full_clean()
    report.attribute(handlaggare)
    report.save()
    assignment.report_status(
        ks_treatment(reference="STK-2016-44", summary="Lägesrapporten godkändes."),
        user=handlaggare, report=report,
    )
    assignment.close(
        ks_treatment(date(2017, 3, 1), 65),
        outcome=Assignment.Outcome.DEVELOPMENT_PROCESS,
        follow_up_owner=make_unit("Grundskolenämnden"),
        user=handlaggare,
    )
    return assignment


def test_anonymous_visitors_are_sent_to_log_in(client, closed):
    response = client.get(detail_url(closed))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["politiker", "handlaggare", "administrator"])
def test_every_role_reads_the_page(client, closed, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(detail_url(closed))
    assert response.status_code == 200
    assert "STK-2014-145 Utarbeta en handlingsplan" in visible_text(response)


def test_it_shows_every_field_with_swedish_labels(client, politiker, closed):
    client.force_login(politiker)
    text = visible_text(client.get(detail_url(closed)))

    for expected in [
        "Diarienummer STK-2014-145",
        "Titel Utarbeta en handlingsplan",
        "Beskrivning Handlingsplan med åtgärder, tidsplan och kostnader.",
        "Kommissionsområde 1. Barn och ungas vardagsvillkor",
        "Ansvarig nämnd/förvaltning Stadskontoret",
        "Handläggare Handlaggaren Test",
        "Givet genom beslut KS 2014-03-05 § 67, STK-2013-145",
        "Status avslutad",
        "Behandling bakom statusen KS 2017-03-01 § 65",
        "Planerat avslut under 2017",
        "Resultat övergår i utvecklingsprocess",
        "Ansvarig för uppföljning Grundskolenämnden",
    ]:
        assert expected in text


def test_an_open_assignment_shows_neither_outcome_nor_follow_up_owner(client, politiker):
    assignment = make_assignment(planned_completion=date(2017, 6, 30))
    client.force_login(politiker)
    text = visible_text(client.get(detail_url(assignment)))
    assert "Status pågående" in text
    assert "Planerat avslut 2017-06-30" in text
    assert "Resultat" not in text
    assert "Ansvarig för uppföljning" not in text


def test_treatments_read_like_the_minutes(client, politiker, handlaggare, closed):
    closed.add_treatment(
        Treatment(meeting=Meeting(body=Meeting.Body.COMMITTEE, date=date(2017, 4, 20),
                                  committee=make_unit("Kulturnämnden")),
                  paragraph=12, kind=Treatment.Kind.DECISION),
        user=handlaggare,
    )
    client.force_login(politiker)
    text = visible_text(client.get(detail_url(closed)))

    assert "KS 2016-11-02 § 312 lägesrapport STK-2016-44 Lägesrapporten godkändes." in text
    assert "KS 2017-03-01 § 65 återrapportering" in text
    assert "Kulturnämnden 2017-04-20 § 12 beslut" in text


def test_status_reports_show_author_and_where_they_were_treated(client, politiker, closed):
    with set_up():  # straight in: the model no longer takes reports on a closed assignment
        StatusReport.objects.create(
            assignment=closed, report_date=date(2017, 5, 1), text="Uppföljning påbörjad."
        )
    client.force_login(politiker)
    text = visible_text(client.get(detail_url(closed)))

    # Reports from before the assessment existed say so, rather than a made-up one.
    assert (
        "2016-10-01 Delrapport klar. Ingen bedömning Handlaggaren Test KS 2016-11-02 § 312"
        in text
    )
    assert "2017-05-01 Uppföljning påbörjad. Ingen bedömning – ej behandlad" in text


def test_linked_budget_rows_are_summed_in_mkr(client, politiker, closed):
    with set_up():
        for year, budget, outcome in [(2016, "1500000", "1250000"), (2017, "2250000", None)]:
            BudgetRow(
                year=year, name="Projekt och utredningar", account_class=AccountClass.COSTS,
                budget=Decimal(budget), outcome=outcome and Decimal(outcome),
            ).save_tracked(user=None, assignments=[closed])
        BudgetRow(
            year=2016, name="Nytt ekonomisystem", account_class=AccountClass.COSTS,
            budget=Decimal("20000000"),
        ).save_tracked(user=None)
    client.force_login(politiker)
    text = visible_text(client.get(detail_url(closed)))

    assert "2016 Projekt och utredningar 1,5 Mkr 1,3 Mkr" in text
    assert "2017 Projekt och utredningar 2,3 Mkr –" in text
    assert "Summa 3,8 Mkr 1,3 Mkr" in text
    assert "Nytt ekonomisystem" not in text


def test_a_demo_assignment_shows_its_budget_sums(client, politiker, demo):
    assignment = Assignment.objects.get(reference="STK-2014-201")
    client.force_login(politiker)
    text = visible_text(client.get(detail_url(assignment)))

    assert "2015 Projekt och utredningar 65,0 Mkr 62,0 Mkr" in text
    assert "Summa 129,0 Mkr 124,0 Mkr" in text


def test_the_deadline_log_keeps_each_earlier_date_and_why(client, politiker, handlaggare):
    assignment = make_assignment(planned_completion=date(2016, 12, 31),
                                 planned_completion_is_year=True)
    assignment.move_deadline(date(2017, 6, 30), user=handlaggare, reason="Remissen dröjde.")
    assignment.move_deadline(date(2018, 12, 31), is_year=True, user=handlaggare,
                             reason="Samordnas med budgeten.")
    client.force_login(politiker)
    text = visible_text(client.get(detail_url(assignment)))

    assert "under 2016 2017-06-30 Remissen dröjde. Handlaggaren Test" in text
    assert "2017-06-30 under 2018 Samordnas med budgeten. Handlaggaren Test" in text


ACTIONS = {
    "edit": "Ändra uppgifter",
    "change_status": "Ändra status",
    "move_deadline": "Flytta planerat avslut",
    "add_report": "Lägg till lägesrapport",
    "add_treatment": "Registrera behandling",
}


def action_links(response, assignment):
    page = response.content.decode()
    names = [*ACTIONS, "reopen"]
    return {
        name for name in names
        if f'href="{reverse(f"assignments:{name}", args=[assignment.pk])}"' in page
    }


def test_politicians_see_no_action_links(client, politiker, closed):
    client.force_login(politiker)
    response = client.get(detail_url(closed))
    assert action_links(response, closed) == set()
    assert "Ändra uppgifter" not in visible_text(response)


def test_case_officers_see_the_actions_for_an_open_assignment(client, handlaggare):
    assignment = make_assignment()
    client.force_login(handlaggare)
    response = client.get(detail_url(assignment))

    assert action_links(response, assignment) == set(ACTIONS)
    for label in ACTIONS.values():
        assert label in visible_text(response)


def test_only_an_administrator_is_offered_to_reopen_a_closed_assignment(
    client, handlaggare, administrator, closed
):
    client.force_login(handlaggare)
    assert action_links(client.get(detail_url(closed)), closed) == {"edit", "add_treatment"}

    client.force_login(administrator)
    response = client.get(detail_url(closed))
    assert "reopen" in action_links(response, closed)
    assert "Återöppna" in visible_text(response)


def test_an_unknown_id_is_404(client, politiker):
    client.force_login(politiker)
    assert client.get("/uppdrag/999999/").status_code == 404


def busy_assignment(user):
    """An assignment registered on 2015-01-01, which `live_through` then fills."""
    assignment = Assignment(
        reference="STK-2014-300", title="Uppdrag", area=make_area(), responsible_unit=make_unit(),
        case_officer=user, decided_on=date(2014, 3, 5), decision_reference="STK-2013-145",
        planned_completion=date(2016, 1, 1),
    )
    assignment.save_tracked(user=user, at=moment(date(2015, 1, 1)))
    return assignment


def live_through(assignment, user, serials):
    """One day of 2015 per serial: an edit, a treatment, a treated status report, a deadline
    move and a budget row funding the assignment."""
    for number in serials:
        day = date(2015, 1, 2) + timedelta(days=number)
        assignment.title = f"Uppdrag, version {number}"
        assignment.save_tracked(user=user, reason=f"Ändring {number}", at=moment(day))
        treatment = assignment.add_treatment(
            Treatment(meeting=Meeting(body=Meeting.Body.KS, date=day), paragraph=number + 1,
                      kind=Treatment.Kind.DECISION),
            user=user, at=moment(day),
        )
        report = StatusReport(assignment=assignment, report_date=day,
                              text=f"Rapport {number}", author=user)
        report.attribute(user, at=moment(day))
        report.save()
        report.mark_treated(treatment, user=user, at=moment(day))
        assignment.move_deadline(date(2016, 1, 2) + timedelta(days=number), user=user,
                                 reason=f"Flytt {number}", at=moment(day))
        BudgetRow(year=2015, name=f"Rad {number}", account_class=AccountClass.COSTS,
                  budget=Decimal(1000000)).save_tracked(user=user, assignments=[assignment])


@pytest.mark.parametrize("per", [None, "2015-12-31"], ids=["today", "a past day"])
def test_the_page_makes_as_many_queries_for_50_days_of_history_as_for_5(
    client, handlaggare, per
):
    assignment = busy_assignment(handlaggare)
    client.force_login(handlaggare)
    params = {"per": per} if per else {}

    response = assert_queries_do_not_grow(
        lambda: client.get(detail_url(assignment), params),
        lambda serials: live_through(assignment, handlaggare, serials),
    )

    text = visible_text(response)
    assert text.count("Uppdraget ändrades") == 50
    assert "Uppdrag, version 49" in text


def test_as_of_a_day_before_the_assignment_was_registered_says_so(client, politiker):
    assignment = make_assignment(decided_on=date(2016, 3, 1))  # registered today
    client.force_login(politiker)
    response = client.get(detail_url(assignment), {"per": "2016-12-31"})
    assert response.status_code == 404
    text = visible_text(response)
    assert "Uppdraget var inte registrerat 2016-12-31." in text
    assert f'href="{detail_url(assignment)}"' in response.content.decode()


def test_the_treatment_behind_the_status_costs_the_page_no_query_of_its_own(
    client, handlaggare
):
    """"Behandling bakom status" names the meeting (a nämnd's by name): fetched with the
    assignment in one query, not looked up one by one as the page is written."""
    committee = make_meeting(
        body=Meeting.Body.COMMITTEE, committee=make_unit("Kulturnämnden"), date=date(2016, 5, 4)
    )
    reported = make_assignment(reference="STK-2014-2")
    reported.report_status(
        Treatment(meeting=committee, paragraph=41), user=handlaggare, at=moment(date(2016, 5, 4))
    )
    client.force_login(handlaggare)
    page, queries = queries_made(lambda: client.get(detail_url(reported)))
    assert "Kulturnämnden 2016-05-04 § 41" in visible_text(page)
    one_by_one = [
        sql for sql in queries
        if re.search(r'WHERE "assignments_(meeting|unit)"\."id" = \d+', sql)
    ]
    assert one_by_one == []
