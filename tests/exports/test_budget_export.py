"""Exporting a year's budget rows: budget, utfall and deviation, as Swedish CSV or as XLSX."""

from decimal import Decimal

import pytest
from django.urls import reverse

from budget.models import AccountClass
from tests.budget.test_budget_page import MKR, make_row
from tests.factories import make_assignment
from tests.query_counts import assert_queries_do_not_grow

from .files import csv_rows, exported_rows, header, sheet_rows, workbook

CSV_URL = reverse("budget:export", args=["csv"])
XLSX_URL = reverse("budget:export", args=["xlsx"])
HEADER = [
    "År", "Budgetrad", "Kontoklass", "Budget (kr)", "Utfall (kr)",
    "Avvikelse (kr), utfall − budget", "Avvikelse i procent av budget", "Finansierar",
    "Budget per finansierat uppdrag (kr), delad lika",
]


@pytest.fixture
def rows(db):
    make_row(name="Projekt och utredningar", budget=10, outcome=Decimal("9.25"),
             assignments=[make_assignment(reference="STK-2014-2"),
                          make_assignment(reference="STK-2014-1")])
    make_row(name="Verksamhetens intäkter", account_class=AccountClass.INCOME, budget=3,
             outcome=None)
    make_row(year=2015, name="Projekt och utredningar", budget=8, outcome=8)


@pytest.fixture
def staff_client(client, handlaggare):
    client.force_login(handlaggare)
    return client


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
def test_everyone_who_reads_the_budget_may_export_it(client, rows, persona, url, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(url, {"ar": "2016"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="budget-2016.')


def test_an_unknown_format_is_404(staff_client, db):
    assert staff_client.get("/budget/export.ods").status_code == 404


def test_the_csv_has_the_years_rows_with_decimal_commas(staff_client, rows):
    response = staff_client.get(CSV_URL, {"ar": "2016"})
    assert response.streaming
    assert csv_rows(response) == [
        HEADER,
        ["2016", "Verksamhetens intäkter", "3 Intäkter", "3000000,00", "", "", "", "", ""],
        ["2016", "Projekt och utredningar", "4 Kostnader", "10000000,00", "9250000,00",
         "-750000,00", "-7,5", "STK-2014-1, STK-2014-2", "5000000,00"],
    ]


def test_without_a_year_it_exports_the_latest_year_like_the_page(staff_client, rows):
    response = staff_client.get(CSV_URL)
    assert response["Content-Disposition"] == 'attachment; filename="budget-2016.csv"'
    assert {row[0] for row in csv_rows(response)[1:]} == {"2016"}


def test_the_xlsx_has_number_cells_in_kronor_and_percent(staff_client, rows):
    sheet = workbook(staff_client.get(XLSX_URL, {"ar": "2015"})).active
    assert sheet.title == "Budget 2015"
    assert header(sheet) == HEADER
    assert sheet.freeze_panes == "A2"
    (row,) = sheet_rows(sheet)
    assert [cell.value for cell in row] == [
        2015, "Projekt och utredningar", "4 Kostnader", 8 * MKR, 8 * MKR, 0, 0, None, None
    ]
    assert [cell.data_type for cell in row[3:7]] == ["n"] * 4
    assert row[3].number_format == "#,##0.00"
    assert row[6].number_format == "0.0"


@pytest.mark.parametrize("year", ["2016x", "1999"])
def test_a_year_it_cannot_show_refuses_the_export_in_swedish(staff_client, rows, year):
    response = staff_client.get(CSV_URL, {"ar": year})
    assert response.status_code == 400
    assert f"Exporten gjordes inte: ”{year}” är inget år som budgeten kan visa." in (
        response.content.decode()
    )


def test_the_budget_page_offers_the_export_of_the_year_shown(staff_client, rows):
    page = staff_client.get(reverse("budget:index"), {"ar": "2015"}).content.decode()
    assert '<a href="/budget/export.csv?ar=2015" download>Exportera CSV</a>' in page
    assert '<a href="/budget/export.xlsx?ar=2015" download>Exportera Excel</a>' in page


@pytest.mark.parametrize("url", [CSV_URL, XLSX_URL])
def test_an_export_makes_as_many_queries_for_50_rows_as_for_5(staff_client, url):
    assignment = make_assignment()

    def funding_rows(serials):
        for serial in serials:
            make_row(name=f"Rad {serial}", assignments=[assignment])

    # The rows, and the assignments they fund, are fetched a chunk at a time while
    # the file is sent: the file is read inside the count.
    exported = assert_queries_do_not_grow(
        lambda: exported_rows(staff_client.get(url, {"ar": "2016"})), funding_rows
    )
    assert exported == 50
