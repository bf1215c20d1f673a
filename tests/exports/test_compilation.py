"""The compilation for KS: what changed, what is due, what is in progress, what is closed; as XLSX."""

import html
import re
from datetime import date, datetime

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from assignments.daily_counts import rebuild_daily_counts
from assignments.models import Assignment, DailyStatusCount, Meeting, StatusReport, Treatment
from demo.register import moment
from reports import changes as change_selectors
from reports import compilation
from tests.factories import ks_treatment, make_meeting, make_unit
from tests.query_counts import assert_queries_do_not_grow, assert_same_number, queries_made
from tests.register.reading import body_rows, visible_text
from tests.register.test_changes import registered, report_on

from .files import header, sheet_rows, workbook

URL = reverse("reports:compilation")
XLSX_URL = reverse("reports:compilation_xlsx")
PDF_URL = reverse("reports:compilation_pdf")
DOCX_URL = reverse("reports:compilation_docx")
FILE_URLS = [XLSX_URL, PDF_URL, DOCX_URL]
DUE_HEADING = "Planerat avslut till detta sammanträde"
PERIOD = {"per": "2016-12-31", "jamfor": "2016-06-30"}
LONG_REPORT = "Arbetet pågår enligt plan. " * 20  # 540 characters


@pytest.fixture
def period(handlaggare):
    """Assignments whose status changed before, inside and after 2016-07-01 – 2016-12-31."""
    unit = make_unit("Kulturnämnden")
    earlier = registered("STK-2014-401", handlaggare, responsible_unit=unit)
    report_on(earlier, handlaggare, date(2016, 6, 1), 180)
    later_report = StatusReport(
        assignment=earlier, report_date=date(2016, 10, 3), text=LONG_REPORT
    )
    later_report.attribute(handlaggare, at=moment(date(2016, 10, 3)))
    later_report.save()
    earlier.move_deadline(date(2017, 6, 30), user=handlaggare, reason="Remissen dröjde.",
                          at=moment(date(2016, 10, 5)))
    reported = registered("STK-2014-402", handlaggare, responsible_unit=unit)
    report_on(reported, handlaggare, date(2016, 11, 2), 312)
    closed = registered("STK-2014-403", handlaggare, responsible_unit=unit)
    report_on(closed, handlaggare, date(2016, 6, 1), 181)
    closed.close(ks_treatment(date(2016, 11, 2), 313), outcome=Assignment.Outcome.IMPLEMENTED,
                 user=handlaggare, at=moment(date(2016, 11, 2), 15))
    on_the_day = registered("STK-2014-404", handlaggare, responsible_unit=unit)
    on_the_day.close(ks_treatment(date(2016, 6, 30), 200),
                     outcome=Assignment.Outcome.NOT_IMPLEMENTED, user=handlaggare,
                     at=moment(date(2016, 6, 30), 15))
    after = registered("STK-2014-405", handlaggare, responsible_unit=unit)
    report_on(after, handlaggare, date(2017, 3, 1), 65)
    registered("STK-2016-406", handlaggare, day=date(2016, 9, 1), responsible_unit=unit)
    return {"earlier": earlier, "closed": closed}


@pytest.fixture
def politician_client(client, politiker):
    client.force_login(politiker)
    return client


def table_rows(response, table_id):
    """The visible text of each body row of one table, cell by cell."""
    page = response.content.decode()
    table = re.search(rf'<table[^>]* id="{table_id}">(.*?)</table>', page, re.DOTALL)
    if table is None:
        return []
    return body_rows(table[1])


def references(rows):
    return [row[0] for row in rows]


# Access


@pytest.mark.parametrize("url", [URL, *FILE_URLS])
def test_anonymous_visitors_are_sent_to_the_login_page(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/konto/logga-in/?next={url}"


@pytest.mark.parametrize("url", [URL, *FILE_URLS])
def test_an_account_without_a_role_gets_403(client, django_user_model, url):
    client.force_login(django_user_model.objects.create_user("utan-roll"))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("persona", ["politiker", "handlaggare", "administrator"])
def test_everyone_who_reads_the_register_sees_the_compilation(client, period, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(URL, PERIOD)
    assert response.status_code == 200
    assert "Sammanställning av utredningsuppdrag" in visible_text(response)
    for url in FILE_URLS:
        assert client.get(url, PERIOD).status_code == 200


# The register at the day


def test_it_counts_the_assignments_by_their_status_at_the_day(politician_client, period):
    text = visible_text(politician_client.get(URL, PERIOD))
    assert "Registret som det såg ut vid slutet av 2016-12-31." in text
    assert "pågående 2 lägesrapport 2 avslutad 2" in text


def test_the_open_assignments_due_since_the_previous_compilation_are_due_for_this_meeting(
    politician_client, period
):
    response = politician_client.get(URL, PERIOD)
    text = visible_text(response)
    assert (f"{DUE_HEADING} (3) Uppdrag som inte är avslutade och vars planerade avslut "
            "infaller efter 2016-06-30 och senast 2016-12-31.") in text
    due = table_rows(response, "due")
    assert references(due) == ["STK-2014-402", "STK-2014-405", "STK-2016-406"]
    assert [row[2] for row in due] == ["lägesrapport", "pågående", "pågående"]


def test_the_other_open_assignments_are_in_progress(politician_client, period):
    response = politician_client.get(URL, PERIOD)
    assert "Uppdrag under arbete (1) Övriga uppdrag som inte är avslutade." in (
        visible_text(response)
    )
    # Its planned completion moved to 2017-06-30: not due at this meeting.
    assert references(table_rows(response, "ongoing")) == ["STK-2014-401"]


def test_the_closed_assignments_are_told_one_line_each(politician_client, period):
    response = politician_client.get(URL, PERIOD)
    assert "Avslutade uppdrag (2)" in visible_text(response)
    assert table_rows(response, "closed") == [
        ["STK-2014-403", "Uppdrag STK-2014-403", "genomfört", "KS 2016-11-02 § 313"],
        ["STK-2014-404", "Uppdrag STK-2014-404", "ej genomfört", "KS 2016-06-30 § 200"],
    ]


def test_an_assignment_without_a_planned_completion_is_in_progress_and_not_overdue(
    politician_client, period, handlaggare
):
    registered("STK-2014-407", handlaggare, planned_completion=None,
               planned_completion_is_year=False)
    response = politician_client.get(URL, LATER)
    ongoing = {row[0]: row for row in table_rows(response, "ongoing")}
    assert ongoing["STK-2014-407"][-1] == "–"
    assert "STK-2014-407" not in references(table_rows(response, "due"))


def test_each_assignment_shows_unit_latest_treatment_report_and_planned_completion(
    politician_client, period
):
    response = politician_client.get(URL, PERIOD)
    summary = LONG_REPORT[:299].rstrip()
    assert table_rows(response, "ongoing") == [[
        "STK-2014-401", "Uppdrag STK-2014-401", "lägesrapport", "Kulturnämnden",
        "KS 2016-06-01 § 180", f"2016-10-03: {summary}…", "Ingen bedömning", "2017-06-30",
    ]]
    due = {row[0]: row for row in table_rows(response, "due")}
    assert due["STK-2014-402"][4:] == [
        "KS 2016-11-02 § 312", "2016-10-19: Läget just nu.", "Ingen bedömning", "under 2016"
    ]
    assert due["STK-2014-405"][4:] == ["–", "–", "–", "under 2016"]


def test_a_treatment_by_a_committee_is_named_by_the_committee(
    politician_client, period, handlaggare
):
    treatment = Treatment(
        assignment=period["earlier"], kind=Treatment.Kind.DECISION, paragraph=45,
        meeting=make_meeting(Meeting.Body.COMMITTEE, date(2016, 12, 1),
                             committee=make_unit("Grundskolenämnden")),
    )
    treatment.attribute(handlaggare, at=moment(date(2016, 12, 1), 15))
    treatment.save()
    ongoing = {row[0]: row for row in table_rows(politician_client.get(URL, PERIOD), "ongoing")}
    assert ongoing["STK-2014-401"][4] == "Grundskolenämnden 2016-12-01 § 45"


def test_each_assignment_links_to_its_page_at_the_same_day(politician_client, period):
    page = politician_client.get(URL, PERIOD).content.decode()
    detail = reverse("assignments:detail", args=[period["closed"].pk])
    assert f'<a href="{detail}?per=2016-12-31">STK-2014-403</a>' in page


def test_markup_in_a_title_or_a_unit_is_text_on_the_compilation_page(
    politician_client, handlaggare
):
    registered("STK-2014-408", handlaggare, title="<script>alert(1)</script> & mer",
               responsible_unit=make_unit("Nämnden <b>för</b> 'fritid'"))
    response = politician_client.get(URL, PERIOD)
    page = response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; mer" in page
    assert "Nämnden &lt;b&gt;för&lt;/b&gt; &#x27;fritid&#x27;" in page
    assert "<script>alert" not in page and "<b>för" not in page
    due = {row[0]: row for row in table_rows(response, "due")}
    assert due["STK-2014-408"][1:4] == [
        "<script>alert(1)</script> & mer", "pågående", "Nämnden <b>för</b> 'fritid'"
    ]


def test_an_earlier_day_shows_the_register_as_it_stood_then(politician_client, period):
    response = politician_client.get(URL, {"per": "2016-06-30", "jamfor": "2016-01-01"})
    assert "pågående 2 lägesrapport 2 avslutad 1" in visible_text(response)
    # Every planned completion was "under 2016", none due by 2016-06-30.
    assert table_rows(response, "due") == []
    ongoing = table_rows(response, "ongoing")
    assert [row[:3] for row in ongoing] == [
        ["STK-2014-401", "Uppdrag STK-2014-401", "lägesrapport"],
        ["STK-2014-402", "Uppdrag STK-2014-402", "pågående"],
        ["STK-2014-403", "Uppdrag STK-2014-403", "lägesrapport"],
        ["STK-2014-405", "Uppdrag STK-2014-405", "pågående"],
    ]
    assert ongoing[0][5:] == ["2016-05-18: Läget just nu.", "Ingen bedömning", "under 2016"]
    assert references(table_rows(response, "closed")) == ["STK-2014-404"]
    assert "STK-2016-406" not in visible_text(response)


# What changed


def test_it_lists_exactly_the_status_changes_between_the_two_dates(politician_client, period):
    response = politician_client.get(URL, PERIOD)
    text = visible_text(response)
    assert "Förändringar sedan föregående sammanställning" in text
    assert "registrerade från och med 2016-07-01 till och med 2016-12-31" in text
    status_changes = [
        row for row in table_rows(response, "changes") if row[1] == "Ändrad status"
    ]
    assert status_changes == [
        ["STK-2014-402 Uppdrag STK-2014-402", "Ändrad status", "pågående", "lägesrapport",
         "KS 2016-11-02 § 312", "2016-11-02"],
        ["STK-2014-403 Uppdrag STK-2014-403", "Ändrad status", "lägesrapport", "avslutad",
         "KS 2016-11-02 § 313", "2016-11-02"],
    ]


def test_it_lists_moved_planned_completions_and_new_assignments_too(politician_client, period):
    rows = table_rows(politician_client.get(URL, PERIOD), "changes")
    assert [row[1] for row in rows] == [
        "Nytt uppdrag", "Flyttat planerat avslut", "Ändrad status", "Ändrad status"
    ]
    assert rows[0][0] == "STK-2016-406 Uppdrag STK-2016-406"
    assert rows[1] == ["STK-2014-401 Uppdrag STK-2014-401", "Flyttat planerat avslut",
                       "under 2016", "2017-06-30", "Remissen dröjde.", "2016-10-05"]


def test_a_period_without_changes_says_so(politician_client, period):
    response = politician_client.get(URL, {"per": "2016-08-31", "jamfor": "2016-07-31"})
    assert table_rows(response, "changes") == []
    assert "Inget ändrades under perioden." in visible_text(response)


def test_by_default_it_shows_today_against_the_latest_ks_meeting(politician_client, period):
    response = politician_client.get(URL)
    text = visible_text(response)
    today = timezone.localdate().isoformat()
    assert f"Registret som det såg ut vid slutet av {today}." in text
    assert "Förändringarna räknas efter sammanställningen per 2017-03-01." in text
    assert "pågående 1 lägesrapport 3 avslutad 2" in text
    # Due after that meeting: only the deadline moved to 2017-06-30.
    assert references(table_rows(response, "due")) == ["STK-2014-401"]
    assert references(table_rows(response, "ongoing")) == [
        "STK-2014-402", "STK-2014-405", "STK-2016-406"
    ]
    assert table_rows(response, "changes") == []  # nothing after the latest meeting


def test_without_jamfor_it_compares_with_the_ks_meeting_before_the_day(politician_client, period):
    response = politician_client.get(URL, {"per": "2016-11-02"})
    assert "Förändringarna räknas efter sammanställningen per 2016-06-30." in (
        visible_text(response)
    )
    kinds = [row[1] for row in table_rows(response, "changes")]
    assert kinds.count("Ändrad status") == 2


@pytest.mark.parametrize(
    "params, message",
    [
        ({"per": "31 december"}, "Skriv datumet som 2016-11-02."),
        ({"per": "2016-12-31", "jamfor": "2016-13-01"}, "Skriv datumet som 2016-11-02."),
        ({"per": "2016-06-30", "jamfor": "2016-12-31"}, "Jämför med en dag före 2016-06-30."),
        ({"per": "2099-01-01"}, "Sammanställningen kan inte visa en dag efter i dag."),
        ({"per": "2999-01-01"}, "Skriv ett datum från 2000-01-01 till och med 2100-12-31."),
    ],
)
def test_dates_it_cannot_use_are_explained_in_swedish(politician_client, period, params, message):
    response = politician_client.get(URL, params)
    assert response.status_code == 200
    text = visible_text(response)
    assert message in text
    assert "Förändringar sedan" not in text
    for url in FILE_URLS:
        download = politician_client.get(url, params)
        assert download.status_code == 400
        assert download["Content-Type"] == "text/plain; charset=utf-8"
        assert message in download.content.decode()
        assert "Sammanställningen gjordes inte." in download.content.decode()


# Print and download


def test_the_page_prints_on_a4_with_a_page_per_section_and_no_navigation(
    politician_client, period
):
    page = politician_client.get(URL, PERIOD).content.decode()
    assert '<link rel="stylesheet" href="/static/css/print.css" media="print">' in page
    assert page.count('<section class="compilation-section"') == 4
    with open(finders.find("css/print.css"), encoding="utf-8") as stylesheet:
        css = stylesheet.read()
    assert "size: A4" in css
    assert ".compilation-section + .compilation-section { break-before: page; }" in css
    assert re.search(r"\.site-nav, [^{]*\{ display: none !important; \}", css)


def test_the_page_offers_the_same_compilation_as_pdf_word_and_excel(politician_client, period):
    page = politician_client.get(URL, {"per": "2016-12-31"}).content.decode()
    query = "?per=2016-12-31&amp;jamfor=2016-11-02"
    for link in (
        f'<a href="/sammanstallning/sammanstallning.pdf{query}" download>Ladda ned som PDF/A</a>',
        f'<a href="/sammanstallning/sammanstallning.docx{query}" download>Ladda ned som Word</a>',
        f'<a href="/sammanstallning/sammanstallning.xlsx{query}" download>Ladda ned som Excel</a>',
    ):
        assert link in page


SHEETS = ["Förändringar", "Avslut till sammanträdet", "Under arbete", "Avslutade"]


def test_the_xlsx_has_a_sheet_per_section_in_the_page_s_order(politician_client, period):
    response = politician_client.get(XLSX_URL, PERIOD)
    assert response["Content-Disposition"] == (
        'attachment; filename="sammanstallning-2016-12-31.xlsx"'
    )
    book = workbook(response)
    assert book.sheetnames == SHEETS
    ongoing = book["Under arbete"]
    assert header(ongoing) == [
        "Diarienummer", "Titel", "Status", "Ansvarig nämnd/förvaltning", "Senaste behandling",
        "Senaste lägesrapport", "Sammanfattning", "Planerat avslut", "Resultat",
        "Försenad",
    ]
    assert ongoing.freeze_panes == "A2"
    first = sheet_rows(ongoing)[0]
    assert [cell.value for cell in first[:5]] == [
        "STK-2014-401", "Uppdrag STK-2014-401", "lägesrapport", "Kulturnämnden",
        "KS 2016-06-01 § 180",
    ]
    assert first[5].is_date and first[5].value == datetime(2016, 10, 3)
    assert first[6].value.endswith("…") and len(first[6].value) <= 300
    assert first[7].is_date and first[7].value == datetime(2017, 6, 30)
    assert [row[0].value for row in sheet_rows(book["Avslut till sammanträdet"])] == [
        "STK-2014-402", "STK-2014-405", "STK-2016-406"
    ]
    closed = sheet_rows(book["Avslutade"])
    assert [row[0].value for row in closed] == ["STK-2014-403", "STK-2014-404"]
    assert closed[0][8].value == "genomfört"
    changes = sheet_rows(book["Förändringar"])
    assert [[cell.value for cell in row[:6]] for row in changes if row[2].value == "Ändrad status"] == [
        ["STK-2014-402", "Uppdrag STK-2014-402", "Ändrad status", "pågående", "lägesrapport",
         "KS 2016-11-02 § 312"],
        ["STK-2014-403", "Uppdrag STK-2014-403", "Ändrad status", "lägesrapport", "avslutad",
         "KS 2016-11-02 § 313"],
    ]
    assert all(row[6].is_date for row in changes)


# Overdue at the compilation's day

LATER = {"per": "2017-01-15", "jamfor": "2016-12-31"}


def test_an_open_assignment_past_its_planned_completion_at_the_day_is_marked_overdue(
    politician_client, period
):
    response = politician_client.get(URL, LATER)
    # Due before the previous compilation (2016-12-31): in progress, and overdue.
    assert "Uppdrag under arbete (4, varav 3 försenade)" in visible_text(response)
    assert table_rows(response, "due") == []
    ongoing = {row[0]: row for row in table_rows(response, "ongoing")}
    assert ongoing["STK-2014-405"][-1] == "under 2016 Försenad"
    assert ongoing["STK-2016-406"][-1] == "under 2016 Försenad"
    assert ongoing["STK-2014-402"][-1] == "under 2016 Försenad"
    # Moved to 2017-06-30: not yet due.
    assert ongoing["STK-2014-401"][-1] == "2017-06-30"
    # Closed ones never are, whatever their planned completion.
    assert "Försenad" not in str(table_rows(response, "closed"))


def test_one_overdue_assignment_is_counted_in_the_singular(
    politician_client, period, handlaggare
):
    response = politician_client.get(URL, {"per": "2017-01-15", "jamfor": "2016-06-30"})
    # 402, 405 and 406 were due by 2016-12-31 and are late; 401 was moved.
    assert f"{DUE_HEADING} (3, varav 3 försenade)" in visible_text(response)
    registered("STK-2014-408", handlaggare, planned_completion=date(2016, 6, 1),
               planned_completion_is_year=False)
    response = politician_client.get(URL, {"per": "2017-01-15", "jamfor": "2016-06-30"})
    assert "Uppdrag under arbete (2, varav 1 försenat)" in visible_text(response)


def test_nothing_is_overdue_while_its_planned_completion_has_not_passed(politician_client, period):
    response = politician_client.get(URL, PERIOD)  # 2016-12-31: the last day of "under 2016"
    rows = table_rows(response, "due") + table_rows(response, "ongoing")
    assert len(rows) == 4
    assert not any("Försenad" in cell for row in rows for cell in row)
    assert "försenade)" not in visible_text(response)


def test_the_xlsx_marks_the_overdue_in_a_last_column(politician_client, period):
    book = workbook(politician_client.get(XLSX_URL, LATER))
    for sheet in SHEETS[1:]:
        assert header(book[sheet])[-1] == "Försenad"
    marks = {
        sheet: {row[0].value: row[9].value for row in sheet_rows(book[sheet])}
        for sheet in SHEETS[1:]
    }
    assert marks["Under arbete"] == {
        "STK-2014-401": None, "STK-2014-402": "Försenad", "STK-2014-405": "Försenad",
        "STK-2016-406": "Försenad",
    }
    assert marks["Avslutade"] == {"STK-2014-403": None, "STK-2014-404": None}


# Links from the list


def test_the_list_links_to_the_compilation_at_the_same_day(politician_client, period):
    page = politician_client.get(reverse("assignments:list"), {"per": "2016-12-31"})
    assert '<a href="/sammanstallning/?per=2016-12-31">Sammanställning för KS</a>' in (
        page.content.decode()
    )


# Pages


def page_of(response):
    """The page's "Sida N av M", its links to other pages, and its sections by id."""
    page = response.content.decode()
    links = {
        rel: html.unescape(link)
        for link, rel in re.findall(r'<a href="([^"]+)" rel="(prev|next)">', page)
    }
    sections = re.findall(r'<section class="compilation-section" aria-labelledby="([^"]+)">',
                          page)
    shown = re.search(r"Sida \d+ av \d+", visible_text(response))
    return shown[0] if shown else None, links, sections


def test_a_register_longer_than_a_page_is_shown_a_page_at_a_time_in_its_order(
    politician_client, period, monkeypatch
):
    monkeypatch.setattr(compilation, "PAGE_SIZE", 2)
    first = politician_client.get(URL, PERIOD)
    assert page_of(first) == (
        "Sida 1 av 3",
        {"next": "?per=2016-12-31&jamfor=2016-06-30&sida=2"},
        ["changes-heading", "section-due"],
    )
    assert references(table_rows(first, "due")) == ["STK-2014-402", "STK-2014-405"]
    second = politician_client.get(URL, {**PERIOD, "sida": "2"})
    assert page_of(second) == (
        "Sida 2 av 3",
        {"prev": "?per=2016-12-31&jamfor=2016-06-30&sida=1",
         "next": "?per=2016-12-31&jamfor=2016-06-30&sida=3"},
        ["section-due", "section-ongoing"],
    )
    assert references(table_rows(second, "due")) == ["STK-2016-406"]
    assert references(table_rows(second, "ongoing")) == ["STK-2014-401"]
    third = politician_client.get(URL, {**PERIOD, "sida": "3"})
    assert page_of(third)[2] == ["section-closed"]
    assert references(table_rows(third, "closed")) == ["STK-2014-403", "STK-2014-404"]


def test_every_page_gives_each_section_its_full_count(politician_client, period, monkeypatch):
    monkeypatch.setattr(compilation, "PAGE_SIZE", 2)
    for number in ("1", "2"):
        text = visible_text(politician_client.get(URL, {**PERIOD, "sida": number}))
        assert f"{DUE_HEADING} (3)" in text
        assert "pågående 2 lägesrapport 2 avslutad 2" in text


def test_the_changes_are_on_the_first_page_only(politician_client, period, monkeypatch):
    monkeypatch.setattr(compilation, "PAGE_SIZE", 3)
    first = politician_client.get(URL, PERIOD)
    assert "Förändringar sedan föregående sammanställning (4)" in visible_text(first)
    assert len(table_rows(first, "changes")) == 4
    second = politician_client.get(URL, {**PERIOD, "sida": "2"})
    assert "Förändringar sedan" not in visible_text(second)
    assert table_rows(second, "changes") == []


def test_an_empty_group_is_shown_where_its_assignments_would_have_been(
    politician_client, handlaggare, monkeypatch
):
    monkeypatch.setattr(compilation, "PAGE_SIZE", 3)
    many_reported(handlaggare, range(4))  # all four due
    first = politician_client.get(URL, PERIOD)
    assert page_of(first)[2] == ["changes-heading", "section-due"]
    second = politician_client.get(URL, {**PERIOD, "sida": "2"})
    assert page_of(second)[2] == ["section-due", "section-ongoing", "section-closed"]
    assert references(reported_on_the_page(second)) == ["STK-2014-503"]
    text = visible_text(second)
    assert "Uppdrag under arbete (0) Övriga uppdrag som inte är avslutade." in text
    assert "Avslutade uppdrag (0)" in text
    assert text.count("Inga.") == 2


@pytest.mark.parametrize("sida, shown", [("99", "Sida 2 av 2"), ("noll", "Sida 1 av 2"),
                                         ("-1", "Sida 2 av 2")])
def test_a_page_number_it_cannot_use_shows_the_nearest_page(
    politician_client, period, monkeypatch, sida, shown
):
    monkeypatch.setattr(compilation, "PAGE_SIZE", 3)
    response = politician_client.get(URL, {**PERIOD, "sida": sida})
    assert response.status_code == 200
    assert page_of(response)[0] == shown


def test_a_register_of_one_page_has_no_page_links(politician_client, period):
    assert page_of(politician_client.get(URL, PERIOD)) == (
        None, {}, ["changes-heading", "section-due", "section-ongoing", "section-closed"]
    )


# Cost


def test_a_page_read_from_the_end_lists_the_due_in_the_diarienummer_s_order(
    politician_client, handlaggare, monkeypatch
):
    # Five due and nothing else, two a page: the second page is in the back half,
    # which the paginator reads backwards from the end.
    monkeypatch.setattr(compilation, "PAGE_SIZE", 2)
    many_reported(handlaggare, range(5))
    pages = [politician_client.get(URL, {**PERIOD, "sida": n}) for n in ("1", "2", "3")]
    assert [references(reported_on_the_page(page)) for page in pages] == [
        ["STK-2014-500", "STK-2014-501"],
        ["STK-2014-502", "STK-2014-503"],
        ["STK-2014-504"],
    ]


def many_reported(user, serials):
    unit = make_unit()
    for serial in serials:
        assignment = registered(f"STK-2014-{500 + serial}", user, responsible_unit=unit)
        report_on(assignment, user, date(2016, 11, 2), 300 + serial)


def reported_on_the_page(response):
    """The assignments many_reported made: reported to KS 2016-11-02, due by 2016-12-31."""
    return table_rows(response, "due")


def reported_in_the_file(response):
    return sheet_rows(workbook(response)["Avslut till sammanträdet"])


@pytest.mark.parametrize(
    "url, reported", [(URL, reported_on_the_page), (XLSX_URL, reported_in_the_file)],
    ids=["page", "file"],
)
def test_the_compilation_makes_as_many_queries_for_50_assignments_as_for_5(
    politician_client, handlaggare, url, reported
):
    rows = assert_queries_do_not_grow(
        lambda: reported(politician_client.get(url, PERIOD)),
        lambda serials: many_reported(handlaggare, serials),
    )
    assert len(rows) == 50


@pytest.mark.parametrize("sida", ["2", "99"], ids=["second page", "last page"])
def test_a_later_page_makes_as_many_queries_however_large_the_register(
    politician_client, handlaggare, monkeypatch, sida
):
    monkeypatch.setattr(compilation, "PAGE_SIZE", 3)
    # From 2 pages to 17: the last is read from the end, the second from the start.
    rows = assert_queries_do_not_grow(
        lambda: reported_on_the_page(politician_client.get(URL, {**PERIOD, "sida": sida})),
        lambda serials: many_reported(handlaggare, serials),
    )
    assert len(rows) == (3 if sida == "2" else 2)


def test_the_second_and_the_last_page_make_as_many_queries(
    politician_client, handlaggare, monkeypatch
):
    monkeypatch.setattr(compilation, "PAGE_SIZE", 3)
    many_reported(handlaggare, range(12))
    _page, second = queries_made(lambda: politician_client.get(URL, {**PERIOD, "sida": "2"}))
    _page, last = queries_made(lambda: politician_client.get(URL, {**PERIOD, "sida": "4"}))
    assert_same_number(second, last, ("on the second page", "on the last"))


# Bounds


def test_a_register_too_large_for_one_file_is_paged_and_the_file_refused_in_words(
    politician_client, handlaggare, monkeypatch
):
    monkeypatch.setattr(compilation, "MAX_ENTRIES", 3)
    message = "Registret hade fler än 3 uppdrag den dagen: för många för en sammanställning."
    many_reported(handlaggare, range(4))
    response = politician_client.get(URL, PERIOD)
    assert response.status_code == 200
    assert message not in visible_text(response)
    assert references(reported_on_the_page(response)) == [
        "STK-2014-500", "STK-2014-501", "STK-2014-502", "STK-2014-503"
    ]
    # The page says why it offers no file, instead of links that would be refused.
    assert not any(url in response.content.decode() for url in FILE_URLS)
    english = politician_client.get(URL, PERIOD, HTTP_ACCEPT_LANGUAGE="en")
    assert ("The compilation is not offered as a file: one file holds at most 3 assignments, "
            "and the register held more on that day.") in visible_text(english)
    for url in FILE_URLS:
        download = politician_client.get(url, PERIOD)
        assert download.status_code == 400
        assert message in download.content.decode()


def test_the_file_is_refused_after_counting_without_reading_the_assignments(
    politician_client, handlaggare, monkeypatch
):
    monkeypatch.setattr(compilation, "MAX_ENTRIES", 3)
    download = assert_queries_do_not_grow(
        lambda: politician_client.get(XLSX_URL, PERIOD),
        lambda serials: many_reported(handlaggare, serials),
        few=4,
        many=40,
    )
    assert download.status_code == 400


def test_changes_too_many_for_one_compilation_are_refused_in_words(
    politician_client, handlaggare, monkeypatch
):
    monkeypatch.setattr(change_selectors, "MAX_CHANGES", 3)
    many_reported(handlaggare, range(4))
    message = ("Fler än 3 ändringar av ett slag registrerades efter den dagen: för många för en "
               "sammanställning. Jämför med en senare dag.")
    response = politician_client.get(URL, PERIOD)
    assert response.status_code == 200
    assert message in visible_text(response)
    assert "Förändringar sedan" not in visible_text(response)
    for url in FILE_URLS:
        download = politician_client.get(url, PERIOD)
        assert download.status_code == 400
        assert message in download.content.decode()


def test_the_file_holds_every_assignment_even_when_the_daily_counts_are_wrong(
    politician_client, period
):
    """The daily counts are derived data; a count from there must never cut the file."""
    rebuild_daily_counts()
    DailyStatusCount.objects.filter(day=date(2016, 12, 31)).update(count=0)

    book = workbook(politician_client.get(XLSX_URL, PERIOD))

    assert [row[0].value for row in sheet_rows(book["Avslutade"])] == [
        "STK-2014-403", "STK-2014-404"
    ]
    assert sheet_rows(book["Under arbete"])[0][0].value == "STK-2014-401"
