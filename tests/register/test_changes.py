"""The changed-since page: status changes, reports, deadline moves and treatments in a period."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assignments.models import Assignment, Meeting, StatusReport, Treatment
from demo.register import moment
from reports import changes as change_selectors
from tests.factories import ks_treatment, make_area, make_unit
from tests.query_counts import assert_queries_do_not_grow

from .reading import visible_text

URL = reverse("reports:changes")


def registered(reference, user, day=date(2015, 1, 1), **fields):
    """An ongoing assignment registered on `day`."""
    assignment = Assignment(
        reference=reference,
        area=make_area(),
        responsible_unit=fields.pop("responsible_unit", None) or make_unit(),
        decided_on=date(2014, 3, 5),
        decision_reference="STK-2013-145",
        **{"title": f"Uppdrag {reference}", "planned_completion": date(2016, 12, 31),
           "planned_completion_is_year": True, **fields},
    )
    assignment.save_tracked(user=user, reason="Registrerat", at=moment(day))
    return assignment


def report_on(assignment, user, meeting, paragraph):
    """A status report, and KS treating it at `meeting`: the status becomes lägesrapport."""
    report = StatusReport(
        assignment=assignment, report_date=meeting - timedelta(days=14), text="Läget just nu."
    )
    report.attribute(user, at=moment(meeting - timedelta(days=14)))
    report.save()
    assignment.report_status(ks_treatment(meeting, paragraph), user=user, report=report,
                             reason="Lägesrapport godkänd", at=moment(meeting, 15))


@pytest.fixture
def period(handlaggare):
    """Status changes before, inside and after 2016-11-01 – 2017-03-31."""
    before = registered("STK-2014-401", handlaggare)
    report_on(before, handlaggare, date(2016, 6, 1), 180)
    inside = registered("STK-2014-402", handlaggare)
    report_on(inside, handlaggare, date(2016, 11, 2), 312)
    closed = registered("STK-2014-403", handlaggare)
    report_on(closed, handlaggare, date(2016, 6, 1), 181)
    closed.close(ks_treatment(date(2017, 3, 1), 65), outcome=Assignment.Outcome.IMPLEMENTED,
                 user=handlaggare, at=moment(date(2017, 3, 1), 15))
    after = registered("STK-2014-404", handlaggare)
    report_on(after, handlaggare, date(2017, 6, 7), 185)
    return {"before": before, "inside": inside, "closed": closed, "after": after}


def table(text, caption, following):
    """The text of one section: from its caption to the next one's."""
    start = text.index(caption)
    ends = [text.index(other, start) for other in following if other in text[start:]]
    return text[start:min(ends, default=len(text))]


SECTIONS = ["Ändrad status", "Nya behandlingar", "Nya lägesrapporter",
            "Flyttade planerade avslut", "Nya uppdrag", "Andra ändringar"]


def section(response, caption):
    text = visible_text(response)
    return table(text, caption, [other for other in SECTIONS if other != caption])


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["politiker", "handlaggare", "administrator"])
def test_every_role_reads_the_page(client, persona, request, period):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(URL, {"sedan": "2016-11-01"})
    assert response.status_code == 200
    assert "STK-2014-404" in visible_text(response)


def test_it_lists_exactly_the_status_changes_between_two_dates(client, politiker, period):
    client.force_login(politiker)
    response = client.get(URL, {"sedan": "2016-11-01", "till": "2017-03-31"})
    status = section(response, "Ändrad status")

    assert "Ändringar registrerade från och med 2016-11-01 till och med 2017-03-31." in (
        visible_text(response)
    )
    assert "STK-2014-402 Uppdrag STK-2014-402 pågående → lägesrapport Motivering: " \
        "Lägesrapport godkänd KS 2016-11-02 § 312 2016-11-02 15:00, Handlaggaren Test" in status
    assert "STK-2014-403 Uppdrag STK-2014-403 lägesrapport → avslutad (genomfört)" in status
    assert "KS 2017-03-01 § 65" in status
    assert "STK-2014-401" not in status
    assert "STK-2014-404" not in status
    assert status.count("→") == 2


def test_each_change_links_to_its_assignment(client, politiker, period):
    client.force_login(politiker)
    page = client.get(URL, {"sedan": "2016-11-01", "till": "2017-03-31"}).content.decode()
    for name in ["inside", "closed"]:
        assert f'href="{reverse("assignments:detail", args=[period[name].pk])}"' in page


def test_the_start_and_end_days_count(client, politiker, period):
    client.force_login(politiker)
    response = client.get(URL, {"sedan": "2016-11-02", "till": "2017-03-01"})
    status = section(response, "Ändrad status")
    assert "STK-2014-402" in status
    assert "STK-2014-403" in status


def test_it_lists_new_reports_treatments_deadline_moves_and_other_changes(
    client, politiker, handlaggare
):
    culture = make_unit("Kulturnämnden")
    assignment = registered("STK-2014-405", handlaggare, responsible_unit=culture)
    report_on(assignment, handlaggare, date(2016, 11, 2), 312)
    assignment.move_deadline(date(2017, 6, 30), user=handlaggare, reason="Remissen dröjde.",
                             at=moment(date(2016, 11, 20)))
    assignment.responsible_unit = make_unit("Fritidsnämnden")
    assignment.save_tracked(user=handlaggare, reason="Ny ansvarsfördelning",
                            at=moment(date(2016, 12, 1)))
    client.force_login(politiker)
    response = client.get(URL, {"sedan": "2016-10-01"})

    assert "KS 2016-11-02 § 312 (lägesrapport)" in section(response, "Nya behandlingar")
    assert "2016-10-19 Läget just nu." in section(response, "Nya lägesrapporter")
    assert "under 2016 → 2017-06-30 Remissen dröjde. 2016-11-20 10:00, Handlaggaren Test" in (
        section(response, "Flyttade planerade avslut")
    )
    other = section(response, "Andra ändringar")
    assert "Ansvarig nämnd/förvaltning: Kulturnämnden → Fritidsnämnden" in other
    assert "Motivering: Ny ansvarsfördelning" in other
    assert "Planerat avslut" not in other
    assert "Status" not in other


def test_new_assignments_are_listed(client, politiker, handlaggare):
    registered("STK-2014-406", handlaggare, day=date(2016, 12, 1))
    client.force_login(politiker)
    response = client.get(URL, {"sedan": "2016-11-01"})
    assert "STK-2014-406 Uppdrag STK-2014-406 2016-12-01 10:00, Handlaggaren Test" in (
        section(response, "Nya uppdrag")
    )


def test_by_default_it_starts_at_the_latest_ks_meeting(client, politiker, period):
    client.force_login(politiker)
    response = client.get(URL)
    text = visible_text(response)

    assert "Ändringar registrerade från och med 2017-06-07 fram till nu." in text
    assert "Perioden börjar med det senaste KS-sammanträdet." in text
    assert "STK-2014-404" in section(response, "Ändrad status")
    assert "STK-2014-402" not in text


def test_a_later_committee_meeting_does_not_move_the_default(client, politiker, period):
    period["inside"].add_treatment(
        Treatment(meeting=Meeting(body=Meeting.Body.KSAU, date=date(2017, 8, 15)), paragraph=3,
                  kind=Treatment.Kind.DECISION),
        user=politiker,
    )
    client.force_login(politiker)
    assert "från och med 2017-06-07" in visible_text(client.get(URL))


def test_without_a_ks_meeting_it_starts_30_days_ago(client, politiker):
    client.force_login(politiker)
    text = visible_text(client.get(URL))
    start = timezone.localdate() - timedelta(days=30)
    assert f"Ändringar registrerade från och med {start:%Y-%m-%d} fram till nu." in text
    assert "Inget KS-sammanträde är registrerat; perioden börjar för 30 dagar sedan." in text
    assert "Inget registrerades under perioden." in text


@pytest.mark.parametrize(
    "params, message",
    [
        ({"sedan": "2 november"}, "Skriv datumet som 2016-11-02."),
        ({"sedan": "2016-11-02", "till": "2016-13-01"}, "Skriv datumet som 2016-11-02."),
        ({"sedan": "2017-03-01", "till": "2016-11-02"}, "Slutdatumet ligger före startdatumet."),
    ],
)
def test_a_malformed_date_is_explained(client, politiker, params, message):
    client.force_login(politiker)
    response = client.get(URL, params)
    assert response.status_code == 200
    text = visible_text(response)
    assert message in text
    assert "Ändringar registrerade" not in text


def many_changes(user, serials):
    """An assignment per serial that gets a report, a status change and a moved deadline."""
    unit = make_unit()
    for number in serials:
        assignment = registered(f"STK-2015-{number + 1}", user, responsible_unit=unit)
        report_on(assignment, user, date(2016, 11, 2), number + 1)
        assignment.move_deadline(date(2017, 6, 30), user=user, reason="Försenat.",
                                 at=moment(date(2016, 11, 20)))


def test_the_page_makes_as_many_queries_for_many_changes_as_for_few(client, politiker):
    client.force_login(politiker)

    response = assert_queries_do_not_grow(
        lambda: client.get(URL), lambda serials: many_changes(politiker, serials)
    )

    assert section(response, "Ändrad status").count("pågående → lägesrapport") == 50


def test_an_end_before_the_default_start_is_explained(client, politiker, period):
    client.force_login(politiker)
    response = client.get(URL, {"till": "2016-01-01"})
    assert response.status_code == 200
    text = visible_text(response)
    assert "Slutdatumet ligger före periodens start, 2017-06-07. Välj också ett startdatum." in text
    assert "Inget registrerades" not in text


# A period larger than a page


@pytest.fixture
def cap_of_three(monkeypatch):
    """A page tells at most three changes of a kind, so that a test can pass the cap."""
    monkeypatch.setattr(change_selectors, "MAX_CHANGES", 3)


def new_assignments(user, serials):
    for number in serials:
        registered(f"STK-2015-{number + 1}", user, day=date(2016, 12, 1))


def test_a_period_with_as_many_changes_as_the_cap_is_shown_in_full(client, politiker, cap_of_three):
    new_assignments(politiker, range(3))
    client.force_login(politiker)
    response = client.get(URL, {"sedan": "2016-11-01"})
    assert section(response, "Nya uppdrag").count("Politikern Test") == 3


def test_a_period_with_more_changes_than_a_page_holds_is_refused_in_words(
    client, politiker, cap_of_three
):
    client.force_login(politiker)
    # The history is read no further than one row past the cap.
    response = assert_queries_do_not_grow(
        lambda: client.get(URL, {"sedan": "2016-11-01"}),
        lambda serials: new_assignments(politiker, serials),
        few=4,
        many=40,
    )
    assert response.status_code == 200
    text = visible_text(response)
    assert ("Fler än 3 ändringar av ett slag registrerades under perioden: för många för en "
            "sida. Välj en kortare period.") in text
    assert "STK-2015-1" not in text
    assert "Inget registrerades" not in text
