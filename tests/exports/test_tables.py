"""The XLSX the exports share: every kind of value in its rows reads back as Excel needs it.

The rows are written as XML text, not through openpyxl's cells (malmo_ks.tables),
so these read each kind back with openpyxl and check what its cells would have
held: real dates and numbers with their formats, text always as text.
"""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook

from malmo_ks.tables import (
    EXCEL_TEXT_MAX,
    KRONOR_FORMAT,
    PERCENT_FORMAT,
    Column,
    Table,
    YearDate,
    xlsx_response,
)

from .files import content, header, sheet_rows

COLUMNS = [Column("Värde", 20), Column("Kronor", 14, KRONOR_FORMAT)]


def written(*tables):
    with translation.override("sv"):
        response = xlsx_response("prov.xlsx", list(tables))
    return load_workbook(io.BytesIO(content(response)))


def cell_of(value, column=0):
    """The cell `value` became, in a column without (0) or with (1) a number format."""
    row = ["annan", "annan"]
    row[column] = value
    (cells,) = sheet_rows(written(Table("Prov", COLUMNS, [row]))["Prov"])
    return cells[column]


@pytest.mark.parametrize(
    "text",
    [
        "Vanlig text",
        "  inledande och avslutande mellanslag  ",
        "   ",
        "a & b < c > d \"citat\" 'apostrof'",
        "rad\nbrytning",
        "=HYPERLINK(\"http://x\";\"klicka\")",
        "=",
        "#N/A",
        "+46 40 34 10 00",
    ],
)
def test_text_is_kept_as_text_exactly(text):
    cell = cell_of(text)
    assert cell.data_type == "s"
    assert cell.value == text


def test_empty_text_is_an_empty_cell_and_none_no_cell():
    assert cell_of("").value is None
    assert cell_of(None).value is None


def test_control_characters_are_removed_and_overlong_text_is_cut():
    assert cell_of("Rad\x0bbrytning\x00").value == "Radbrytning"
    assert cell_of("x" * (EXCEL_TEXT_MAX + 10)).value == "x" * EXCEL_TEXT_MAX


def test_dates_are_real_dates_written_as_the_register_writes_them():
    cell = cell_of(date(2016, 12, 31))
    assert cell.is_date and cell.value == datetime(2016, 12, 31)
    assert cell.number_format == "yyyy-mm-dd"
    early = cell_of(date(1900, 2, 1))
    assert early.is_date and early.value == datetime(1900, 2, 1)


def test_a_year_deadline_is_a_date_shown_as_under_the_year():
    cell = cell_of(YearDate(date(2017, 12, 31)))
    assert cell.is_date and cell.value == datetime(2017, 12, 31)
    assert cell.number_format == '"under "yyyy'


def test_numbers_are_numbers_with_their_columns_format():
    amount = cell_of(Decimal("1234.50"), column=1)
    assert amount.data_type == "n" and amount.value == 1234.5
    assert amount.number_format == KRONOR_FORMAT
    plain = cell_of(7)
    assert plain.data_type == "n" and plain.value == 7
    assert plain.number_format == "General"
    assert cell_of(Decimal("-0.1")).value == -0.1


def test_yes_and_no_as_booleans_stay_booleans():
    cell = cell_of(True)
    assert cell.data_type == "b" and cell.value is True


def test_each_table_is_a_sheet_with_a_bold_frozen_header_widths_and_its_own_rows():
    book = written(
        Table("Första", COLUMNS, [("a", Decimal(1)), ("b", None)]),
        Table("Andra", [Column("Andel", 9, PERCENT_FORMAT)], [(Decimal("11.9"),)]),
        Table("Tom", COLUMNS, []),
    )
    assert book.sheetnames == ["Första", "Andra", "Tom"]
    first, second, empty = book["Första"], book["Andra"], book["Tom"]
    assert header(first) == ["Värde", "Kronor"]
    assert all(cell.font.b for cell in first[1])
    assert first.freeze_panes == "A2"
    # 20 characters as Excel shows them; the file stores them with the cell padding added.
    assert first.column_dimensions["A"].width == pytest.approx(20, abs=1)
    assert [[cell.value for cell in row] for row in sheet_rows(first)] == [["a", 1], ["b", None]]
    (share,) = sheet_rows(second)[0]
    assert share.value == 11.9 and share.number_format == PERCENT_FORMAT
    assert header(empty) == ["Värde", "Kronor"] and sheet_rows(empty) == []
