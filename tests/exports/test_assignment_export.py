"""Exporting the assignment list: the page's filters and date, as Swedish CSV or as XLSX."""

from datetime import date, datetime

import pytest
from django.db.models.query import QuerySet
from django.urls import reverse
from django.utils import timezone

from assignments.models import Assignment
from demo.register import moment
from malmo_ks import tables
from tests.factories import (
    ks_treatment,
    make_area,
    make_assignment,
    make_assignments,
    make_closed_assignment,
    make_unit,
)
from tests.query_counts import assert_queries_do_not_grow
from tests.register.test_list import listed

from .files import csv_rows, csv_text, exported_rows, header, sheet_rows, workbook

CSV_URL = reverse("assignments:export", args=["csv"])
XLSX_URL = reverse("assignments:export", args=["xlsx"])
LIST_URL = reverse("assignments:list")
TRICKY_TITLE = 'Läxhjälp; "Biblioteket"\noch fritids'
HEADER = [
    "Diarienummer", "Titel", "Status", "Ansvarig nämnd/förvaltning", "Kommissionsområde",
    "Beslutsdatum", "Planerat avslut", "Försenad", "Resultat", "Handläggare",
    "Beslutets diarienummer", "Senaste bedömning",
]


@pytest.fixture
def register(handlaggare):
    """Three assignments, one per status; the first has a title Excel would stumble on."""
    school = make_unit("Grundskolenämnden")
    culture = make_unit("Kulturnämnden")
    children = make_area(1, "Barn och ungas vardagsvillkor")
    housing = make_area(2, "Boendemiljö och stadsplanering")
    make_assignment(
        reference="STK-2014-101",
        title=TRICKY_TITLE,
        responsible_unit=school,
        area=children,
        case_officer=handlaggare,
        planned_completion=date(2015, 12, 31),
        planned_completion_is_year=True,
    )
    reported = make_assignment(
        reference="STK-2015-102",
        title="Trygga skolvägar",
        responsible_unit=culture,
        area=housing,
        decided_on=date(2015, 6, 1),
        planned_completion=date(2030, 6, 30),
    )
    reported.report_status(ks_treatment(), user=handlaggare)
    make_closed_assignment(
        reference="STK-2014-103", title="Bibliotekens läxhjälp", responsible_unit=school,
        area=housing, paragraph=313,
    )
    return {"school": school.pk, "housing": housing.pk}


@pytest.fixture
def staff_client(client, handlaggare):
    client.force_login(handlaggare)
    return client


def references(rows):
    return [row[0] for row in rows[1:]]


# Access


@pytest.mark.parametrize("url", [CSV_URL, XLSX_URL])
def test_anonymous_visitors_are_sent_to_the_login_page(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/konto/logga-in/?next={url}"


def test_an_account_without_a_role_gets_403(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("utan-roll"))
    assert client.get(CSV_URL).status_code == 403


@pytest.mark.parametrize("persona", ["politiker", "handlaggare", "administrator"])
@pytest.mark.parametrize("url", [CSV_URL, XLSX_URL])
def test_everyone_who_sees_the_list_may_export_it(client, register, persona, url, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")


def test_an_unknown_format_is_404(staff_client, db):
    assert staff_client.get("/uppdrag/export.pdf").status_code == 404


# The CSV


def test_the_csv_is_for_excel_in_swedish_and_named_after_its_day(staff_client, register):
    response = staff_client.get(CSV_URL, {"per": "2099-01-01"})  # a future day: today's state
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="uppdrag-')
    assert disposition.endswith(f'{timezone.localdate().isoformat()}.csv"')
    text = csv_text(response)
    assert text.startswith("\ufeffDiarienummer;Titel;Status;")
    rows = csv_rows(staff_client.get(CSV_URL))
    assert rows[0] == HEADER
    assert references(rows) == ["STK-2014-101", "STK-2014-103", "STK-2015-102"]


def test_a_title_with_a_semicolon_a_quote_and_a_newline_survives_the_round_trip(
    staff_client, register
):
    rows = csv_rows(staff_client.get(CSV_URL))
    assert rows[1][1] == TRICKY_TITLE
    assert all(len(row) == len(HEADER) for row in rows)


def test_each_row_tells_what_the_register_knows_in_swedish(staff_client, register):
    rows = {row[0]: row for row in csv_rows(staff_client.get(CSV_URL))[1:]}
    assert rows["STK-2014-101"] == [
        "STK-2014-101", TRICKY_TITLE, "pågående", "Grundskolenämnden",
        "1. Barn och ungas vardagsvillkor", "2014-03-05", "under 2015", "ja", "",
        "Handlaggaren Test", "STK-2013-145", "Ingen bedömning",
    ]
    assert rows["STK-2014-103"][2:] == [
        "avslutad", "Grundskolenämnden", "2. Boendemiljö och stadsplanering", "2014-03-05",
        "2015-12-31", "nej", "genomfört", "", "STK-2013-145", "Ingen bedömning",
    ]
    assert rows["STK-2015-102"][2] == "lägesrapport"
    assert rows["STK-2015-102"][6] == "2030-06-30"


def test_text_that_excel_would_run_as_a_formula_is_kept_as_text(staff_client, db):
    make_assignment(reference="STK-2014-1", title="=HYPERLINK(\"http://x\";\"klicka\")")
    rows = csv_rows(staff_client.get(CSV_URL))
    assert rows[1][1] == "'=HYPERLINK(\"http://x\";\"klicka\")"
    cell = workbook(staff_client.get(XLSX_URL)).active["B2"]
    assert cell.data_type == "s"
    assert cell.value == "=HYPERLINK(\"http://x\";\"klicka\")"


def test_text_that_excel_would_read_as_an_error_value_is_kept_as_text(staff_client, db):
    make_assignment(reference="STK-2014-1", title="#N/A")
    cell = workbook(staff_client.get(XLSX_URL)).active["B2"]
    assert cell.data_type == "s"
    assert cell.value == "#N/A"


def test_control_characters_pasted_into_a_title_do_not_break_the_xlsx(staff_client, db):
    make_assignment(reference="STK-2014-1", title="Rad\x0bbrytning")
    assert csv_rows(staff_client.get(CSV_URL))[1][1] == "Rad\x0bbrytning"
    assert workbook(staff_client.get(XLSX_URL)).active["B2"].value == "Radbrytning"


# The XLSX


def test_the_xlsx_has_a_header_row_frozen_panes_widths_and_real_dates(staff_client, register):
    response = staff_client.get(XLSX_URL)
    assert response["Content-Type"] == tables.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = workbook(response).active
    assert sheet.title == "Uppdrag"
    assert header(sheet) == HEADER
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    # 60 characters as Excel shows them; the file stores them with the cell padding added.
    assert sheet.column_dimensions["B"].width == pytest.approx(60, abs=1)
    first = sheet_rows(sheet)[0]
    assert [cell.value for cell in first[:3]] == ["STK-2014-101", TRICKY_TITLE, "pågående"]
    decided, deadline = first[5], first[6]
    assert decided.is_date and decided.value == datetime(2014, 3, 5)
    assert decided.number_format == "yyyy-mm-dd"
    # A year deadline is the year's last day to Excel, shown as the register words it.
    assert deadline.is_date and deadline.value == datetime(2015, 12, 31)
    assert deadline.number_format == '"under "yyyy'
    assert [cell.value for cell in first[7:]] == [
        "ja", None, "Handlaggaren Test", "STK-2013-145", "Ingen bedömning"
    ]


# The same rows as the page


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"status": "avslutad"},
        {"enhet": "{school}"},
        {"omrade": "{housing}", "sortering": "-titel"},
        {"forsenade": "ja"},
        {"q": "skolvägar"},
        {"q": "2014"},
        {"sortering": "planerat_avslut", "sida": "1"},
    ],
)
def test_a_filtered_export_has_exactly_the_rows_of_the_filtered_page(
    staff_client, register, query
):
    params = {name: value.format(**register) for name, value in query.items()}
    page_rows = listed(staff_client.get(LIST_URL, params))
    assert references(csv_rows(staff_client.get(CSV_URL, params))) == page_rows
    sheet = workbook(staff_client.get(XLSX_URL, params)).active
    assert [row[0].value for row in sheet_rows(sheet)] == page_rows


def test_the_list_offers_both_files_with_its_filters_but_not_its_page_number(
    staff_client, register
):
    page = staff_client.get(
        LIST_URL, {"status": "avslutad", "per": "2016-12-31", "sida": "1"}
    ).content.decode()
    query = "?status=avslutad&amp;per=2016-12-31"
    assert f'<a href="/uppdrag/export.csv{query}" download>Exportera CSV</a>' in page
    assert f'<a href="/uppdrag/export.xlsx{query}" download>Exportera Excel</a>' in page


def test_an_export_at_a_past_date_has_the_rows_as_they_stood_then(staff_client, handlaggare):
    assignment = make_assignment(reference="STK-2014-7", at=moment(date(2015, 1, 15)))
    assignment.report_status(
        ks_treatment(date(2016, 11, 2)), user=handlaggare, at=moment(date(2016, 11, 2), 15)
    )
    make_assignment(reference="STK-2014-8")  # registered today
    params = {"per": "2016-06-30"}
    rows = csv_rows(staff_client.get(CSV_URL, params))
    assert [(row[0], row[2]) for row in rows[1:]] == [("STK-2014-7", "pågående")]
    assert references(rows) == listed(staff_client.get(LIST_URL, params))
    response = staff_client.get(XLSX_URL, params)
    assert response["Content-Disposition"].endswith('uppdrag-2016-06-30.xlsx"')
    assert [row[2].value for row in sheet_rows(workbook(response).active)] == ["pågående"]


# Bad input


@pytest.mark.parametrize("url", [CSV_URL, XLSX_URL])
def test_a_filter_value_that_cannot_be_read_refuses_the_export_in_swedish(
    staff_client, register, url
):
    response = staff_client.get(url, {"beslutsar": "2016.5", "status": "avslutad"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Exporten gjordes inte: ett filtervärde kunde inte läsas." in text
    assert "Beslutsår:" in text


def test_an_excel_file_past_its_size_is_refused_and_the_csv_still_holds_everything(
    staff_client, register, monkeypatch
):
    """An XLSX is written whole before it is sent (about 0.2 ms a cell): past
    XLSX_MAX_ROWS it would take longer than a download may, so it is refused in
    words that say what to do; the CSV streams and holds every row."""
    monkeypatch.setattr(tables, "XLSX_MAX_ROWS", 2)
    response = staff_client.get(XLSX_URL)
    assert response.status_code == 400
    assert response.content.decode() == (
        "Excelfilen rymmer högst 2 uppdrag, och listan har 3. Avgränsa listan med "
        "filtren, eller hämta CSV-filen, som rymmer alla."
    )
    assert len(csv_rows(staff_client.get(CSV_URL))) == 1 + 3
    narrowed = staff_client.get(XLSX_URL, {"status": "avslutad"})
    assert narrowed.status_code == 200
    # The list says so beside the link, before anyone follows it.
    page = staff_client.get(LIST_URL).content.decode()
    assert "Exportera Excel" not in page
    assert "Excel rymmer högst 2 uppdrag: avgränsa listan för att exportera den dit." in page
    assert "Exportera Excel" in staff_client.get(LIST_URL, {"status": "avslutad"}).content.decode()


def test_a_date_that_cannot_be_read_refuses_the_export_in_swedish(staff_client, register):
    response = staff_client.get(CSV_URL, {"per": "31/12/2016"})
    assert response.status_code == 400
    assert "”31/12/2016” är inget datum. Skriv det som 2016-12-31." in response.content.decode()


# Cost


@pytest.mark.parametrize(
    "params", [{}, {"per": "2016-12-31", "forsenade": "ja"}], ids=["today", "filtered, past day"]
)
@pytest.mark.parametrize("url", [CSV_URL, XLSX_URL])
def test_an_export_makes_as_many_queries_for_50_rows_as_for_5(staff_client, url, params):
    # The rows are fetched while the file is sent (one cursor, however many
    # chunks): the file is read inside the count.
    exported = assert_queries_do_not_grow(
        lambda: exported_rows(staff_client.get(url, params)),
        lambda serials: make_assignments(len(serials), at=moment(date(2015, 1, 15))),
    )
    assert exported == 50


def test_the_csv_is_streamed_chunk_by_chunk_without_loading_the_list(
    staff_client, monkeypatch, db
):
    make_assignments(5, at=moment(date(2015, 1, 15)))
    monkeypatch.setattr(tables, "CHUNK_SIZE", 2)
    load = QuerySet._fetch_all

    def refuse_to_load_assignments(queryset):
        if queryset.model in (Assignment, Assignment.history.model):
            raise AssertionError("the assignments were loaded into a list")
        load(queryset)

    monkeypatch.setattr(QuerySet, "_fetch_all", refuse_to_load_assignments)
    for params in ({}, {"per": "2016-12-31"}):
        response = staff_client.get(CSV_URL, params)
        assert response.streaming
        assert len(csv_rows(response)) == 1 + 5
