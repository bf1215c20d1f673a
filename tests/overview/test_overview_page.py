"""The overview (`/`): counts by status at a day, breakdowns, lists and what changed."""

import re
from datetime import date, datetime, timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertInHTML

from assignments.models import Assignment
from reports.changes import changes_between, count_changes
from tests.factories import (
    ks_treatment,
    make_area,
    make_assignment,
    make_status_report,
    make_unit,
)
from tests.query_counts import assert_queries_do_not_grow
from tests.register.test_list import shown_count

URL = reverse("reports:overview")


def assert_shows_count(html, label, status, count, per=None):
    """The page shows `count` for the status, linked to the list behind it."""
    query = f"status={status}" + (f"&amp;per={per}" if per else "")
    row = (
        f'<tr><th scope="row"><span class="badge badge-{status}">{label}</span></th>'
        f'<td class="number"><a href="/uppdrag/?{query}">{count}</a></td></tr>'
    )
    assertInHTML(row, html)


def test_at_the_end_of_2016_it_shows_19_closed_8_reported_4_ongoing(client, politiker, demo):
    client.force_login(politiker)
    response = client.get(URL, {"per": "2016-12-31"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Uppdrag per status vid slutet av 2016-12-31" in html
    assert "visar registret som det såg ut vid slutet av 2016-12-31" in html
    for label, status, count in [
        ("avslutad", "avslutad", 19),
        ("lägesrapport", "lagesrapport", 8),
        ("pågående", "pagaende", 4),
    ]:
        assert_shows_count(html, label, status, count, per="2016-12-31")
    assert '<a href="/uppdrag/?per=2016-12-31">31</a>' in html


def test_in_mid_2015_it_shows_4_closed_5_reported_22_ongoing(client, politiker, demo):
    # The demo's plans (demo.register): by KS 2015-06-03 four assignments were
    # closed, and five had had a status report treated, one of them in 2014.
    client.force_login(politiker)
    html = client.get(URL, {"per": "2015-06-30"}).content.decode()
    assert_shows_count(html, "avslutad", "avslutad", 4, per="2015-06-30")
    assert_shows_count(html, "lägesrapport", "lagesrapport", 5, per="2015-06-30")
    assert_shows_count(html, "pågående", "pagaende", 22, per="2015-06-30")


def test_today_it_shows_the_current_counts_without_a_past_notice(client, politiker, demo):
    client.force_login(politiker)
    html = client.get(URL).content.decode()
    assert "Uppdrag per status i dag" in html
    assert "Historiskt läge" not in html
    assert_shows_count(html, "avslutad", "avslutad", 24)
    assert_shows_count(html, "lägesrapport", "lagesrapport", 5)
    assert_shows_count(html, "pågående", "pagaende", 2)


def test_an_empty_register_shows_zeros_and_says_there_is_nothing_yet(client, politiker):
    client.force_login(politiker)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Det finns inga uppdrag i registret ännu." in html
    for status in Assignment.Status:
        assert_shows_count(html, status.label, status.value, 0)
    assert "Inget KS-sammanträde i sammanträdesplanen har hållits ännu." in html
    assert "0 öppna uppdrag har passerat sitt planerade avslut." in html


def test_a_day_before_the_first_assignment_shows_zeros_and_no_quarters(client, politiker, demo):
    client.force_login(politiker)
    html = client.get(URL, {"per": "2013-01-01"}).content.decode()
    assert "Det fanns inga uppdrag i registret vid slutet av 2013-01-01." in html
    assert_shows_count(html, "avslutad", "avslutad", 0, per="2013-01-01")
    assert "Inget kvartal sedan uppdragen gavs 2014 hade hunnit ta slut denna dag." in html
    assert "Inget KS-sammanträde i sammanträdesplanen har hållits ännu." in html


def test_a_malformed_date_is_a_message_not_an_error(client, politiker):
    client.force_login(politiker)
    response = client.get(URL, {"per": "2016-13-45"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "”2016-13-45” är inget datum. Skriv det som 2016-12-31." in html
    assert "Uppdrag per status i dag" in html


def test_a_bad_number_of_months_is_a_message_and_the_default_is_used(client, politiker):
    client.force_login(politiker)
    html = client.get(URL, {"utan_rapport": "tolv"}).content.decode()
    assert "”tolv” är inte ett antal månader från 1 till 120; visar 6." in html
    assert "Ingen lägesrapport de senaste 6 månaderna" in html


def breakdown_row(html, name):
    """The counts a row of a breakdown table shows: per status, then the total."""
    row = re.search(rf'<tr><th scope="row">{re.escape(name)}</th>(.*?)</tr>', html)
    return [int(count) for count in re.findall(r">(\d+)</a></td>", row[1])]


def test_every_area_and_unit_is_listed_with_links_to_its_filtered_list(client, politiker, demo):
    # By the demo's plans: area 1 holds four real assignments and two fictional
    # ones, one of which (STK-2014-224) was still at lägesrapport; stadskontoret's
    # fifteen were all closed by the end of 2016.
    client.force_login(politiker)
    html = client.get(URL, {"per": "2016-12-31"}).content.decode()
    by_area = section(html, "by-area-heading")
    assert breakdown_row(by_area, "1. Barn och ungas vardagsvillkor") == [0, 1, 5, 6]
    assert breakdown_row(by_area, "2. Boendemiljö och stadsplanering") == [0, 2, 1, 3]
    assert f"/uppdrag/?status=avslutad&amp;omrade={make_area(1).pk}&amp;per=2016-12-31" in by_area
    by_unit = section(html, "by-unit-heading")
    assert breakdown_row(by_unit, "Stadskontoret") == [0, 0, 15, 15]
    assert "/uppdrag/?status=avslutad&amp;enhet=" in by_unit


def test_the_lists_show_overdue_stale_and_soon_due_assignments(client, handlaggare):
    today = timezone.localdate()
    long_ago, lately = today - timedelta(days=400), today - timedelta(days=20)
    overdue = make_assignment(
        title="Försenat uppdrag", planned_completion=today - timedelta(days=1), decided_on=long_ago
    )
    due_soon = make_assignment(
        title="Snart klart uppdrag", planned_completion=today + timedelta(days=30),
        decided_on=lately,
    )
    make_assignment(
        title="Avlägset uppdrag", planned_completion=today + timedelta(days=300), decided_on=lately
    )
    client.force_login(handlaggare)
    html = client.get(URL).content.decode()
    overdue_section = section(html, "overdue-heading")
    assert "Försenat uppdrag" in overdue_section
    assert "1 öppet uppdrag har passerat sitt planerade avslut." in overdue_section
    assert '<a href="/uppdrag/?forsenade=ja">' in overdue_section
    stale_section = section(html, "stale-heading")
    assert "Försenat uppdrag" in stale_section  # given 400 days ago, never reported
    assert "Snart klart uppdrag" not in stale_section  # too new to have reported
    assert '<a href="/uppdrag/?utan_rapport=6">' in stale_section
    soon_section = section(html, "due-soon-heading")
    assert "Snart klart uppdrag" in soon_section
    assert "Avlägset uppdrag" not in soon_section
    assert f'href="/uppdrag/{due_soon.pk}/"' in soon_section
    assert f'href="/uppdrag/{overdue.pk}/"' in overdue_section


def test_each_count_on_the_page_links_to_a_list_of_as_many_assignments(
    client, politiker, demo
):
    client.force_login(politiker)
    html = client.get(URL, {"per": "2016-12-31"}).content.decode()
    # Each figure of the status, area and unit tables is a link to its list.
    links = re.findall(r'<td class="number"><a href="([^"]+)">(\d+)</a></td>', html)
    # The overdue and silent sections say their number, then link to the list.
    for heading in ("overdue-heading", "stale-heading"):
        said = re.search(r"<p>(\d+) öppn.*?<a href=\"([^\"]+)\">Visa dem i listan</a>",
                         section(html, heading))
        links.append((said[2], said[1]))
    assert len(links) > 30
    for url, count in links:
        assert shown_count(client.get(unescape(url))) == int(count), url


def test_changes_since_the_last_ks_meeting_link_to_the_changes_page(client, politiker, demo):
    client.force_login(politiker)
    html = client.get(URL, {"per": "2016-12-31"}).content.decode()
    changes = section(html, "changes-heading")
    assert "Senaste KS-sammanträdet i sammanträdesplanen hölls 2016-11-02." in changes
    # By the demo's plans: at KS 2016-11-02 two assignments were closed and two
    # reported on, with reports dated 2016-11-01; on 2016-11-15 four deadlines moved.
    assert re.findall(r"<li>([^<]*)</li>", changes) == [
        "4 statusändringar", "0 nya lägesrapporter", "4 flyttade planerade avslut",
    ]
    assert '<a href="/uppdrag/forandringar/?sedan=2016-11-02&amp;till=2016-12-31">' in changes


def test_two_records_at_the_same_instant_count_as_the_changes_page_lists_them(handlaggare):
    """A status report and an edit registered at one instant (an import of old minutes):
    one status change, as on the changes page, not two."""
    at = timezone.make_aware(datetime(2016, 11, 2, 12))
    assignment = make_assignment(at=at - timedelta(days=30))
    assignment.report_status(ks_treatment(), user=handlaggare, reason="KS", at=at)
    assignment.title = "Ny titel"
    assignment.save_tracked(user=handlaggare, reason="Rättad titel", at=at)

    listed = changes_between(date(2016, 11, 1), date(2016, 11, 30))
    assert len(listed.status_changes) == 1
    assert count_changes(date(2016, 11, 1), date(2016, 11, 30)).status_changes == 1


def test_the_change_counts_agree_with_the_changes_page(demo):
    start, end = date(2015, 1, 1), date(2017, 12, 31)
    summary = count_changes(start, end)
    listed = changes_between(start, end)
    assert (summary.status_changes, summary.new_reports, summary.deadline_moves) == (
        len(listed.status_changes), len(listed.new_reports), len(listed.deadline_moves)
    )
    assert summary.status_changes > 20 and summary.deadline_moves > 20


def test_the_charts_have_a_text_alternative_and_the_same_numbers_in_a_table(
    client, politiker, demo
):
    client.force_login(politiker)
    html = client.get(URL, {"per": "2016-12-31"}).content.decode()
    assert html.count('role="img"') == 3
    title = "Uppdrag per status vid slutet av varje kvartal"
    assert f'<title id="status-over-time-title">{title}</title>' in html
    assert "Vid slutet av 2016 kv. 4: 4 pågående, 8 lägesrapport, 19 avslutad." in html
    assert "2016 kv. 4" in section(html, "over-time-heading").split("<table>")[1]
    assert "style=" not in html and "<script" not in html


def test_the_unit_chart_draws_a_bar_per_unit_with_its_counts_and_total(
    client, politiker, handlaggare
):
    unit = make_unit("Fritid <& kultur>")
    for _ in range(3):
        make_assignment(responsible_unit=unit)
    make_assignment(responsible_unit=unit).close(
        ks_treatment(), outcome=Assignment.Outcome.IMPLEMENTED, user=handlaggare, reason="Klart"
    )
    client.force_login(politiker)

    html = client.get(URL).content.decode()
    chart = html[html.index('id="by-unit-title"'):]
    chart = chart[:chart.index("</svg>")]

    assert ">Fritid &lt;&amp; kultur&gt;</text>" in chart
    # A segment per status with assignments, each with its count written on it...
    assert re.findall(r'fill="url\(#by-unit-(\w+)\)"', chart.split("</text>", 4)[-1]) == [
        "pagaende", "avslutad"
    ]
    assert re.findall(r'paint-order="stroke">(\d+)</text>', chart) == ["3", "1"]
    # ...and the total at the bar's end.
    assert re.search(r'<text x="[\d.]+" y="[\d.]+" fill="#1b1b1b">4</text>', chart)


def section(html, heading_id):
    """The HTML of the section labelled by `heading_id`."""
    start = html.index(f'aria-labelledby="{heading_id}"')
    return html[start:html.index("</section>", start)]


@pytest.mark.parametrize("user_fixture", ["politiker", "handlaggare", "administrator"])
def test_every_role_sees_the_overview(client, request, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    response = client.get(URL)
    assert response.status_code == 200
    assert "<h1>Översikt</h1>" in response.content.decode()


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def _register_of(serials, *, user, at):
    """An assignment per serial given at `at`, every fifth reported at KS, so that every
    list and section of the page has rows to show."""
    unit, area = make_unit(), make_area(3)
    for serial in serials:
        assignment = Assignment(
            reference=f"STK-2015-{serial + 1}", title=f"Frågeräkneuppdrag {serial + 1}",
            decided_on=at.date(), decision_reference="STK-2013-145",
            planned_completion=date(2015, 12, 31), area=area, responsible_unit=unit,
        )
        assignment.save_tracked(user=user, reason="Test", at=at)
        if serial % 5 == 0:
            assignment.report_status(
                ks_treatment(meeting_date=at.date(), paragraph=serial + 1), user=user,
                reason="Test", at=at + timedelta(hours=1),
            )


@pytest.mark.parametrize("per", [None, "2016-12-31"], ids=["today", "a past day"])
def test_the_query_count_is_the_same_with_10_and_200_assignments(
    client, politiker, handlaggare, per
):
    given = timezone.make_aware(datetime(2015, 3, 2, 10))
    client.force_login(politiker)
    params = {"per": per} if per else {}
    response = assert_queries_do_not_grow(
        lambda: client.get(URL, params),
        lambda serials: _register_of(serials, user=handlaggare, at=given),
        few=10,
        many=200,
    )
    html = response.content.decode()
    assert_shows_count(html, "pågående", "pagaende", 160, per=per)
    assert_shows_count(html, "lägesrapport", "lagesrapport", 40, per=per)


def test_the_stale_list_puts_the_never_reported_first_and_counts_them_all(client, politiker):
    """At a past day: reports dated after it do not count, the longest silent come first,
    and the count above the list is the number of rows behind it."""
    at = timezone.make_aware(datetime(2015, 1, 1, 12))
    by_reference = {
        reference: make_assignment(reference=reference, at=at, **fields)
        for reference, fields in [
            ("TST-2014-101", {"planned_completion": date(2017, 2, 1)}),
            ("TST-2014-102", {}),
            ("TST-2014-103", {}),
            ("TST-2014-104", {}),
            ("TST-2014-105", {"planned_completion": date(2017, 6, 30)}),
        ]
    }
    make_status_report(by_reference["TST-2014-101"], report_date=date(2016, 3, 1))
    make_status_report(by_reference["TST-2014-101"], report_date=date(2015, 5, 1))
    make_status_report(by_reference["TST-2014-102"], report_date=date(2015, 1, 10))
    make_status_report(by_reference["TST-2014-104"], report_date=date(2016, 10, 1))  # recent
    make_status_report(by_reference["TST-2014-105"], report_date=date(2017, 2, 1))  # later
    client.force_login(politiker)
    html = client.get(URL, {"per": "2016-12-31"}).content.decode()

    stale_section = section(html, "stale-heading")
    rows = re.findall(r">(TST-2014-\d+)</a></td>.*?<td>([^<]*)</td>\s*</tr>", stale_section, re.S)
    assert rows == [
        ("TST-2014-103", "ingen"),
        ("TST-2014-105", "ingen"),
        ("TST-2014-102", "2015-01-10"),
        ("TST-2014-101", "2016-03-01"),
    ]
    assert "4 öppna uppdrag saknar lägesrapport under perioden." in stale_section
    soon_section = section(html, "due-soon-heading")
    assert "1 öppet uppdrag planeras bli klart inom 90 dagar." in soon_section
    assert "TST-2014-101" in soon_section and "TST-2014-105" not in soon_section
    overdue_section = section(html, "overdue-heading")
    assert "3 öppna uppdrag har passerat sitt planerade avslut." in overdue_section
