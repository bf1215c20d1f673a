"""Every change to the register is a new version that names who made it and why."""

from datetime import date

import pytest
from django.db import transaction
from django.db.models import ProtectedError

from assignments.models import Assignment, StatusReport, Unit
from malmo_ks.history import UnattributedChange, attributed_to
from tests.factories import ks_treatment, make_area, make_assignment, make_unit

pytestmark = pytest.mark.django_db


def save_unit(name):
    """A unit saved straight, not by a factory: the write names only what the caller named."""
    unit = Unit(name=name, valid_from=date(2000, 1, 1))
    unit.save()
    return unit


def assert_attributed(record, user, reason):
    assert record.history_user == user
    assert record.history_user_name == "Handlaggaren Test"
    assert record.history_change_reason == reason


def _report(assignment, user):
    report = StatusReport(assignment=assignment, report_date=date(2016, 10, 1), text="Pågår.")
    report.attribute(user, "Ny lägesrapport")
    report.save()
    return report


def test_saving_an_assignment_records_the_user_and_the_reason(handlaggare):
    assignment = make_assignment(user=handlaggare)

    assignment.title = "Nytt namn på uppdraget"
    assignment.save_tracked(user=handlaggare, reason="Titeln förtydligad")

    first, second = assignment.history.order_by("history_date")
    assert_attributed(first, handlaggare, "Testdata")
    assert_attributed(second, handlaggare, "Titeln förtydligad")
    assert second.title == "Nytt namn på uppdraget"
    assert second.version == 2


def test_reporting_status_records_who_and_why_for_the_treatment_report_and_assignment(
    handlaggare,
):
    assignment = make_assignment()
    report = _report(assignment, handlaggare)

    treatment = assignment.report_status(
        ks_treatment(), user=handlaggare, report=report, reason="KS godkände lägesrapporten"
    )

    for tracked in (assignment, treatment, report):
        assert_attributed(tracked.history.latest(), handlaggare, "KS godkände lägesrapporten")
    assert assignment.history.latest().status == Assignment.Status.STATUS_REPORT


def test_closing_records_who_and_why(handlaggare):
    assignment = make_assignment()

    treatment = assignment.close(
        ks_treatment(), outcome="genomfort", user=handlaggare, reason="Slutrapport godkänd"
    )

    assert_attributed(assignment.history.latest(), handlaggare, "Slutrapport godkänd")
    assert_attributed(treatment.history.latest(), handlaggare, "Slutrapport godkänd")


def test_moving_a_deadline_records_who_and_why(handlaggare):
    assignment = make_assignment()

    change = assignment.move_deadline(
        date(2016, 12, 31), user=handlaggare, reason="Remissvaret dröjde."
    )

    assert_attributed(assignment.history.latest(), handlaggare, "Remissvaret dröjde.")
    assert_attributed(change.history.latest(), handlaggare, "Remissvaret dröjde.")


def test_reopening_records_the_administrator_and_the_reason(handlaggare, administrator):
    assignment = make_assignment()
    assignment.close(ks_treatment(), outcome="genomfort", user=handlaggare)

    assignment.reopen(user=administrator, reason="Beslutet upphävdes")

    last = assignment.history.latest()
    assert last.history_user == administrator
    assert last.history_user_name == "Administratoren Test"
    assert last.history_change_reason == "Beslutet upphävdes"


def test_the_history_shows_each_status_as_it_was(handlaggare):
    assignment = make_assignment()
    assignment.report_status(ks_treatment(date(2016, 6, 1), 180), user=handlaggare)
    assignment.close(ks_treatment(), outcome="genomfort", user=handlaggare)

    statuses = list(assignment.history.order_by("history_date").values_list("status", flat=True))
    assert statuses == ["pagaende", "lagesrapport", "avslutad"]


def test_a_command_write_is_attributed_to_the_command():
    with attributed_to("import_units (kommando, drift)"):
        unit = save_unit("Servicenämnden")

    record = unit.history.get()
    assert record.history_user is None
    assert record.history_user_name == "import_units (kommando, drift)"


def test_a_write_with_no_user_and_no_attribution_is_refused():
    with pytest.raises(UnattributedChange):
        save_unit("Anonyma nämnden")


def test_the_guard_is_on_in_the_tests_too():
    """Only a factory's own writes are the set-up's: a verb the test then runs
    without a user is refused, as in production, and changes nothing."""
    assignment = make_assignment()

    with pytest.raises(UnattributedChange):
        assignment.move_deadline(date(2016, 6, 30), user=None, reason="Ingen står för det")

    assert Assignment.objects.get(pk=assignment.pk).planned_completion == date(2015, 12, 31)
    assert assignment.history.count() == 1


def test_a_refused_unattributed_write_leaves_no_row_behind():
    """The refusal must undo the write, or the row exists with no history at all."""
    with pytest.raises(UnattributedChange):
        save_unit("Anonyma nämnden")

    assert not Unit.objects.filter(name="Anonyma nämnden").exists()


def test_a_named_user_is_enough_without_attribution(handlaggare):
    assignment = Assignment(
        reference="STK-2014-301",
        title="Uppdrag",
        area=make_area(),
        responsible_unit=make_unit(),
        decided_on=date(2014, 3, 5),
        decision_reference="STK-2013-145",
    )
    assignment.save_tracked(user=handlaggare)

    assert assignment.history.get().history_user_name == "Handlaggaren Test"


def test_an_account_named_in_the_history_is_kept_and_so_is_its_name(handlaggare):
    # Issue 12: an account that has acted is deactivated, never deleted.
    assignment = make_assignment(user=handlaggare)

    with pytest.raises(ProtectedError), transaction.atomic():
        handlaggare.delete()

    record = assignment.history.get()
    assert record.history_user == handlaggare
    assert record.history_user_name == "Handlaggaren Test"


def test_a_deleted_record_keeps_its_history(administrator):
    unit = make_unit("Tillfälliga nämnden")
    unit.attribute(administrator, "Felregistrerad")
    unit.delete()

    assert list(
        Unit.history.filter(name="Tillfälliga nämnden")
        .values_list("history_type", flat=True)
        .order_by("history_date")
    ) == ["+", "-"]
