"""Cells no person would write: every one is a row error in Swedish, never a 500."""

from datetime import date

import pytest

from imports import cells
from tests.imports.files import (
    BUDGET_HEADER,
    PREVIEW,
    assignment_row,
    csv_file,
    force_confirm,
    register_state,
    text,
    upload,
)

pytestmark = pytest.mark.django_db

HOSTILE = [
    "0000", "under 0000", "0000-01-01", "0000-00-00", "10000", "under 10000", "10000-01-01",
    "9999-12-31", "0001-01-01", "٢٠١٦", "٢٠١٦-١٢-٣١", "２０１６", "²", "¹²", "-1", "-2016",
    "9" * 5000, "-" + "9" * 5000, "1e400", "NaN", "nan", "inf", "-inf", "99999999", "2958466",
    "§", "§ 0", "§ ٣", "0", "1 234 567,5" + "0" * 5000, "", " ", "\x00", "2016-02-30",
]
PARSERS = [
    cells.parse_date, cells.parse_completion, cells.parse_reference, cells.parse_status,
    cells.parse_amount, cells.parse_account_class, cells.parse_year,
    lambda text: cells.parse_positive_int(text, "”%(value)s” är inget tal."),
]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("parse", PARSERS)
def test_a_cell_parser_reads_a_value_or_raises_a_cell_error_and_nothing_else(parse, value):
    try:
        parse(value)
    except cells.CellError as error:
        assert str(error)


@pytest.mark.parametrize("completion", ["0000", "under 0000", "0000-12-31", "under 10000"])
def test_a_planned_completion_in_year_zero_is_a_row_error_at_the_preview(importer, completion):
    before = register_state()
    preview = upload(importer, csv_file([assignment_row(**{"Planerat avslut": completion})]))
    assert preview.status_code == 200
    assert preview.redirect_chain[-1][0].startswith(PREVIEW)
    assert (
        f"Rad 2, kolumn ”planerat avslut”: ”{completion}” är inget planerat avslut"
    ) in text(preview)
    # The preview is kept in the session: visiting it again is no 500 either.
    again = importer.get(preview.redirect_chain[-1][0])
    assert again.status_code == 200
    assert "1 rad med fel" in text(again)
    force_confirm(importer, preview)
    assert register_state() == before


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("column", ["Beslutsdatum", "Planerat avslut", "Diarienummer", "Status"])
def test_no_hostile_value_in_any_column_gives_a_500(importer, column, value):
    preview = upload(importer, csv_file([assignment_row(**{column: value})]))
    assert preview.status_code == 200
    page = text(preview)
    assert "Förhandsgranskning" in page or "Inget har sparats" in page


@pytest.mark.parametrize(
    "values",
    [
        {"Beslutsdatum": date(1, 1, 1), "Planerat avslut": "0001-01-01"},
        {"Beslutsdatum": date(9999, 12, 31), "Planerat avslut": "9999-12-31"},
        {"Beslutsdatum": "2014-03-05", "Planerat avslut": "under 9999"},
    ],
    ids=["year 1", "year 9999", "under 9999"],
)
def test_dates_at_the_ends_of_the_calendar_are_answered_without_a_500(importer, values):
    preview = upload(importer, csv_file([assignment_row(**values)]))
    assert preview.status_code == 200
    assert force_confirm(importer, preview).status_code == 200


@pytest.mark.parametrize("year", ["9" * 5000, "٢٠١٦", "0"])
def test_a_budget_year_no_person_would_write_is_a_row_error(importer, year):
    rows = [[year, "Nytt ekonomisystem", "6", "1 000", ""]]
    preview = upload(importer, csv_file(rows, header=BUDGET_HEADER))
    assert preview.status_code == 200
    assert f"Rad 2, kolumn ”år”: ”{year}” är inget år." in text(preview)
