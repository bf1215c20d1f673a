"""A year's meeting plan from a file: preview, errors by row in Swedish, written once."""

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assignments.models import Meeting
from malmo_ks.history import display_name
from tests.factories import make_meeting, make_unit
from tests.imports.files import HEADER, assignment_row, csv_bytes, text, xlsx_file

pytestmark = pytest.mark.django_db

UPLOAD = reverse("imports:meeting_plan")
PREVIEW = reverse("imports:meeting_plan_preview")
PLAN_HEADER = ["Organ", "Datum", "Diarienummer"]


def plan_file(rows, header=PLAN_HEADER, name="plan-2027.csv"):
    return SimpleUploadedFile(name, csv_bytes(rows, header), content_type="text/csv")


def upload(client, file):
    return client.post(UPLOAD, {"file": file}, follow=True)


def hidden(response, name):
    match = re.search(rf'name="{name}" value="([^"]*)"', response.content.decode())
    return match[1] if match else None


def confirm(client, preview):
    return client.post(
        PREVIEW, {"token": hidden(preview, "token"), "digest": hidden(preview, "digest")},
        follow=True,
    )


@pytest.fixture
def planner(client, administrator):
    client.force_login(administrator)
    return client


def test_a_plan_is_previewed_then_imported_once_with_its_history(planner, administrator):
    make_unit("Grundskolenämnden")
    rows = [
        ["KS", "2027-02-03", ""],
        ["ksau", "2027-01-20", "STK-2027-1"],
        ["Grundskolenämnden", "2027-02-10", ""],
    ]
    preview = upload(planner, plan_file(rows))
    page = text(preview)

    assert preview.redirect_chain[-1][0].startswith(PREVIEW + "?token=")
    assert "Sammanträdesplan" in page and "3 nya rader" in page
    assert "3 ksau 2027-01-20 Skapas" in page
    assert "Protokollets diarienummer: STK-2027-1" in page
    assert not Meeting.objects.exists()

    done = confirm(planner, preview)

    assert done.redirect_chain[-1][0] == reverse("assignments:meetings")
    assert "plan-2027.csv har importerats: 3 nya" in text(done)
    meetings = {(m.body, str(m.committee or ""), m.date, m.protocol_reference)
                for m in Meeting.objects.select_related("committee")}
    assert meetings == {
        ("KS", "", date(2027, 2, 3), ""),
        ("KSAU", "", date(2027, 1, 20), "STK-2027-1"),
        ("namnd", "Grundskolenämnden", date(2027, 2, 10), ""),
    }
    for meeting in Meeting.objects.all():
        record = meeting.history.get()
        assert record.history_user_name == display_name(administrator)
        assert record.history_change_reason == "Import från plan-2027.csv"

    again = text(upload(planner, plan_file(rows)))
    assert "3 oförändrade rader" in again
    assert "Inget att importera" in again
    assert Meeting.objects.count() == 3


def test_a_meeting_already_in_the_plan_gets_its_protocol_diarienummer(planner):
    meeting = make_meeting(date=date(2016, 11, 2))
    preview = upload(planner, plan_file([["KS", "2016-11-02", "STK-2016-900"]]))
    assert "Protokollets diarienummer: – → STK-2016-900" in text(preview)

    confirm(planner, preview)

    meeting.refresh_from_db()
    assert meeting.protocol_reference == "STK-2016-900"
    assert meeting.history.count() == 2


def test_errors_are_told_by_row_and_column_and_nothing_is_imported(planner):
    rows = [
        ["KS", "2027-02-03", ""],
        ["Okända nämnden", "2027-02-10", ""],
        ["KS", "3 februari", ""],
        ["KF", "2027-03-01", "dnr 12"],
        ["KS", "2027-02-03", ""],
    ]
    preview = upload(planner, plan_file(rows))
    page = text(preview)

    assert ("Rad 3, kolumn ”organ”: Okänt organ ”Okända nämnden”: skriv KS, KSAU, KF eller "
            "namnet på en nämnd i registret.") in page
    assert "Rad 4, kolumn ”sammanträdesdatum”: ”3 februari” är inget datum" in page
    assert "Rad 5, kolumn ”protokollets diarienummer”:" in page
    assert ("Rad 6, kolumn ”sammanträdesdatum”: Sammanträdet finns också på rad 2; varje "
            "sammanträde får finnas en gång i filen.") in page
    assert hidden(preview, "digest") is None

    forced = planner.post(PREVIEW, {"token": preview.request["QUERY_STRING"].removeprefix(
        "token="), "digest": preview.context["plan"].digest}, follow=True)
    assert "Filen har fel; inget har importerats." in text(forced)
    assert not Meeting.objects.exists()


def test_an_assignment_list_is_not_a_meeting_plan(planner):
    response = upload(planner, xlsx_file([assignment_row()], header=HEADER))
    assert response.status_code == 200
    assert ("Första raden har inte rubrikerna i en sammanträdesplan (organ, "
            "sammanträdesdatum, protokollets diarienummer).") in text(response)
    assert not Meeting.objects.exists()


def test_a_plan_is_not_taken_by_the_register_s_import(planner):
    response = planner.post(reverse("imports:upload"), {"file": plan_file([["KS", "2027-02-03",
                                                                           ""]])}, follow=True)
    assert "Filen kan inte importeras." in text(response)
    assert not Meeting.objects.exists()


def test_a_case_officer_cannot_import_a_plan(client, handlaggare):
    client.force_login(handlaggare)
    response = client.post(UPLOAD, {"file": plan_file([["KS", "2027-02-03", ""]])})
    assert response.status_code == 403
    assert not Meeting.objects.exists()
