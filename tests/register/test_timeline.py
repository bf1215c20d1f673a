"""The timeline: an assignment's recorded history in plain Swedish, and its past state."""

from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.urls import reverse

from assignments.models import Assignment, StatusReport
from assignments.timeline import assignment_timeline
from budget.models import AccountClass, BudgetRow
from demo.register import moment
from malmo_ks.history import attributed_to
from tests.factories import ks_treatment, make_area, make_assignment, make_unit
from tests.query_counts import assert_queries_do_not_grow

from .reading import visible_text


def timeline_text(response):
    """The page's timeline section only."""
    text = visible_text(response)
    return text[text.index("Tidslinje"):]


def demo_page(client, reference, **params):
    assignment = Assignment.objects.get(reference=reference)
    return client.get(reverse("assignments:detail", args=[assignment.pk]), params)


def test_a_demo_timeline_tells_its_real_changes_with_names_and_reasons(client, politiker, demo):
    client.force_login(politiker)
    text = timeline_text(demo_page(client, "STK-2014-220"))

    events = [
        "2014-03-12 10:00 · Hanna Lind Uppdraget registrerades Motivering: Demodata",
        "2015-11-15 10:00 · Hanna Lind Planerat avslut flyttades från under 2015 till "
        "2017-06-30 Motivering: Ny lagstiftning inväntas.",
        "2016-06-01 10:00 · Hanna Lind Lägesrapporten daterad 2016-06-01 registrerades",
        "2016-06-01 15:00 · Hanna Lind Behandlingen KS 2016-06-01 § 183 (lägesrapport) "
        "registrerades",
        "2016-06-01 15:00 · Hanna Lind Lägesrapporten daterad 2016-06-01 behandlades vid "
        "KS 2016-06-01 § 183",
        "2016-06-01 15:00 · Hanna Lind Uppdraget ändrades Status: pågående → lägesrapport "
        "Behandling bakom statusen: – → KS 2016-06-01 § 183 Motivering: Demodata",
        "2017-03-01 15:00 · Hanna Lind Uppdraget ändrades Status: lägesrapport → avslutad "
        "Behandling bakom statusen: KS 2016-06-01 § 183 → KS 2017-03-01 § 65 "
        "Resultat: – → övergår i utvecklingsprocess "
        "Ansvarig för uppföljning: – → Stadsbyggnadsnämnden",
    ]
    positions = [text.index(event) for event in events]
    assert positions == sorted(positions)


def test_the_reorganisation_shows_unit_names_and_the_administrator(client, politiker, demo):
    client.force_login(politiker)
    text = timeline_text(demo_page(client, "STK-2014-221"))

    assert (
        "2017-05-01 08:00 · Amira Svensson Uppdraget ändrades "
        "Ansvarig nämnd/förvaltning: Stadsområdesnämnd Öster → Vård- och omsorgsnämnden "
        "Motivering: Omorganisation 2017-05-01: ansvaret övergick från Stadsområdesnämnd Öster."
    ) in text


def test_a_deadline_move_is_told_once_with_its_reason(client, politiker, demo):
    client.force_login(politiker)
    text = timeline_text(demo_page(client, "STK-2014-220"))

    assert text.count("2017-06-30") == 1
    assert "Planerat avslut:" not in text


def test_a_user_deactivated_after_a_change_still_shows_by_name(client, politiker):
    # Issue 12: accounts that have acted are deactivated, never deleted.
    karin = get_user_model().objects.create_user("karin", first_name="Karin", last_name="Ek")
    assignment = make_assignment(case_officer=karin)
    assignment.title = "Ny titel"
    assignment.save_tracked(user=karin, reason="Förtydligad titel")
    karin.is_active = False
    karin.save()
    client.force_login(politiker)

    text = timeline_text(client.get(reverse("assignments:detail", args=[assignment.pk])))

    assert "· Karin Ek Uppdraget ändrades Titel:" in text
    assert "→ Ny titel Motivering: Förtydligad titel" in text


def test_changes_show_names_never_ids(handlaggare):
    old_unit, new_unit = make_unit("Miljönämnden"), make_unit("Tekniska nämnden")
    assignment = make_assignment(responsible_unit=old_unit)
    assignment.responsible_unit = new_unit
    assignment.case_officer = handlaggare
    assignment.save_tracked(user=handlaggare)

    change = assignment_timeline(assignment.pk)[-1]

    assert [(c.label, c.old, c.new) for c in change.changes] == [
        ("Ansvarig nämnd/förvaltning", "Miljönämnden", "Tekniska nämnden"),
        ("Handläggare", "–", "Handlaggaren Test"),
    ]
    assert change.who == "Handlaggaren Test"


def test_a_command_is_named_as_the_author(handlaggare):
    assignment = make_assignment()
    with attributed_to("import_register (kommando, drift)"):
        assignment.title = "Importerad titel"
        assignment.save_tracked(user=None, reason="Import")

    assert assignment_timeline(assignment.pk)[-1].who == "import_register (kommando, drift)"


def test_the_timeline_makes_as_many_queries_for_50_changes_as_for_5(handlaggare):
    units = [make_unit() for _ in range(3)]
    assignment = make_assignment(case_officer=handlaggare)

    def change_unit(serials):
        for number in serials:
            assignment.responsible_unit = units[number % 3]
            assignment.save_tracked(user=handlaggare, reason=f"Ändring {number}")

    timeline = assert_queries_do_not_grow(
        lambda: assignment_timeline(assignment.pk), change_unit
    )

    assert len(timeline) == 51


def closed_in_2017(client, user):
    client.force_login(user)
    return demo_page(client, "STK-2014-220", per="2016-12-31")


def test_as_of_the_end_of_2016_a_demo_assignment_closed_in_2017_shows_its_status_report(
    client, politiker, demo
):
    text = visible_text(closed_in_2017(client, politiker))

    assert "Historiskt läge: sidan visar registret som det såg ut vid slutet av 2016-12-31." in text
    assert "Status lägesrapport" in text
    assert "Behandling bakom statusen KS 2016-06-01 § 183" in text
    assert "KS 2017-03-01 § 65" not in text
    assert "Resultat" not in text
    assert "lägesrapport → avslutad" not in text

    now = visible_text(demo_page(client, "STK-2014-220"))
    assert "Status avslutad" in now
    assert "Historiskt läge" not in now


def test_the_past_page_offers_no_actions(client, handlaggare, demo):
    text = visible_text(closed_in_2017(client, handlaggare))
    assert "Ändra uppgifter" not in text
    assert "Registrera behandling" not in text


def test_the_past_page_shows_records_as_they_stood(client, politiker, handlaggare):
    assignment = Assignment(
        reference="STK-2014-301", title="Uppdrag", area=make_area(), responsible_unit=make_unit(),
        decided_on=date(2014, 3, 5), decision_reference="STK-2013-145",
    )
    assignment.save_tracked(user=handlaggare, at=moment(date(2015, 1, 1)))
    report = StatusReport(assignment=assignment, report_date=date(2016, 3, 1), text="Läget.")
    report.attribute(handlaggare, at=moment(date(2016, 3, 1)))
    report.save()
    row = BudgetRow(year=2016, name="Projekt och utredningar", account_class=AccountClass.COSTS,
                    budget=Decimal("3000000"))
    row.save_tracked(user=handlaggare, at=moment(date(2016, 1, 15)), assignments=[assignment])
    row.outcome = Decimal("2500000")
    row.attribute(handlaggare, at=moment(date(2017, 2, 15)))
    row.save()
    assignment.report_status(ks_treatment(date(2017, 3, 1), 65), user=handlaggare,
                             report=report, at=moment(date(2017, 3, 1)))
    client.force_login(politiker)
    url = reverse("assignments:detail", args=[assignment.pk])

    past = visible_text(client.get(url, {"per": "2016-12-31"}))
    now = visible_text(client.get(url))

    assert "2016-03-01 Läget. Ingen bedömning – ej behandlad" in past
    assert "Inga behandlingar registrerade." in past
    assert "Summa 3,0 Mkr –" in past
    assert "2016-03-01 Läget. Ingen bedömning – KS 2017-03-01 § 65" in now
    assert "Summa 3,0 Mkr 2,5 Mkr" in now


def test_the_page_before_the_assignment_existed_is_404(client, politiker, demo):
    client.force_login(politiker)
    assert demo_page(client, "STK-2014-220", per="2014-03-11").status_code == 404


def test_a_malformed_date_is_explained_and_today_is_shown(client, politiker, demo):
    client.force_login(politiker)
    response = demo_page(client, "STK-2014-220", per="31/12/2016")

    assert response.status_code == 200
    text = visible_text(response)
    assert "”31/12/2016” är inget datum. Skriv det som 2016-12-31." in text
    assert "Status avslutad" in text


def test_a_closing_and_its_treatment_appear_the_same_day(handlaggare):
    assignment = make_assignment()
    assignment.close(
        ks_treatment(), outcome=Assignment.Outcome.IMPLEMENTED, user=handlaggare
    )
    kinds = [entry.kind for entry in assignment_timeline(assignment.pk)]
    assert kinds == ["assignment", "treatment", "assignment"]
