"""The demo register at the end of 2016 exported and compiled: the annual report's 31 assignments."""

from collections import Counter

import pytest
from django.urls import reverse

from tests.foundation.conftest import _demo_register, demo  # noqa: F401 – loaded once here
from tests.register.reading import visible_text

from .files import csv_rows, sheet_rows, workbook

YEAR_END = {"per": "2016-12-31"}
ANNUAL_REPORT = {"avslutad": 19, "lägesrapport": 8, "pågående": 4}


@pytest.fixture
def politician_client(client, politiker, demo):  # noqa: F811
    client.force_login(politiker)
    return client


def test_the_xlsx_export_at_2016_12_31_has_31_rows_with_19_8_4_statuses(politician_client):
    response = politician_client.get(reverse("assignments:export", args=["xlsx"]), YEAR_END)
    assert response["Content-Disposition"] == 'attachment; filename="uppdrag-2016-12-31.xlsx"'
    rows = sheet_rows(workbook(response).active)
    assert len(rows) == 31
    assert Counter(row[2].value for row in rows) == ANNUAL_REPORT
    decided = [row[5] for row in rows]
    assert all(cell.is_date and cell.value.date().isoformat() == "2014-03-05" for cell in decided)
    assert all(row[6].is_date for row in rows)


def test_the_csv_export_at_2016_12_31_round_trips_through_the_csv_module(politician_client):
    response = politician_client.get(reverse("assignments:export", args=["csv"]), YEAR_END)
    rows = csv_rows(response)
    assert len(rows) == 1 + 31
    assert Counter(row[2] for row in rows[1:]) == ANNUAL_REPORT
    # The demo numbers its 31 assignments STK-2014-201 to -231.
    assert [row[0] for row in rows[1:]] == [f"STK-2014-{n}" for n in range(201, 232)]


def test_the_compilation_at_2016_12_31_counts_4_8_and_19(politician_client):
    response = politician_client.get(reverse("reports:compilation"), YEAR_END)
    text = visible_text(response)
    assert "pågående 4 lägesrapport 8 avslutad 19" in text
    assert "Förändringarna räknas efter sammanställningen per 2016-11-02." in text
    # None of the 12 open ones was due between the meeting of 2016-11-02 and the year end.
    for heading in ("Planerat avslut till detta sammanträde (0)", "Uppdrag under arbete (12",
                    "Avslutade uppdrag (19)"):
        assert heading in text
    book = workbook(politician_client.get(reverse("reports:compilation_xlsx"), YEAR_END))
    statuses = Counter(
        row[2].value for name in ("Avslut till sammanträdet", "Under arbete", "Avslutade")
        for row in sheet_rows(book[name])
    )
    assert statuses == ANNUAL_REPORT


def test_the_budget_export_of_2016_has_the_demo_rows(politician_client):
    response = politician_client.get(reverse("budget:export", args=["csv"]), {"ar": "2016"})
    rows = csv_rows(response)
    assert len(rows) == 1 + 9
    funds = {row[1]: row for row in rows[1:]}
    assert funds["Nytt ekonomisystem"][3:7] == ["20000000,00", "22000000,00", "2000000,00", "10,0"]
