"""The handläggare's assessment (bedömning) in a status report, as Stratsys users know it.

Enligt plan / risk för avvikelse / avviker, a motivation required for the last two by
every way in; frozen with its report once treated; the list, the overview and the
compilation tell the latest assessment in words and the list filters by it.
"""

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from assignments.models import Assessment, Assignment, StatusReport
from tests.exports.files import csv_rows
from tests.exports.test_compilation import table_rows
from tests.factories import (
    ks_treatment,
    make_assignment,
    make_closed_assignment,
    make_status_report,
    set_up,
)
from tests.register.test_list import listed, row_html, visible_text

pytestmark = pytest.mark.django_db

LIST = reverse("assignments:list")
OVERVIEW = reverse("reports:overview")
MOTIVATION_NEEDED = "Skriv en kort motivering: bedömningen {} kräver en."


def report_url(assignment):
    return reverse("assignments:add_report", args=[assignment.pk])


def assessed(reference, assessment, motivation="Samrådet drar ut på tiden.", **fields):
    assignment = make_assignment(reference=reference, **fields)
    make_status_report(
        assignment, report_date=date(2016, 10, 1), assessment=assessment,
        assessment_motivation=motivation if assessment != Assessment.ON_TRACK else "",
    )
    return assignment


@pytest.mark.parametrize(
    "assessment, words", [("at_risk", "risk för avvikelse"), ("deviates", "avviker")]
)
def test_the_form_asks_for_a_motivation_of_risk_and_deviation(officer, assessment, words):
    assignment = make_assignment()

    response = officer.post(report_url(assignment), {
        "report_date": "2016-09-30", "text": "Läget.", "assessment": assessment,
        "assessment_motivation": "  ",
    })

    page = response.content.decode()
    assert f'id="id_assessment_motivation_error"><li>{MOTIVATION_NEEDED.format(words)}' in page
    assert not StatusReport.objects.exists()


def test_on_track_needs_no_motivation_and_the_list_says_it_in_words(officer):
    assignment = make_assignment(reference="STK-2014-1")

    officer.post(report_url(assignment), {
        "report_date": "2016-09-30", "text": "Läget.", "assessment": "on_track",
    })

    assert StatusReport.objects.get().assessment == Assessment.ON_TRACK
    assert "Enligt plan" in row_html(officer.get(LIST), "STK-2014-1")


def test_the_admin_asks_for_the_motivation_too(admin_page):
    assignment = make_assignment()

    response = admin_page.post(reverse("admin:assignments_statusreport_add"), {
        "assignment": assignment.pk, "report_date": "2016-09-30", "text": "Via admin.",
        "assessment": "deviates", "assessment_motivation": "", "author": "", "treatment": "",
    })

    assert response.status_code == 200
    assert MOTIVATION_NEEDED.format("avviker") in response.content.decode()
    assert not StatusReport.objects.exists()


def test_the_assessment_is_frozen_with_its_report_once_treated(officer, handlaggare):
    assignment = make_assignment()
    report = make_status_report(assignment, assessment="on_track")
    assignment.report_status(ks_treatment(), user=handlaggare, report=report)

    treated = StatusReport.objects.get(pk=report.pk)
    treated.assessment = Assessment.DEVIATES
    treated.assessment_motivation = "Efterhandskonstruktion."
    with pytest.raises(ValidationError), set_up():
        treated.save()
    assert StatusReport.objects.get(pk=report.pk).assessment == Assessment.ON_TRACK


def test_the_latest_report_gives_the_assignments_assessment(officer):
    assignment = assessed("STK-2014-1", "deviates")
    make_status_report(assignment, report_date=date(2016, 12, 1), assessment="on_track")
    # An older report registered later does not replace the newer one's assessment.
    make_status_report(
        assignment, report_date=date(2016, 11, 1), assessment="at_risk",
        assessment_motivation="Osäker finansiering.",
    )

    assert Assignment.objects.get(pk=assignment.pk).last_assessment == Assessment.ON_TRACK
    assert "Enligt plan" in row_html(officer.get(LIST), "STK-2014-1")


def test_a_report_without_assessment_reads_no_assessment(officer):
    make_status_report(make_assignment(reference="STK-2014-1"))
    make_assignment(reference="STK-2014-2")

    response = officer.get(LIST)

    assert "Ingen bedömning" in row_html(response, "STK-2014-1")
    assert "Ingen bedömning" in row_html(response, "STK-2014-2")


@pytest.mark.parametrize(
    "value, expected",
    [
        ("on_track", ["STK-2014-1"]),
        ("at_risk", ["STK-2014-2"]),
        ("deviates", ["STK-2014-3", "STK-2014-4"]),
        ("none", ["STK-2014-5"]),
        ("at_risk_or_deviates", ["STK-2014-2", "STK-2014-3"]),
    ],
)
def test_the_list_filters_by_the_latest_assessment(officer, value, expected):
    assessed("STK-2014-1", "on_track")
    assessed("STK-2014-2", "at_risk")
    assessed("STK-2014-3", "deviates")
    closed = make_closed_assignment(reference="STK-2014-4")
    with set_up():
        # Registered before closing, as the factory closes at once: written straight.
        StatusReport(
            assignment=closed, report_date=date(2016, 10, 1), text="Läget.",
            assessment="deviates", assessment_motivation="Försenat.",
        ).save()
    make_assignment(reference="STK-2014-5")

    assert listed(officer.get(LIST, {"bedomning": value})) == expected


def test_an_unknown_assessment_in_the_address_is_told_not_ignored(officer):
    assessed("STK-2014-1", "on_track")

    response = officer.get(LIST, {"bedomning": "gron"})

    assert response.status_code == 200
    assert "Välj ett giltigt alternativ." in visible_text(response)


def test_the_overview_lists_open_assignments_at_risk_in_words_with_a_link(client, politiker):
    assessed("STK-2014-1", "on_track")
    assessed("STK-2014-2", "at_risk")
    assessed("STK-2014-3", "deviates")
    client.force_login(politiker)

    html = client.get(OVERVIEW).content.decode()

    start = html.index('id="at-risk-heading"')
    section = html[start:html.index("</section>", start)]
    assert "Risk för avvikelse</h2>" in section
    assert "2 öppna uppdrag bedöms ha risk för avvikelse eller avvika" in section
    assert '<a href="/uppdrag/?bedomning=at_risk_or_deviates">' in section
    assert "STK-2014-1" not in section
    assert "<td>Risk för avvikelse</td>" in section and "<td>Avviker</td>" in section
    # After the overdue list, before the silent ones.
    assert html.index('id="overdue-heading"') < start < html.index('id="stale-heading"')


def test_the_overview_at_a_past_day_reads_the_assessment_then(client, politiker):
    at = timezone.make_aware(datetime(2015, 1, 1, 12))
    assignment = make_assignment(reference="STK-2014-1", at=at)
    make_status_report(
        assignment, report_date=date(2016, 3, 1), assessment="deviates",
        assessment_motivation="Försenat.",
    )
    make_status_report(assignment, report_date=date(2016, 9, 1), assessment="on_track")
    client.force_login(politiker)

    def at_risk_count(day):
        html = client.get(OVERVIEW, {"per": day}).content.decode()
        start = html.index('id="at-risk-heading"')
        return html[start:html.index("</section>", start)]

    assert "1 öppet uppdrag bedöms" in at_risk_count("2016-06-30")
    assert "0 öppna uppdrag bedöms" in at_risk_count("2016-12-31")


def test_the_compilation_tells_each_entrys_assessment_in_words(officer):
    assessed("STK-2014-1", "deviates")
    make_status_report(make_assignment(reference="STK-2014-2"))
    make_assignment(reference="STK-2014-3")

    page = officer.get(reverse("reports:compilation"))

    # The open assignments, due for the meeting or in progress.
    rows = {row[0]: row for key in ("due", "ongoing") for row in table_rows(page, key)}
    assert '<th scope="col">Bedömning</th>' in page.content.decode()
    assert rows["STK-2014-1"][6] == "Avviker"
    assert rows["STK-2014-2"][6] == "Ingen bedömning"
    assert rows["STK-2014-3"][6] == "–"  # no report, nothing assessed


def test_the_export_has_the_latest_assessment_in_words(officer):
    assessed("STK-2014-1", "at_risk")

    rows = csv_rows(officer.get(reverse("assignments:export", args=["csv"])))

    assert rows[0][-1] == "Senaste bedömning"
    assert rows[1][-1] == "Risk för avvikelse"
