"""The import obeys the models' rules: closed assignments, text maxima, plausible dates."""

from datetime import date

import pytest

from assignments.models import Assignment, DeadlineChange
from tests.factories import make_assignment, make_closed_assignment
from tests.foundation.test_closed_rules import CLOSED
from tests.imports.files import assignment_row, csv_file, register_state, text, upload

pytestmark = pytest.mark.django_db


def test_the_import_refuses_moving_the_deadline_of_a_closed_assignment(importer, register):
    closed = make_closed_assignment(
        reference="STK-2014-700", responsible_unit=register["stk"],
        planned_completion=date(2015, 12, 31),
    )
    before = register_state()

    rows = [assignment_row(closed.reference, Titel=closed.title, Status="avslutad",
                           **{"Planerat avslut": "under 2018"})]
    page = text(upload(importer, csv_file(rows)))

    assert f"Rad 2, kolumn ”planerat avslut”: {CLOSED}" in page
    assert not DeadlineChange.objects.exists()
    assert register_state() == before


def test_a_description_over_the_maximum_is_refused_on_its_row(importer):
    rows = [assignment_row("STK-2014-501"),
            assignment_row("STK-2014-502", Beskrivning="x" * 10001)]

    page = text(upload(importer, csv_file(rows)))

    assert (
        "Rad 3, kolumn ”beskrivning”: Säkerställ att detta värde har som mest 10000 tecken "
        "(den har 10001)."
    ) in page
    assert not Assignment.objects.exists()


def test_a_decision_dated_in_year_one_is_refused_on_its_row(importer):
    rows = [assignment_row("STK-2014-502", Beslutsdatum="0001-01-01")]

    page = text(upload(importer, csv_file(rows)))

    assert "Rad 2, kolumn ”beslutsdatum”: Skriv ett datum från 2000-01-01 till och med 2100-12-31." in page
    assert not Assignment.objects.exists()


@pytest.mark.parametrize("completion", ["1999-12-31", "under 2200", "under 0001"])
def test_a_deadline_moved_outside_the_register_is_refused_on_its_row(
    importer, register, completion
):
    assignment = make_assignment(
        reference="STK-2014-701", responsible_unit=register["stk"],
        planned_completion=date(2015, 12, 31),
    )
    before = register_state()

    rows = [assignment_row(assignment.reference, Titel=assignment.title,
                           **{"Planerat avslut": completion})]
    page = text(upload(importer, csv_file(rows)))

    assert "Rad 2, kolumn ”planerat avslut”: Skriv ett datum från 2000-01-01" in page
    assert not DeadlineChange.objects.exists()
    assert register_state() == before
