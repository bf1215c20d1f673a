"""Bad rows are refused twice: by full_clean() in Swedish, and by the database when code skips it."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from assignments.models import Assignment, CommissionArea, Treatment, Unit
from budget.models import AccountClass, BudgetRow
from tests.factories import ks_treatment, make_area, make_assignment, make_unit, set_up

pytestmark = pytest.mark.django_db


def assert_database_refuses(obj, constraint, unique_on=()):
    """A raw save() – as a careless import would do – fails on the named constraint.

    SQLite names a violated unique constraint by its columns, not by its name.
    """
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        obj.save()
    if unique_on and connection.vendor == "sqlite":
        columns = (f"{obj._meta.db_table}.{obj._meta.get_field(f).column}" for f in unique_on)
        constraint = "UNIQUE constraint failed: " + ", ".join(columns)
    assert constraint in str(refused.value)


def clean_errors(obj):
    with pytest.raises(ValidationError) as refused:
        obj.full_clean()
    return refused.value.message_dict


def stored(assignment):
    return Assignment.objects.get(pk=assignment.pk)


def new_assignment(**fields):
    values = {
        "reference": "STK-2014-999",
        "title": "Nytt uppdrag",
        "area": make_area(),
        "responsible_unit": make_unit(),
        "decided_on": date(2014, 3, 5),
        "decision_reference": "STK-2013-145",
    }
    return Assignment(**{**values, **fields})


def budget_row(**fields):
    values = {
        "year": 2016,
        "name": "Projekt och utredningar",
        "account_class": AccountClass.COSTS,
        "budget": Decimal("64000000.00"),
    }
    return BudgetRow(**{**values, **fields})


def test_an_unknown_status_is_refused(handlaggare):
    assignment = make_assignment()
    # With a treatment behind it, the unknown status is the row's only fault.
    assignment.status_treatment = assignment.add_treatment(
        ks_treatment(kind=Treatment.Kind.DECISION), user=handlaggare
    )
    assignment.status = "okand"

    assert clean_errors(assignment)["status"] == ["Värdet 'okand' är inget giltigt alternativ."]
    assert_database_refuses(assignment, "assignment_status_valid")
    assert stored(assignment).status == Assignment.Status.ONGOING


def test_a_closing_without_outcome_is_refused(handlaggare):
    assignment = make_assignment()
    final_report = assignment.add_treatment(
        ks_treatment(kind=Treatment.Kind.FINAL_REPORT), user=handlaggare
    )
    assignment.status = Assignment.Status.CLOSED
    assignment.status_treatment = final_report

    assert clean_errors(assignment)["outcome"] == ["Ett avslut kräver ett resultat."]
    assert_database_refuses(assignment, "assignment_closed_has_outcome")
    assert stored(assignment).status == Assignment.Status.ONGOING


def test_a_status_without_its_treatment_is_refused_by_the_database():
    assignment = make_assignment()
    assignment.status = Assignment.Status.STATUS_REPORT

    assert_database_refuses(assignment, "assignment_status_has_treatment")


def test_an_outcome_on_an_open_assignment_is_refused_by_the_database():
    assignment = make_assignment()
    assignment.outcome = Assignment.Outcome.IMPLEMENTED

    assert_database_refuses(assignment, "assignment_closed_has_outcome")


@pytest.mark.parametrize("reference", ["stk-2014-1", "STK 2014/1", "Dnr 219/2002", "STK-14-1", ""])
def test_a_malformed_diarienummer_is_refused(reference):
    assignment = new_assignment(reference=reference)

    errors = clean_errors(assignment)["reference"]
    assert errors in (
        ["Ange ett diarienummer som STK-2014-123 (förvaltning, år, löpnummer)."],
        ["Detta fält får inte vara tomt."],
    )
    assert_database_refuses(assignment, "assignment_reference_format")
    assert not Assignment.objects.filter(title="Nytt uppdrag").exists()


def test_a_malformed_treatment_diarienummer_is_refused():
    treatment = ks_treatment(
        assignment=make_assignment(), kind=Treatment.Kind.DECISION, reference="219/2002"
    )

    assert clean_errors(treatment)["reference"] == [
        "Ange ett diarienummer som STK-2014-123 (förvaltning, år, löpnummer)."
    ]


def test_a_duplicate_diarienummer_is_refused():
    existing = make_assignment(reference="STK-2014-201")
    duplicate = new_assignment(reference=existing.reference)

    assert clean_errors(duplicate)["reference"] == [
        "Det finns redan ett uppdrag med detta diarienummer."
    ]
    assert_database_refuses(duplicate, "assignments_assignment_reference", ["reference"])
    assert Assignment.objects.filter(reference="STK-2014-201").count() == 1


def test_a_development_process_without_owner_is_refused_by_the_database(handlaggare):
    assignment = make_assignment()
    assignment.close(ks_treatment(), outcome=Assignment.Outcome.IMPLEMENTED, user=handlaggare)
    assignment.outcome = Assignment.Outcome.DEVELOPMENT_PROCESS

    assert clean_errors(assignment)["follow_up_owner"] == [
        "Ange vem som ansvarar för uppföljningen av utvecklingsprocessen."
    ]
    assert_database_refuses(assignment, "assignment_process_has_owner")


@pytest.mark.parametrize("field", ["budget", "outcome"])
def test_a_negative_amount_is_refused(field):
    row = budget_row(**{field: Decimal("-1.00")})

    assert clean_errors(row)[field] == [
        "Kontrollera att detta värde är större än eller lika med 0."
    ]
    assert_database_refuses(row, "budget_row_amounts_not_negative")
    assert not BudgetRow.objects.exists()


def test_income_is_a_positive_amount_in_account_class_3():
    row = budget_row(
        name="Verksamhetens intäkter", account_class=AccountClass.INCOME, budget=Decimal(40000000)
    )
    row.full_clean()
    with set_up():
        row.save()

    assert BudgetRow.objects.income().get() == row


@pytest.mark.parametrize("account_class", [2, 9])
def test_an_account_class_outside_3_to_8_is_refused(account_class):
    row = budget_row(account_class=account_class)

    assert clean_errors(row)["account_class"] == [
        f"Värdet {account_class} är inget giltigt alternativ."
    ]
    assert_database_refuses(row, "budget_row_account_class_3_to_8")


def test_amounts_are_exact_kronor_not_floats():
    row = budget_row(budget=Decimal("0.10") + Decimal("0.20"))
    row.full_clean()
    with set_up():
        row.save()

    assert BudgetRow.objects.get(pk=row.pk).budget == Decimal("0.30")


def test_a_duplicate_budget_row_for_the_same_year_is_refused():
    first = budget_row()
    first.full_clean()
    with set_up():
        first.save()

    assert clean_errors(budget_row())["__all__"] == ["Året har redan en budgetrad med det namnet."]
    assert_database_refuses(budget_row(), "budget_row_unique_per_year", ["year", "name"])


def test_a_unit_cannot_end_before_it_starts():
    unit = Unit(
        name="Stadsområdesnämnd Norr", valid_from=date(2017, 5, 1), valid_to=date(2017, 4, 30)
    )

    assert clean_errors(unit)["__all__"] == ["Giltighetstiden slutar innan den börjar."]
    assert_database_refuses(unit, "unit_valid_period")
    assert not Unit.objects.filter(name="Stadsområdesnämnd Norr").exists()


def test_a_commission_area_outside_1_to_6_is_refused():
    area = CommissionArea(number=7, name="Sjunde området")

    assert clean_errors(area)["__all__"] == ["Malmökommissionen har områdena 1 till 6."]
    assert_database_refuses(area, "area_number_1_to_6")
