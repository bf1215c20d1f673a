"""Query strings that once gave 500: Unicode digits and the ends of the calendar.

Each page answers with its own Swedish message (an export with a 400 in words),
never with a 500, and never with a page that looks as if nothing happened.
"""

import pytest
from django.urls import reverse

from tests.factories import make_assignment

from ..register.reading import visible_text

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("reports:overview")
LIST = reverse("assignments:list")
CHANGES = reverse("reports:changes")
COMPILATION = reverse("reports:compilation")
COMPILATION_FILES = [
    reverse(f"reports:compilation_{kind}") for kind in ("xlsx", "pdf", "docx")
]
EXPORTS = [reverse("assignments:export", args=[fmt]) for fmt in ("csv", "xlsx")]
# What every page says about a date outside the register's era.
DATE_RANGE = "Skriv ett datum från 2000-01-01 till och med 2100-12-31."
# Digits that str.isdigit() or int() accept but a query number never holds.
UNICODE_DIGITS = ["²", "³", "١٢", "６", "߃", "𝟏"]
CALENDAR_ENDS = ["0001-01-01", "1999-12-31", "9999-12-31"]


@pytest.fixture
def reader(client, politiker):
    make_assignment(title="Uppdrag att läsa")
    client.force_login(politiker)
    return client


@pytest.mark.parametrize("value", UNICODE_DIGITS)
def test_the_overview_explains_a_number_of_months_in_other_digits(reader, value):
    response = reader.get(OVERVIEW, {"utan_rapport": value})
    assert response.status_code == 200
    assert f"”{value}” är inte ett antal månader" in visible_text(response).replace("“", "”")


@pytest.mark.parametrize("value", UNICODE_DIGITS)
@pytest.mark.parametrize("param", ["utan_rapport", "beslutsar", "avslutsar"])
def test_the_list_refuses_numbers_in_other_digits(reader, param, value):
    response = reader.get(LIST, {param: value})
    assert response.status_code == 200
    assert "Fyll i ett heltal." in visible_text(response)


@pytest.mark.parametrize("url", EXPORTS)
def test_an_export_refuses_numbers_in_other_digits(reader, url):
    response = reader.get(url, {"utan_rapport": "١٢"})
    assert response.status_code == 400
    assert "Fyll i ett heltal." in response.content.decode()


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31"])
@pytest.mark.parametrize("url", [OVERVIEW, LIST])
def test_a_date_before_the_register_is_explained_on_the_overview_and_the_list(reader, url, day):
    response = reader.get(url, {"per": day, "utan_rapport": "1"})
    assert response.status_code == 200
    assert DATE_RANGE in visible_text(response)


def test_a_date_before_the_register_is_explained_on_an_assignment_page(reader):
    assignment = make_assignment(reference="STK-2014-777")
    url = reverse("assignments:detail", args=[assignment.pk])
    response = reader.get(url, {"per": "0001-01-01"})
    assert response.status_code == 200
    assert DATE_RANGE in visible_text(response)


@pytest.mark.parametrize("url", EXPORTS)
def test_an_export_of_a_date_before_the_register_is_refused_in_words(reader, url):
    response = reader.get(url, {"per": "0001-01-01", "utan_rapport": "1"})
    assert response.status_code == 400
    assert DATE_RANGE in response.content.decode()


@pytest.mark.parametrize("day", CALENDAR_ENDS)
@pytest.mark.parametrize("param", ["sedan", "till"])
def test_the_changes_page_explains_a_date_outside_the_register(reader, param, day):
    response = reader.get(CHANGES, {param: day})
    assert response.status_code == 200
    assert DATE_RANGE in visible_text(response)


@pytest.mark.parametrize("day", CALENDAR_ENDS)
@pytest.mark.parametrize("param", ["per", "jamfor"])
def test_the_compilation_explains_a_date_outside_the_register(reader, param, day):
    response = reader.get(COMPILATION, {param: day})
    assert response.status_code == 200
    assert DATE_RANGE in visible_text(response)


@pytest.mark.parametrize("url", COMPILATION_FILES)
@pytest.mark.parametrize("day", CALENDAR_ENDS)
def test_the_compilation_files_of_a_date_outside_the_register_are_refused_in_words(
    reader, day, url
):
    response = reader.get(url, {"per": day})
    assert response.status_code == 400
    assert DATE_RANGE in response.content.decode()


def test_the_register_s_first_and_last_days_are_accepted(reader):
    assert reader.get(CHANGES, {"sedan": "2000-01-01", "till": "2100-12-31"}).status_code == 200
    response = reader.get(COMPILATION, {"per": "2000-01-02", "jamfor": "2000-01-01"})
    assert response.status_code == 200
    assert DATE_RANGE not in visible_text(response)


def test_the_new_budget_row_form_ignores_a_year_in_other_digits(client, handlaggare):
    client.force_login(handlaggare)
    response = client.get(reverse("budget:create_row"), {"ar": "²"})
    assert response.status_code == 200
    assert 'value="²"' not in response.content.decode()
