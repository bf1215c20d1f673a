"""A good file through the real pages: preview, confirm, history, and a second import that changes nothing."""

from datetime import date

import pytest

from assignments.models import Assignment, DeadlineChange
from tests.factories import make_assignment, make_closed_assignment
from tests.imports.files import (
    HEADER,
    PREVIEW,
    UPLOAD,
    assignment_row,
    confirm,
    csv_file,
    force_confirm,
    register_state,
    text,
    upload,
    xlsx_file,
)

pytestmark = pytest.mark.django_db

GOOD_ROWS = [
    assignment_row("STK-2014-501", Beskrivning="Med beskrivning; och semikolon.\nTvå rader."),
    assignment_row("STK-2014-502", **{"Planerat avslut": date(2016, 6, 30)}),
    assignment_row(
        "STK-2014-503", **{"Ansvarig nämnd/förvaltning": "Kulturnämnden",
                           "Kommissionsområde": "3. Utbildning", "Planerat avslut": None},
    ),
]


def test_the_upload_page_explains_the_file_to_an_administrator(importer):
    response = importer.get(UPLOAD)
    page = text(response)
    assert response.status_code == 200
    assert "Importera från fil" in page
    assert "Fil (XLSX eller CSV)" in page
    assert "Inget sparas förrän du har sett en förhandsgranskning av varje rad" in page
    assert "beslutets diarienummer" in page and "kontoklass" in page
    assert 'enctype="multipart/form-data"' in response.content.decode()


def test_a_good_file_is_previewed_without_writing_then_imported_once(importer, administrator):
    before = register_state()
    preview = upload(importer, xlsx_file(GOOD_ROWS))

    assert preview.redirect_chain[-1][0].startswith(PREVIEW + "?token=")
    page = text(preview)
    assert "Förhandsgranskning av importen" in page
    assert "uppdrag.xlsx" in page
    assert "3 nya rader" in page and "0 rader med fel" in page
    assert "2 STK-2014-501 Skapas" in page
    assert "Titel: Importerat uppdrag STK-2014-501" in page
    assert "Planerat avslut: under 2017" in page
    assert "Planerat avslut: 2016-06-30" in page
    assert "Ansvarig nämnd/förvaltning: Kulturnämnden" in page
    assert "Kommissionsområde: 3. Utbildning" in page
    assert "Importera 3 rader" in page
    assert register_state() == before, "the preview writes nothing"

    done = confirm(importer, preview)

    assert done.redirect_chain[-1][0] == "/uppdrag/"
    assert "uppdrag.xlsx har importerats: 3 nya, 0 ändrade, 0 oförändrade." in text(done)
    first = Assignment.objects.get(reference="STK-2014-501")
    assert first.description == "Med beskrivning; och semikolon.\nTvå rader."
    assert first.status == Assignment.Status.ONGOING
    assert (first.planned_completion, first.planned_completion_is_year) == (
        date(2017, 12, 31), True
    )
    assert first.decided_on == date(2014, 3, 5)
    assert first.decision_reference == "STK-2013-145"
    assert first.area.number == 1 and first.responsible_unit.name == "Stadskontoret"
    third = Assignment.objects.get(reference="STK-2014-503")
    assert third.area.number == 3 and third.planned_completion is None
    records = Assignment.history.filter(reference__startswith="STK-2014-50")
    assert records.count() == 3
    for record in records:
        assert record.history_type == "+"
        assert record.history_user == administrator
        assert record.history_user_name == "Administratoren Test"
        assert record.history_change_reason == "Import från uppdrag.xlsx"

    after_first = register_state()
    again = upload(importer, xlsx_file(GOOD_ROWS))
    page = text(again)
    assert "0 nya rader" in page and "3 oförändrade rader" in page
    assert "Inget att importera: varje rad stämmer redan med registret." in page
    assert "2 STK-2014-501 Oförändrad" in page
    assert 'name="digest"' not in again.content.decode(), "nothing to confirm"
    force_confirm(importer, again)
    assert register_state() == after_first


@pytest.mark.parametrize(
    "options", [{"bom": True}, {"bom": False}, {"delimiter": ",", "bom": True}],
    ids=["semicolon with BOM", "semicolon without BOM", "comma"],
)
def test_a_csv_file_imports_like_the_xlsx(importer, options):
    preview = upload(importer, csv_file(GOOD_ROWS, **options))
    assert "3 nya rader" in text(preview)
    confirm(importer, preview)
    assert Assignment.objects.get(reference="STK-2014-501").description == (
        "Med beskrivning; och semikolon.\nTvå rader."
    )
    assert Assignment.objects.get(reference="STK-2014-502").planned_completion == date(2016, 6, 30)
    assert Assignment.history.get(reference="STK-2014-503").history_change_reason == (
        "Import från uppdrag.csv"
    )


def existing_row(assignment, **values):
    """The row of a file that says what the register says about `assignment`."""
    stored = {
        "Titel": assignment.title,
        "Status": assignment.get_status_display(),
        "Ansvarig nämnd/förvaltning": assignment.responsible_unit.name,
        "Kommissionsområde": str(assignment.area.number),
        "Planerat avslut": assignment.planned_completion_display(),
    }
    return assignment_row(assignment.reference, **{**stored, **values})


def test_a_changed_row_shows_old_and_new_and_moves_the_deadline_with_the_file_as_reason(
    importer, administrator, register
):
    assignment = make_assignment(
        reference="STK-2014-600", title="Gammal titel", responsible_unit=register["stk"],
        planned_completion=date(2015, 12, 31),
    )
    version = assignment.version
    rows = [existing_row(assignment, Titel="Ny titel", **{"Planerat avslut": "under 2017"})]

    preview = upload(importer, csv_file(rows, name="ändringar.csv"))
    page = text(preview)
    assert "1 ändrad rad" in page
    assert "2 STK-2014-600 Ändras" in page
    assert "Titel: Gammal titel → Ny titel" in page
    assert "Planerat avslut: 2015-12-31 → under 2017" in page

    confirm(importer, preview)
    assignment.refresh_from_db()
    assert assignment.title == "Ny titel"
    assert (assignment.planned_completion, assignment.planned_completion_is_year) == (
        date(2017, 12, 31), True
    )
    assert assignment.version == version + 1, "one change, one new version"
    latest = assignment.history.latest()
    assert latest.history_user == administrator
    assert latest.history_change_reason == "Import från ändringar.csv"
    move = DeadlineChange.objects.get(assignment=assignment)
    assert move.previous_date == date(2015, 12, 31)
    assert move.new_date == date(2017, 12, 31) and move.new_is_year
    assert move.reason == "Import från ändringar.csv"
    assert move.changed_by == administrator


def test_a_closed_assignment_that_the_file_also_calls_closed_stays_unchanged(importer, register):
    closed = make_closed_assignment(reference="STK-2014-700", responsible_unit=register["stk"])
    closed = Assignment.objects.get(pk=closed.pk)
    before = register_state()
    preview = upload(importer, xlsx_file([existing_row(closed)]))
    page = text(preview)
    assert "2 STK-2014-700 Oförändrad" in page
    assert "0 rader med fel" in page
    assert register_state() == before


def test_a_column_the_import_does_not_know_is_named_and_left_out(importer):
    rows = [[*assignment_row(), "ja"]]
    preview = upload(importer, xlsx_file(rows, header=[*HEADER, "Försenad"]))
    assert "Kolumner som inte läses in Försenad" in text(preview)
    assert "1 ny rad" in text(preview)

