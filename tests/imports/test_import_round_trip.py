"""The register's own exports import back unchanged: the hand-over loses nothing."""

import io
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from assignments.models import Assignment
from tests.imports.files import (
    HEADER,
    assignment_row,
    confirm,
    csv_file,
    force_confirm,
    register_state,
    text,
    upload,
)

pytestmark = pytest.mark.django_db


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    "url, file_name, rows",
    [
        (reverse("assignments:export", args=["xlsx"]), "uppdrag.xlsx", 31),
        (reverse("assignments:export", args=["csv"]), "uppdrag.csv", 31),
        (reverse("budget:export", args=["xlsx"]) + "?ar=2016", "budget.xlsx", None),
        (reverse("budget:export", args=["csv"]) + "?ar=2016", "budget.csv", None),
    ],
    ids=["assignments xlsx", "assignments csv", "budget xlsx", "budget csv"],
)
def test_an_export_of_the_demo_register_imports_back_as_all_unchanged(
    client, administrator, demo, url, file_name, rows
):
    client.force_login(administrator)
    exported = download(client, url)
    before = register_state()

    preview = upload(client, SimpleUploadedFile(file_name, exported))
    page = text(preview)

    assert "0 rader med fel" in page, page
    assert "0 nya rader" in page and "0 ändrade rader" in page
    assert "Inget att importera: varje rad stämmer redan med registret." in page
    if rows:
        assert f"{rows} oförändrade rader" in page
    force_confirm(client, preview)
    assert register_state() == before


def exported_with_a_new_row(client, fmt, new_row):
    """The list as exported, with `new_row` (header: value) added as Excel would save it."""
    exported = download(client, reverse("assignments:export", args=[fmt]))
    if fmt == "xlsx":
        workbook = load_workbook(io.BytesIO(exported))
        sheet = workbook.active
        header = [cell.value for cell in sheet[1]]
        sheet.append([new_row.get(name) for name in header])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return SimpleUploadedFile("uppdrag.xlsx", buffer.getvalue())
    header = exported.decode("utf-8-sig").split("\r\n", 1)[0].split(";")
    cells = ["" if new_row.get(name) is None else str(new_row[name]) for name in header]
    return SimpleUploadedFile("uppdrag.csv", exported + ";".join(cells).encode() + b"\r\n")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_exported_list_with_one_row_added_imports_that_row_and_changes_nothing_else(
    client, administrator, demo, fmt
):
    client.force_login(administrator)
    officer = get_user_model().objects.get(username="handlaggare")
    before = register_state()
    new_row = {
        "Diarienummer": "STK-2017-900",
        "Titel": "Uppföljning av Malmökommissionens mål",
        "Status": "pågående",
        "Ansvarig nämnd/förvaltning": "Stadskontoret",
        "Kommissionsområde": "1",
        "Beslutsdatum": date(2017, 2, 1),
        "Beslutets diarienummer": "STK-2017-12",
        "Planerat avslut": "under 2018",
        "Handläggare": "Hanna Lind",
    }

    preview = upload(client, exported_with_a_new_row(client, fmt, new_row))
    page = text(preview)
    assert "0 rader med fel" in page, page
    assert "1 ny rad" in page and "31 oförändrade rader" in page
    assert "Handläggare: Hanna Lind" in page
    confirm(client, preview)

    new = Assignment.objects.get(reference="STK-2017-900")
    assert (new.title, new.decision_reference, new.case_officer) == (
        "Uppföljning av Malmökommissionens mål", "STK-2017-12", officer
    )
    assert (new.planned_completion, new.planned_completion_is_year) == (date(2018, 12, 31), True)
    after = register_state()
    assert after["assignments"] == before["assignments"] + 1
    # One history row, the new assignment's: the 31 unchanged rows got no new version.
    assert after["assignment history"] == before["assignment history"] + 1
    assert after["deadline changes"] == before["deadline changes"]


@pytest.mark.parametrize(
    "name, message",
    [
        ("Okänd Person", "Okänd handläggare ”Okänd Person”"),
        ("politikern", "Okänd handläggare ”politikern”"),
    ],
)
def test_a_case_officer_the_register_does_not_know_is_a_row_error(
    importer, handlaggare, politiker, name, message
):
    rows = [[*assignment_row(), name]]
    page = text(upload(importer, csv_file(rows, header=[*HEADER, "Handläggare"])))
    assert f"Rad 2, kolumn ”handläggare”: {message}" in page


@pytest.mark.parametrize("name", ["handlaggaren", "Handlaggaren Test", "HANDLAGGAREN TEST"])
def test_a_case_officer_is_found_by_name_or_user_name(importer, handlaggare, name):
    rows = [[*assignment_row(), name]]
    confirm(importer, upload(importer, csv_file(rows, header=[*HEADER, "Handläggare"])))
    assert Assignment.objects.get(reference="STK-2014-501").case_officer == handlaggare


def test_the_case_officer_column_changes_the_case_officer_with_history(importer, handlaggare):
    confirm(importer, upload(importer, csv_file([assignment_row()])))
    rows = [[*assignment_row(), "Handlaggaren Test"]]
    preview = upload(importer, csv_file(rows, header=[*HEADER, "Handläggare"]))
    assert "Handläggare: – → Handlaggaren Test" in text(preview)
    confirm(importer, preview)
    assignment = Assignment.objects.get(reference="STK-2014-501")
    assert assignment.case_officer == handlaggare
    assert assignment.history.first().history_change_reason == "Import från uppdrag.csv"
