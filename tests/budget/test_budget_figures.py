"""Budget figures a reader can trust: exact percentages, one unit, the sign rule, shared funding."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from budget.models import BudgetRow
from budget.selectors import assignment_funding, rows_for_year, year_totals
from tests.budget.test_budget_page import MKR, URL, make_row, section
from tests.exports.files import csv_rows, header, sheet_rows, workbook
from tests.factories import make_assignment
from tests.register.reading import body_rows

CSV_URL = reverse("budget:export", args=["csv"])
XLSX_URL = reverse("budget:export", args=["xlsx"])


@pytest.fixture
def reader(client, politiker):
    client.force_login(politiker)
    return client


def test_a_deviation_percent_is_exact_in_decimals():
    # 5 against 6 is -16.67 %; integer division, as SQLite does it, gives -16.
    row = BudgetRow(budget=Decimal(6000000), outcome=Decimal(5000000))
    assert row.deviation == Decimal(-1000000)
    assert round(row.deviation_percent, 4) == Decimal("-16.6667")
    assert BudgetRow(budget=Decimal(6), outcome=None).deviation_percent is None
    assert BudgetRow(budget=Decimal(0), outcome=Decimal(1)).deviation_percent is None


def test_sums_of_ore_are_exact_on_either_database(handlaggare):
    # SQLite keeps a fractional amount as a binary float, where 0.10 + 0.20 is not 0.30.
    amounts = [("0.10", "0.20"), ("0.20", "0.10"), ("0.01", "0"), ("9999999999999.99", "0")]
    for number, (budget, outcome) in enumerate(amounts):
        row = BudgetRow(year=2016, name=f"Rad {number}", account_class=4,
                        budget=Decimal(budget), outcome=Decimal(outcome))
        row.save_tracked(user=handlaggare)

    totals = year_totals(2016)

    assert totals.budget == Decimal("10000000000000.30")
    assert totals.outcome == Decimal("0.30")
    assert totals.deviation == Decimal("-10000000000000.00")


def test_the_page_shows_the_exact_deviation_percent(reader):
    make_row(name="Nytt ekonomisystem", budget=6, outcome=5)
    make_row(name="Hyra tidigare konserthuset", budget=3, outcome=4)

    html = reader.get(URL, {"ar": "2016"}).content.decode()

    rows = {row[0]: row for row in body_rows(section(html, "rows-heading"))}
    assert rows["Nytt ekonomisystem"][5] == "−16,7 %"  # a real minus sign, U+2212
    assert rows["Hyra tidigare konserthuset"][5] == "33,3 %"
    assert body_rows(section(html, "net-cost-heading")) == [  # 9 against 9
        ["9,0 Mkr", "9,0 Mkr", "0,0 Mkr", "0,0 %"]
    ]
    assert year_totals(2016).deviation_percent == 0


def test_the_export_has_the_exact_deviation_percent(reader):
    make_row(name="Nytt ekonomisystem", budget=6, outcome=5)

    (line,) = csv_rows(reader.get(CSV_URL, {"ar": "2016"}))[1:]
    (cells,) = sheet_rows(workbook(reader.get(XLSX_URL, {"ar": "2016"})).active)

    assert line[6] == "-16,7"
    assert cells[6].value == pytest.approx(-16.7)


def test_the_page_shows_every_amount_in_mkr_and_says_the_sign_rule(reader):
    make_row(name="Nytt ekonomisystem", budget=Decimal("6.25"), outcome=5)

    html = reader.get(URL, {"ar": "2016"}).content.decode()

    [row] = body_rows(section(html, "rows-heading"))
    assert row[:6] == [
        "Nytt ekonomisystem", "4 Kostnader", "6,3 Mkr", "5,0 Mkr", "−1,3 Mkr", "−20,0 %"
    ]
    assert not re.search(r"\d kr\b", html)
    assert "Belopp i Mkr (miljoner kronor)." in html
    sign_rule = "Avvikelse = utfall − budget: positiv betyder att utfallet blev högre än budgeten"
    assert sign_rule in html


@pytest.fixture
def shared_row(db):
    """A 64 Mkr row (62 Mkr outcome) funding seven assignments; the first has a row of its own."""
    funded = [make_assignment(reference=f"STK-2014-{serial}") for serial in range(101, 108)]
    make_row(name="Projekt och utredningar", budget=64, outcome=62, assignments=funded)
    make_row(name="Nytt ekonomisystem", budget=3, outcome=3, assignments=funded[:1])
    return funded


def test_a_shared_row_shows_as_shared_with_an_equal_share(reader, shared_row):
    html = section(reader.get(URL, {"ar": "2016"}).content.decode(), "assignments-heading")

    second = html[html.index("STK-2014-102"):]
    second = second[:second.index("</tr>")]
    assert "Projekt och utredningar: 64,0 Mkr, delas med 6 andra uppdrag" in second
    assert "9,1 Mkr" in second and "8,9 Mkr" in second  # 64 / 7 and 62 / 7
    assert "64,0 Mkr</td>" not in second
    first = html[html.index("STK-2014-101"):]
    first = first[:first.index("</tr>")]
    assert "Nytt ekonomisystem: 3,0 Mkr, endast detta uppdrag" in first
    assert "12,1 Mkr" in first  # 64 / 7 + 3
    assert "en rad som finansierar flera uppdrag delas lika mellan dem" in html


def test_the_funding_total_counts_each_row_once(reader, shared_row):
    html = section(reader.get(URL, {"ar": "2016"}).content.decode(), "assignments-heading")

    total = html[html.index("Totalt, varje rad räknad en gång"):]
    assert '<td class="number">67,0 Mkr</td><td class="number">65,0 Mkr</td>' in total
    funding = assignment_funding(rows_for_year(2016))
    assert sum(entry.budget_share for entry in funding.assignments) == pytest.approx(67 * MKR)
    assert funding.budget == 67 * MKR


def test_the_export_states_units_and_sign_and_each_assignments_share(reader, shared_row):
    rows = csv_rows(reader.get(CSV_URL, {"ar": "2016"}))

    assert rows[0][3:] == [
        "Budget (kr)", "Utfall (kr)", "Avvikelse (kr), utfall − budget",
        "Avvikelse i procent av budget", "Finansierar",
        "Budget per finansierat uppdrag (kr), delad lika",
    ]
    shared = next(row for row in rows if row[1] == "Projekt och utredningar")
    assert shared[8] == "9142857,14"
    sheet = workbook(reader.get(XLSX_URL, {"ar": "2016"})).active
    assert header(sheet)[8] == "Budget per finansierat uppdrag (kr), delad lika"
