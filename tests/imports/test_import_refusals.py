"""Bad files are refused with a Swedish message, by row and column where there is one,
and nothing is written, not even when a confirmation is posted anyway."""

import io
import os
import re
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assignments.models import Assignment
from tests.factories import make_assignment
from tests.imports.files import (
    HEADER,
    PREVIEW,
    UPLOAD,
    assignment_row,
    csv_file,
    force_confirm,
    register_state,
    text,
    upload,
    xlsx_file,
)

pytestmark = pytest.mark.django_db

NOTHING_SAVED = "Filen kan inte importeras. Inget har sparats."
ROW_ERRORS = (
    "Filen har fel. Inget kan importeras förrän felen är rättade i filen och den har "
    "laddats upp igen."
)


def zip_without_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hej.txt", "inte ett kalkylblad")
    return buffer.getvalue()


FILE_REFUSALS = {
    "wrong headers": (
        lambda: xlsx_file([["STK-2014-1", "Titel"]], header=["Reference", "Title"]),
        ("Första raden har inte rubrikerna för en lista med uppdrag (diarienummer, titel, "
        "status, ansvarig nämnd/förvaltning, kommissionsområde, beslutsdatum) eller med "
        "budgetrader (år, namn, kontoklass, budget). Använd rubrikraden från registrets export."),
    ),
    "a missing column": (
        lambda: csv_file([assignment_row()[:6]], header=HEADER[:6]),
        "Rubrikraden saknar kolumnerna: beslutsdatum.",
    ),
    "a column twice": (
        lambda: csv_file([[*assignment_row(), "x"]], header=[*HEADER, "titel"]),
        "Kolumnen ”titel” finns två gånger i rubrikraden.",
    ),
    "an empty file": (
        lambda: SimpleUploadedFile("uppdrag.csv", b""),
        "Den skickade filen är tom.",
    ),
    "a file of empty lines": (
        lambda: SimpleUploadedFile("uppdrag.csv", b"\xef\xbb\xbf;;;\r\n\r\n;;\r\n"),
        "Filen är tom.",
    ),
    "a header row only": (
        lambda: csv_file([]),
        "Filen har en rubrikrad men inga rader att importera.",
    ),
    "random bytes named .xlsx": (
        lambda: SimpleUploadedFile("uppdrag.xlsx", os.urandom(2048)),
        "Filen är inte ett XLSX-kalkylblad.",
    ),
    "a zip that is no workbook": (
        lambda: SimpleUploadedFile("uppdrag.xlsx", zip_without_workbook()),
        "Filen är inte ett XLSX-kalkylblad.",
    ),
    "random bytes named .csv": (
        lambda: SimpleUploadedFile("uppdrag.csv", bytes(range(128, 256)) * 8),
        "CSV-filen är inte text i UTF-8. Spara den från Excel som ”CSV UTF-8”.",
    ),
    "a PDF": (
        lambda: SimpleUploadedFile("uppdrag.pdf", b"%PDF-1.4 ..."),
        "Bara XLSX- och CSV-filer kan importeras.",
    ),
    "a 10 MB file": (
        lambda: SimpleUploadedFile("uppdrag.csv", b"x" * (10 * 1024 * 1024)),
        "Filen är 10,0 MB; filer på högst 5,0 MB kan importeras.",
    ),
}


@pytest.mark.parametrize("make_file, message", FILE_REFUSALS.values(), ids=FILE_REFUSALS.keys())
def test_a_file_that_cannot_be_read_is_refused_on_the_upload_page(importer, make_file, message):
    make_assignment(reference="STK-2014-1")
    before = register_state()
    response = upload(importer, make_file())
    page = text(response)
    assert response.redirect_chain == [], "no preview"
    assert NOTHING_SAVED in page
    assert message in page
    assert register_state() == before


def test_a_large_upload_is_refused_without_a_temporary_file(importer, settings, tmp_path):
    # Django would write an upload this large to a temporary file; the import
    # keeps no file: a temporary directory that does not exist is never missed.
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "finns-inte")
    response = upload(importer, SimpleUploadedFile("uppdrag.xlsx", os.urandom(6 * 1024 * 1024)))
    assert "Filen är 6,0 MB; filer på högst 5,0 MB kan importeras." in text(response)


def row_refusal(header=HEADER, **values):
    return lambda: xlsx_file([assignment_row("STK-2014-501"), assignment_row(**values)],
                             header=header)


ROW_REFUSALS = {
    "a non-date in a date column": (
        row_refusal(reference="STK-2014-502", Beslutsdatum="igår"),
        "Rad 3, kolumn ”beslutsdatum”: ”igår” är inget datum; skriv datum som 2016-12-31.",
    ),
    "an impossible date": (
        row_refusal(reference="STK-2014-502", Beslutsdatum="2014-02-30"),
        "Rad 3, kolumn ”beslutsdatum”: ”2014-02-30” är inget datum; skriv datum som 2016-12-31.",
    ),
    "a non-date as planned completion": (
        row_refusal(reference="STK-2014-502", **{"Planerat avslut": "snart"}),
        ("Rad 3, kolumn ”planerat avslut”: ”snart” är inget planerat avslut; skriv ett datum "
        "som 2017-06-30 eller ett år som ”under 2017”."),
    ),
    "an unknown status": (
        row_refusal(reference="STK-2014-502", Status="vilande"),
        ("Rad 3, kolumn ”status”: Okänd status ”vilande”; använd pågående, lägesrapport "
        "eller avslutad."),
    ),
    "an unknown unit": (
        row_refusal(reference="STK-2014-502", **{"Ansvarig nämnd/förvaltning": "Månnämnden"}),
        ("Rad 3, kolumn ”ansvarig nämnd/förvaltning”: Okänd nämnd/förvaltning ”Månnämnden”: "
        "ingen nämnd eller förvaltning i registret heter så."),
    ),
    "an unknown area": (
        row_refusal(reference="STK-2014-502", Kommissionsområde="7"),
        ("Rad 3, kolumn ”kommissionsområde”: Okänt kommissionsområde ”7”; använd dess nummer "
        "1–6 eller dess namn."),
    ),
    "a duplicate dnr": (
        row_refusal(reference="STK-2014-501"),
        ("Rad 3, kolumn ”diarienummer”: Diarienumret STK-2014-501 finns också på rad 2; "
        "varje uppdrag får bara finnas en gång i filen."),
    ),
    "a malformed dnr": (
        row_refusal(reference="2014/502"),
        "Rad 3, kolumn ”diarienummer”: Ange ett diarienummer som STK-2014-123",
    ),
    "an empty title": (
        row_refusal(reference="STK-2014-502", Titel=""),
        "Rad 3, kolumn ”titel”: Tom; kolumnen måste ha ett värde.",
    ),
    "a title too long": (
        row_refusal(reference="STK-2014-502", Titel="x" * 301),
        ("Rad 3, kolumn ”titel”: Säkerställ att detta värde har som mest 300 tecken "
        "(den har 301)."),
    ),
    "a new assignment said to be closed": (
        row_refusal(reference="STK-2014-502", Status="avslutad"),
        ("Rad 3, kolumn ”status”: Ett nytt uppdrag importeras som pågående. Registrera dess "
        "lägesrapport eller avslut, med den politiska behandlingen bakom, på uppdragets sida "
        "efter importen."),
    ),
    "a new assignment without a decision dnr column": (
        lambda: csv_file([assignment_row()[:7]], header=HEADER[:7]),
        ("Rad 2, kolumn ”beslutets diarienummer”: Ett nytt uppdrag behöver den här kolumnen, "
        "som saknas i filen."),
    ),
}


@pytest.mark.parametrize("make_file, message", ROW_REFUSALS.values(), ids=ROW_REFUSALS.keys())
def test_a_row_in_error_is_named_with_its_column_and_nothing_can_be_imported(
    importer, make_file, message
):
    before = register_state()
    preview = upload(importer, make_file())
    page = text(preview)
    assert preview.redirect_chain[-1][0].startswith(PREVIEW)
    assert ROW_ERRORS in page
    assert message in page
    assert not re.search(r"Importera \d+ rad", page), "no import button"
    assert 'name="digest"' not in preview.content.decode()

    refused = force_confirm(importer, preview)
    assert "Filen har fel; inget har importerats." in text(refused)
    assert register_state() == before


def test_a_status_change_through_the_import_is_refused_with_the_way_to_do_it(importer, register):
    ongoing = make_assignment(reference="STK-2014-800", responsible_unit=register["stk"])
    before = register_state()
    rows = [assignment_row(ongoing.reference, Status="lägesrapport")]
    page = text(upload(importer, csv_file(rows)))
    assert (
        "Rad 2, kolumn ”status”: Registret säger pågående, filen säger lägesrapport. En status "
        "ändras med den politiska behandlingen bakom, på uppdragets sida, inte genom en import."
    ) in page
    assert Assignment.objects.get(pk=ongoing.pk).status == Assignment.Status.ONGOING
    assert register_state() == before


def test_a_planned_completion_cannot_be_removed_by_an_import(importer, register):
    dated = make_assignment(
        reference="STK-2014-801", responsible_unit=register["stk"],
        planned_completion=date(2015, 12, 31),
    )
    rows = [assignment_row(dated.reference, Titel=dated.title, **{"Planerat avslut": ""})]
    page = text(upload(importer, csv_file(rows)))
    assert (
        "Rad 2, kolumn ”planerat avslut”: En import kan inte ta bort ett planerat avslut; "
        "behåll 2015-12-31 i filen."
    ) in page


def test_every_error_of_the_file_is_listed_at_once(importer):
    rows = [
        assignment_row("STK-2014-501", Beslutsdatum="igår", Status="vilande"),
        assignment_row("STK-2014-502", Kommissionsområde="Rymden"),
    ]
    page = text(upload(importer, xlsx_file(rows)))
    assert "2 rader med fel" in page
    assert "Rad 2, kolumn ”beslutsdatum”" in page
    assert "Rad 2, kolumn ”status”" in page
    assert "Rad 3, kolumn ”kommissionsområde”" in page


def test_no_file_at_all_asks_for_one(importer):
    response = importer.post(UPLOAD, {})
    assert "Detta fält måste fyllas i." in text(response)
