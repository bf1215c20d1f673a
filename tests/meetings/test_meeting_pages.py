"""The meetings' pages: the plan by year, what a meeting treated, what is due before one."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assignments.models import Assignment, Meeting
from malmo_ks.history import display_name
from tests.factories import (
    ks_treatment,
    make_assignment,
    make_closed_assignment,
    make_meeting,
    make_unit,
    set_up,
)
from tests.query_counts import assert_queries_do_not_grow
from tests.register.reading import visible_text

pytestmark = pytest.mark.django_db

LIST = reverse("assignments:meetings")


def page_of(meeting):
    return reverse("assignments:meeting", args=[meeting.pk])


def ahead(days):
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def reader(client, politiker):
    client.force_login(politiker)
    return client


def test_the_plan_of_a_year_lists_held_and_planned_meetings_with_links(reader):
    year = timezone.localdate().year
    held = make_meeting(date=date(year, 1, 1), protocol_reference="STK-2026-17")
    planned = make_meeting(Meeting.Body.KSAU, date(year, 12, 31))
    committee = make_meeting(Meeting.Body.COMMITTEE, date(year, 1, 1),
                             committee=make_unit("Kulturnämnden"))
    make_meeting(date=date(2016, 11, 2))
    response = reader.get(LIST)
    text = visible_text(response)
    html = response.content.decode()

    assert f"Sammanträden {year}" in text
    assert f"KS {year}-01-01 hållet STK-2026-17 0" in text
    assert f"Kulturnämnden {year}-01-01 hållet – 0" in text
    if planned.date > timezone.localdate():
        assert f"KSAU {year}-12-31 planerat – 0" in text
    for meeting in (held, planned, committee):
        assert f'href="{page_of(meeting)}"' in html
    assert "2016-11-02" not in text
    assert '<a href="?ar=2016">2016</a>' in html


def test_another_year_is_one_link_away(reader):
    make_meeting(date=date(2016, 11, 2))
    make_meeting(date=date(2017, 3, 1))
    text = visible_text(reader.get(LIST, {"ar": "2016"}))
    assert "Sammanträden 2016" in text
    assert "KS 2016-11-02" in text
    assert "2017-03-01" not in text


@pytest.mark.parametrize("year", ["1999", "abc", "2101"])
def test_an_impossible_year_is_told_not_shown_as_an_empty_plan(reader, year):
    response = reader.get(LIST, {"ar": year})
    assert response.status_code == 200
    text = visible_text(response)
    assert {"1999": "Kontrollera att detta värde är större än eller lika med 2000.",
            "abc": "Fyll i ett heltal.",
            "2101": "Kontrollera att detta värde är mindre än eller lika med 2100."}[year] in text


def test_a_meeting_page_shows_each_treatment_with_its_resulting_status(reader, handlaggare):
    reported = make_assignment(title="Rapporterat")
    reported.report_status(ks_treatment(paragraph=12), user=handlaggare)
    closed = make_closed_assignment(paragraph=14, title="Avslutat")
    decided = make_assignment(title="Beslutat")
    treatment = ks_treatment(paragraph=13)
    treatment.kind = "beslut"
    decided.add_treatment(treatment, user=handlaggare)
    meeting = Meeting.objects.get(body="KS", date=date(2016, 11, 2))

    text = visible_text(reader.get(page_of(meeting)))

    assert "KS 2016-11-02" in text
    assert f"§ 12 {reported.reference} Rapporterat lägesrapport lägesrapport" in text
    assert f"§ 13 {decided.reference} Beslutat beslut oförändrad" in text
    assert f"§ 14 {closed.reference} Avslutat återrapportering avslutad" in text
    # A meeting held: nothing is "due" before it any more.
    assert "Ska vara klart före sammanträdet" not in text


def test_a_planned_meeting_shows_what_is_due_before_it(reader):
    meeting = make_meeting(date=ahead(30))
    due = make_assignment(title="Snart klart", planned_completion=ahead(10))
    make_assignment(title="Senare", planned_completion=ahead(60))
    make_closed_assignment(title="Redan klart", planned_completion=ahead(10))

    text = visible_text(reader.get(page_of(meeting)))

    assert "planerat" in text
    assert "Ska vara klart före sammanträdet" in text
    assert f"1 öppet uppdrag har planerat avslut före {meeting.date:%Y-%m-%d}." in text
    assert f"{due.reference} Snart klart" in text
    assert "Senare" not in text and "Redan klart" not in text
    assert "Inga behandlingar är registrerade vid detta sammanträde." in text


def test_the_year_s_plan_takes_as_many_queries_for_50_meetings_as_for_5(reader):
    def add(serials):
        with set_up():
            for serial in serials:
                Meeting(body=Meeting.Body.KS, date=date(2016, 1, 1) + timedelta(days=serial)
                        ).save_tracked(user=None)

    assert_queries_do_not_grow(lambda: reader.get(LIST, {"ar": "2016"}), add)


def test_a_meeting_page_takes_as_many_queries_for_50_treatments_as_for_5(reader, handlaggare):
    meeting = make_meeting(date=date(2016, 11, 2))

    def add(serials):
        for serial in serials:
            make_assignment().add_treatment(
                ks_treatment(paragraph=serial + 1, kind="beslut"), user=handlaggare)

    assert_queries_do_not_grow(lambda: reader.get(page_of(meeting)), add)


def test_a_planned_meeting_page_takes_as_many_queries_for_50_due_as_for_5(reader):
    meeting = make_meeting(date=ahead(30))

    def add(serials):
        for _serial in serials:
            make_assignment(planned_completion=ahead(5))

    assert_queries_do_not_grow(lambda: reader.get(page_of(meeting)), add)


def test_the_navigation_leads_to_the_meetings(reader):
    html = reader.get(reverse("reports:overview")).content.decode()
    assert f'<a href="{LIST}">Sammanträden</a>' in html


def test_a_politician_sees_no_way_to_change_the_plan(reader):
    html = reader.get(LIST).content.decode()
    assert reverse("assignments:create_meeting") not in html
    assert reverse("imports:meeting_plan") not in html


# Adding a meeting by hand


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


NEW = reverse("assignments:create_meeting")


def test_an_administrator_adds_a_planned_meeting_with_its_history(admin_client, administrator):
    day = ahead(100)
    response = admin_client.post(
        NEW, {"body": "KS", "date": day.isoformat(), "protocol_reference": "", "reason": "Plan"},
        follow=True,
    )
    meeting = Meeting.objects.get()
    assert (meeting.body, meeting.date) == ("KS", day)
    assert f"Sammanträdet KS {day:%Y-%m-%d} har lagts till i sammanträdesplanen." in visible_text(
        response)
    record = meeting.history.get()
    assert (record.history_user_name, record.history_change_reason) == (
        display_name(administrator), "Plan")


def test_a_second_ks_meeting_on_the_same_day_is_refused_next_to_the_form(admin_client):
    make_meeting(date=date(2016, 11, 2))
    response = admin_client.post(NEW, {"body": "KS", "date": "2016-11-02", "reason": ""})
    assert response.status_code == 200
    assert "Organet har redan ett sammanträde detta datum." in visible_text(response)
    assert Meeting.objects.count() == 1


def test_two_committees_may_meet_on_the_same_day_but_one_only_once(admin_client):
    culture, school = make_unit("Kulturnämnden"), make_unit("Grundskolenämnden")
    make_meeting(Meeting.Body.COMMITTEE, date(2016, 11, 2), committee=culture)

    other = admin_client.post(NEW, {"body": "namnd", "committee": school.pk,
                                    "date": "2016-11-02", "reason": ""})
    again = admin_client.post(NEW, {"body": "namnd", "committee": culture.pk,
                                    "date": "2016-11-02", "reason": ""})

    assert other.status_code == 302
    assert "Nämnden har redan ett sammanträde detta datum." in visible_text(again)
    assert Meeting.objects.count() == 2


def test_a_committee_meeting_must_name_the_committee(admin_client):
    response = admin_client.post(NEW, {"body": "namnd", "date": "2016-11-02", "reason": ""})
    assert "Ange nämnd när organet är en nämnd, och bara då." in visible_text(response)
    assert not Meeting.objects.exists()


def test_a_date_outside_the_register_s_era_is_refused(admin_client):
    response = admin_client.post(NEW, {"body": "KS", "date": "2101-01-01", "reason": ""})
    assert "Skriv ett datum från 2000-01-01 till och med 2100-12-31." in visible_text(response)
    assert not Meeting.objects.exists()


def test_a_case_officer_may_not_change_the_plan(client, handlaggare):
    client.force_login(handlaggare)
    response = client.post(NEW, {"body": "KS", "date": "2016-11-02", "reason": ""})
    assert response.status_code == 403
    assert not Meeting.objects.exists()


def test_the_overdue_rule_of_the_list_is_the_due_rule_of_the_meeting(reader):
    """One rule: an assignment overdue on the meeting's day is due before it."""
    meeting = make_meeting(date=ahead(30))
    make_assignment(planned_completion=ahead(29))
    make_assignment(planned_completion=ahead(30))
    text = visible_text(reader.get(page_of(meeting)))
    assert f"1 öppet uppdrag har planerat avslut före {meeting.date:%Y-%m-%d}." in text
    assert Assignment.objects.count() == 2


def test_a_meeting_added_in_the_admin_is_in_the_history_with_who_and_why(
    admin_client, administrator
):
    response = admin_client.post(reverse("admin:assignments_meeting_add"), {
        "body": "KF", "committee": "", "date": "2016-11-28", "protocol_reference": "",
    })
    assert response.status_code == 302
    record = Meeting.objects.get().history.get()
    assert (record.history_user_name, record.history_change_reason) == (
        display_name(administrator), "Tillagt i administrationen")


def test_the_admin_cannot_move_a_meeting_that_treated_something_into_the_future(
    admin_client, handlaggare
):
    make_assignment().add_treatment(ks_treatment(kind="beslut"), user=handlaggare)
    meeting = Meeting.objects.get()

    response = admin_client.post(reverse("admin:assignments_meeting_change", args=[meeting.pk]), {
        "body": "KS", "committee": "", "date": ahead(7).isoformat(), "protocol_reference": "",
    })

    assert ("Behandlingar är registrerade vid detta sammanträde, så det har hållits: dess "
            "datum kan inte vara efter i dag.") in visible_text(response)
    meeting.refresh_from_db()
    assert meeting.date == date(2016, 11, 2)
