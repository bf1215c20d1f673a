"""Crafted XLSX files are refused in Swedish after bounded work: row-number and empty-row
bombs, zip bombs, and one long shared string repeated in every row."""

import json

import pytest

from imports import reading
from imports.columns import ASSIGNMENTS, max_cell_length
from tests.imports.crafted import crafted_xlsx, header_row, row_xml
from tests.imports.files import PREVIEW, assignment_row, register_state, text, upload

pytestmark = pytest.mark.django_db

NOTHING_SAVED = "Filen kan inte importeras. Inget har sparats."
TOO_MANY_ROWS = (
    f"Filen har fler än {reading.MAX_ROWS} rader (tomma rader räknas också); "
    "importera den i delar."
)
DESCRIPTION = 2  # the column index of Beskrivning in HEADER
TITLE = 1


@pytest.fixture
def rows_read(monkeypatch):
    """How many rows (empty ones included) the import took from the XLSX reader."""
    counted = []
    read_xlsx = reading.READERS[".xlsx"]

    def counting(data):
        for row in read_xlsx(data):
            counted.append(row)
            yield row

    monkeypatch.setitem(reading.READERS, ".xlsx", counting)
    return counted


def refused_on_upload(importer, file, message):
    before = register_state()
    response = upload(importer, file)
    page = text(response)
    assert response.status_code == 200
    assert response.redirect_chain == [], "no preview"
    assert NOTHING_SAVED in page
    assert message in page
    assert "pending_import" not in importer.session
    assert register_state() == before


@pytest.mark.parametrize("dimension", [None, "A1:I50000000"], ids=["no dimension", "dimension"])
def test_a_last_row_numbered_fifty_million_is_refused_after_reading_few_rows(
    importer, rows_read, dimension
):
    rows = header_row() + row_xml(2, assignment_row()) + row_xml(50_000_000, ["STK-2014-9"])
    file = crafted_xlsx(rows, dimension=dimension)
    assert file.size < 3000

    refused_on_upload(importer, file, TOO_MANY_ROWS)
    assert len(rows_read) <= reading.MAX_ROWS + 2


def test_empty_rows_count_toward_the_row_limit(importer, rows_read):
    empty = "".join(f'<row r="{number}"/>' for number in range(3, 100_000))
    rows = header_row() + row_xml(2, assignment_row()) + empty
    refused_on_upload(importer, crafted_xlsx(rows), TOO_MANY_ROWS)
    assert len(rows_read) <= reading.MAX_ROWS + 2


def test_two_million_empty_rows_are_refused_after_reading_few_rows(importer, rows_read):
    rows = header_row() + row_xml(2, assignment_row()) + "<row/>" * 2_000_000
    file = crafted_xlsx(rows)
    assert file.size < 300_000

    refused_on_upload(importer, file, TOO_MANY_ROWS)
    assert len(rows_read) <= reading.MAX_ROWS + 2


def test_a_sheet_that_unpacks_to_more_than_20_mb_is_refused_before_parsing(importer, rows_read):
    rows = header_row() + row_xml(2, assignment_row()) + "<row/>" * 4_000_000
    file = crafted_xlsx(rows)
    assert file.size < 300_000

    refused_on_upload(
        importer, file,
        "XLSX-filen blir mer än 20,0 MB när den packas upp; importera den i delar.",
    )
    assert rows_read == [], "not a row parsed"


def test_a_workbook_of_thousands_of_parts_is_refused(importer, rows_read):
    parts = [(f"xl/media/bild{number}.png", b"") for number in range(5000)]
    file = crafted_xlsx(header_row() + row_xml(2, assignment_row()), extra_parts=parts)
    refused_on_upload(
        importer, file,
        "XLSX-filen består av 5006 delar; en arbetsbok har långt färre. Spara den på nytt "
        "från Excel.",
    )
    assert rows_read == []


def test_a_shared_string_longer_than_excel_allows_is_refused_before_anything_is_kept(importer):
    # 200 KB of text, once in the file, referred to by 200 rows: 40 MB once read.
    long_text = "lång text " * 20_000
    rows = header_row() + "".join(
        row_xml(number, [*assignment_row(f"STK-2014-{number}")[:DESCRIPTION], ("shared", 0),
                         *assignment_row(f"STK-2014-{number}")[DESCRIPTION + 1:]])
        for number in range(2, 202)
    )
    file = crafted_xlsx(rows, shared_strings=[long_text])
    assert file.size < 12_000

    refused_on_upload(
        importer, file,
        "Cell C2 innehåller 200000 tecken; en cell i Excel rymmer högst 32767.",
    )


def test_a_cell_longer_than_its_field_is_a_row_error_and_not_kept_in_the_session(importer):
    limit = max_cell_length(ASSIGNMENTS, "title")
    long_title = "T" * (limit + 5000)
    rows = header_row() + "".join(
        row_xml(number, [*assignment_row(f"STK-2014-{number}")[:TITLE], ("shared", 0),
                         *assignment_row(f"STK-2014-{number}")[TITLE + 1:]])
        for number in range(2, 202)
    )
    preview = upload(importer, crafted_xlsx(rows, shared_strings=[long_title]))
    page = text(preview)

    assert preview.redirect_chain[-1][0].startswith(PREVIEW)
    assert "200 rader med fel" in page
    assert (
        f"Rad 2, kolumn ”titel”: Säkerställ att detta värde har som mest {limit} tecken "
        f"(den har {limit + 5000})."
    ) in page
    assert long_title not in page
    assert len(json.dumps(importer.session["pending_import"])) < 100_000


def test_more_text_than_a_preview_can_keep_is_refused(importer):
    # Each cell within its field's limit, the whole more than the session may hold.
    title = "T" * max_cell_length(ASSIGNMENTS, "title")
    description = "B" * min(max_cell_length(ASSIGNMENTS, "description"), 20_000)
    per_row = len(title) + len(description)
    count = reading.MAX_KEPT_CHARACTERS // per_row + 2
    assert count < reading.MAX_ROWS
    rows = header_row() + "".join(
        row_xml(number, [f"STK-2014-{number}", ("shared", 0), ("shared", 1),
                         *assignment_row()[DESCRIPTION + 1:]])
        for number in range(2, count + 2)
    )
    refused_on_upload(
        importer, crafted_xlsx(rows, shared_strings=[title, description]),
        f"Filen innehåller mer än {reading.MAX_KEPT_CHARACTERS} tecken text, mer än en "
        "förhandsgranskning kan hålla; importera den i delar.",
    )


def test_one_long_text_in_every_cell_is_refused_after_a_few_rows(importer, rows_read):
    # Within Excel's limit, but 26 times a row in 2000 rows it is 1.4 billion characters.
    long_text = "lång rad\n" * 2700
    rows = header_row() + "".join(
        row_xml(number, [("shared", 0)] * 26) for number in range(2, 2000)
    )
    file = crafted_xlsx(rows, shared_strings=[long_text])
    assert file.size < 200_000

    refused_on_upload(
        importer, file,
        f"Filen innehåller mer än {reading.MAX_KEPT_CHARACTERS} tecken text, mer än en "
        "förhandsgranskning kan hålla; importera den i delar.",
    )
    assert len(rows_read) < 20
