"""Admin saves of assignments and budget rows carry the version they were loaded with.

A save from an admin page loaded before someone else's save is refused with a Swedish
message on the form (never a 500), and what the other person saved stays.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from assignments.models import Assignment
from budget.models import BudgetRow
from tests.budget.test_budget_rows import edit_url, form_data, make_row
from tests.factories import make_assignment
from tests.foundation.test_admin import _assignment_form, admin_url
from tests.register.test_workflow import edit_data, url

pytestmark = pytest.mark.django_db

STALE = "Någon annan har sparat posten efter att du öppnade sidan."


def loaded_version(client, page_url):
    return client.get(page_url).context["adminform"].form["loaded_version"].value()


def test_the_admin_refuses_a_stale_save_of_an_assignment(admin_page, officer):
    assignment = make_assignment(title="Utgångsläge")
    change_url = admin_url(Assignment, "change", assignment.pk)
    version = loaded_version(admin_page, change_url)
    officer.post(url("edit", assignment), edit_data(assignment, title="Handläggarens titel"))

    response = admin_page.post(
        change_url,
        _assignment_form(assignment, title="Administratörens titel", loaded_version=version),
    )

    assert version == 1
    assert response.status_code == 200
    assert STALE in response.content.decode()
    saved = Assignment.objects.get(pk=assignment.pk)
    assert (saved.title, saved.version) == ("Handläggarens titel", 2)
    assert assignment.history.count() == 2


def test_an_admin_save_without_the_loaded_version_is_refused(admin_page):
    assignment = make_assignment(title="Utgångsläge")
    data = _assignment_form(assignment, title="Annat")
    del data["loaded_version"]

    response = admin_page.post(admin_url(Assignment, "change", assignment.pk), data)

    assert response.status_code == 200
    assert Assignment.objects.get(pk=assignment.pk).title == "Utgångsläge"


def budget_admin_form(row, **changes):
    data = {
        "year": row.year,
        "name": row.name,
        "account_class": row.account_class,
        "budget": row.budget,
        "outcome": row.outcome if row.outcome is not None else "",
        "loaded_version": row.version,
        "_save": "Spara",
    }
    data.update(changes)
    return data


def test_the_admin_refuses_a_stale_save_of_a_budget_row(admin_page, officer):
    row = make_row(outcome=Decimal("22000000"))
    change_url = admin_url(BudgetRow, "change", row.pk)
    version = loaded_version(admin_page, change_url)
    officer.post(edit_url(row), form_data(name=row.name, account_class="6", outcome="23500000"))

    response = admin_page.post(change_url, budget_admin_form(row, loaded_version=version))

    assert response.status_code == 200
    assert STALE in response.content.decode()
    assert BudgetRow.objects.get(pk=row.pk).outcome == Decimal("23500000")


def test_a_budget_row_saved_in_the_admin_moves_its_version_on(admin_page, administrator):
    row = make_row()

    response = admin_page.post(
        admin_url(BudgetRow, "change", row.pk), budget_admin_form(row, budget="21000000")
    )

    assert response.status_code == 302
    saved = BudgetRow.objects.get(pk=row.pk)
    assert (saved.budget, saved.version) == (Decimal("21000000"), 2)
    latest = saved.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (
        administrator,
        "Ändrat i administrationen",
    )


def test_a_stored_value_the_rules_no_longer_accept_is_told_on_the_form_not_a_500(admin_page):
    """Read-only in the admin, a planned completion stored before today's date rules
    (year 9999) is still validated at the save: the form says so above the fields."""
    assignment = make_assignment(title="Utgångsläge")
    with connection.cursor() as cursor:  # as data from before the rule would be
        cursor.execute(
            "UPDATE assignments_assignment SET planned_completion = %s WHERE id = %s",
            [date(9999, 12, 31), assignment.pk],
        )
    change_url = admin_url(Assignment, "change", assignment.pk)

    response = admin_page.post(
        change_url,
        _assignment_form(assignment, title="Ny titel", loaded_version=1),
    )

    assert response.status_code == 200
    assert "Skriv ett datum från 2000-01-01 till och med 2100-12-31." in response.content.decode()
    assert Assignment.objects.get(pk=assignment.pk).title == "Utgångsläge"
