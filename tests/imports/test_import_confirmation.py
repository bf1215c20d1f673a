"""Confirming writes exactly the preview the user saw, once: never without it, never a stale one."""

import pytest

from assignments.models import Assignment
from tests.factories import make_assignment
from tests.imports.files import (
    PREVIEW,
    UPLOAD,
    assignment_row,
    confirm,
    csv_file,
    hidden,
    register_state,
    text,
    upload,
    xlsx_file,
)

pytestmark = pytest.mark.django_db

NO_PENDING = (
    "Det finns ingen import som väntar på bekräftelse: förhandsgranskningen saknas, har "
    "ersatts av en senare uppladdning eller har redan importerats. Inget har importerats; "
    "ladda upp filen igen."
)


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_preview_without_an_upload_sends_back_to_the_upload_with_a_message(
    importer, method
):
    before = register_state()
    response = getattr(importer, method)(PREVIEW, {"token": "ingen-sadan"}, follow=True)
    assert response.redirect_chain == [(UPLOAD, 302)]
    assert NO_PENDING in text(response)
    assert register_state() == before


def test_a_preview_replaced_by_a_later_upload_cannot_be_confirmed(importer):
    first = upload(importer, csv_file([assignment_row("STK-2014-501")], name="första.csv"))
    upload(importer, csv_file([assignment_row("STK-2014-502")], name="andra.csv"))
    before = register_state()

    response = confirm(importer, first)

    assert response.redirect_chain == [(UPLOAD, 302)]
    assert NO_PENDING in text(response)
    assert register_state() == before


def test_a_confirmed_preview_cannot_be_confirmed_twice(importer):
    preview = upload(importer, csv_file([assignment_row("STK-2014-501")]))
    confirm(importer, preview)
    after = register_state()

    again = confirm(importer, preview)

    assert NO_PENDING in text(again)
    assert register_state() == after
    assert Assignment.history.filter(reference="STK-2014-501").count() == 1


def test_a_register_changed_since_the_preview_is_shown_again_and_nothing_is_written(
    importer, register
):
    preview = upload(importer, xlsx_file([assignment_row("STK-2014-501")]))
    # Meanwhile a handläggare registers the same diarienummer by hand.
    make_assignment(reference="STK-2014-501", title="Registrerat för hand",
                    responsible_unit=register["stk"])
    before = register_state()

    response = confirm(importer, preview)
    page = text(response)

    assert (
        "Registret har ändrats sedan förhandsgranskningen; inget har importerats. Granska den "
        "nya förhandsgranskningen och bekräfta igen."
    ) in page
    assert "Titel: Registrerat för hand → Importerat uppdrag STK-2014-501" in page
    assert register_state() == before
    assert Assignment.objects.get(reference="STK-2014-501").title == "Registrerat för hand"

    # The page now shows the plan as it is; confirming that one works.
    confirm(importer, response)
    assert Assignment.objects.get(reference="STK-2014-501").title == (
        "Importerat uppdrag STK-2014-501"
    )


def test_a_confirmation_without_the_previewed_digest_writes_nothing(importer):
    preview = upload(importer, csv_file([assignment_row()]))
    before = register_state()
    response = importer.post(PREVIEW, {"token": hidden(preview, "token")}, follow=True)
    assert "Registret har ändrats sedan förhandsgranskningen" in text(response)
    assert register_state() == before


def test_the_pending_rows_are_kept_in_the_database_session_with_name_and_hash(importer):
    # Any web process can then serve the confirmation: nothing is kept on local disk.
    preview = upload(importer, csv_file([assignment_row()]))
    pending = importer.session["pending_import"]
    assert pending["token"] == hidden(preview, "token")
    assert pending["upload"]["file_name"] == "uppdrag.csv"
    assert pending["upload"]["sha256"] in text(preview)
    assert pending["upload"]["rows"][0][1]["reference"] == "STK-2014-501"
