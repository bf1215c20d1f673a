"""Parallel creates that collide on a unique rule: one is stored, every other one is told why.

Eight handläggare register the same treatment, the same diarienummer or the same budget
row at once. Those whose check ran before the winner committed hit the database's unique
constraint; they get the same Swedish message as the ordinary uniqueness check, never a 500.
"""

import threading
from datetime import date

import pytest
from django.db import connection, transaction
from django.urls import reverse

from assignments.models import Assignment, CommissionArea, Treatment, Unit
from budget.models import BudgetRow
from malmo_ks.history import attributed_to
from tests.budget.test_budget_rows import CREATE as CREATE_ROW
from tests.budget.test_budget_rows import form_data, make_row
from tests.databases import concurrent_writers
from tests.factories import ks_treatment, make_area, make_assignment, make_unit
from tests.register.test_workflow import url
from tests.security.test_concurrent_edits import save_all_at_once, signed_in_officers

pytestmark = [pytest.mark.django_db(transaction=True), concurrent_writers]

PEOPLE = 8
SAME_TREATMENT = "Den här behandlingen (organ, sammanträdesdatum, §) är redan registrerad."
SAME_REFERENCE = "Det finns redan ett uppdrag med detta diarienummer."
SAME_ROW = "Året har redan en budgetrad med det namnet."
TREATMENT = {"body": "KS", "meeting_date": "2015-02-11", "paragraph": "45", "reason": ""}


def new_assignment_data():
    return {
        "reference": "STK-2014-900",
        "title": "Förbättra möjligheterna för barn och unga att röra sig i hela staden",
        "area": make_area(2).pk,
        "responsible_unit": make_unit("Stadskontoret").pk,
        "decided_on": "2014-03-05",
        "decision_reference": "STK-2013-145",
        "planned_completion": "2016-12-31",
        "reason": "",
    }


def assert_one_stored_and_the_rest_told(responses, message):
    codes = [None if response is None else response.status_code for response in responses]
    assert sorted(codes, key=str) == [200] * (PEOPLE - 1) + [302], codes
    for response in responses:
        if response.status_code == 200:
            assert message in response.content.decode()


def while_a_parallel_insert_commits(insert, post):
    """Run `post` while `insert`, in a transaction of its own, is stored but not yet committed.

    The request's checks cannot see the uncommitted row; its insert then waits on
    the unique index until the other transaction commits, and fails: the race
    that parallel requests run into now and then, made certain.
    """
    inserted, release = threading.Event(), threading.Event()

    def hold():
        try:
            # A new thread does not inherit the test's attribution (a context variable).
            with attributed_to("parallel test"), transaction.atomic():
                insert()
                inserted.set()
                release.wait(timeout=10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    assert inserted.wait(timeout=10)
    threading.Timer(0.5, release.set).start()
    try:
        return post()
    finally:
        holder.join(timeout=10)


def test_eight_registering_the_same_treatment_at_once_store_it_once():
    assignment = make_assignment()
    clients = signed_in_officers(PEOPLE)

    responses = save_all_at_once(clients, url("add_treatment", assignment), [TREATMENT] * PEOPLE)

    assert_one_stored_and_the_rest_told(responses, SAME_TREATMENT)
    assert Treatment.objects.count() == 1


def test_a_treatment_losing_the_race_at_the_database_is_told_like_a_duplicate(handlaggare):
    assignment = make_assignment()
    [client] = signed_in_officers(1)

    response = while_a_parallel_insert_commits(
        lambda: assignment.add_treatment(
            ks_treatment(date(2015, 2, 11), 45, kind=Treatment.Kind.DECISION), user=handlaggare
        ),
        lambda: client.post(url("add_treatment", assignment), TREATMENT),
    )

    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()
    assert SAME_TREATMENT in response.content.decode()
    assert Treatment.objects.count() == 1


def test_eight_registering_the_same_diarienummer_at_once_store_one_assignment():
    clients = signed_in_officers(PEOPLE)
    data = new_assignment_data()

    responses = save_all_at_once(clients, reverse("assignments:create"), [data] * PEOPLE)

    assert_one_stored_and_the_rest_told(responses, SAME_REFERENCE)
    assert Assignment.objects.filter(reference="STK-2014-900").count() == 1


def test_a_new_assignment_losing_the_race_is_told_next_to_the_diarienummer():
    [client] = signed_in_officers(1)
    data = new_assignment_data()

    response = while_a_parallel_insert_commits(
        lambda: make_assignment(
            reference="STK-2014-900",
            area=CommissionArea.objects.get(pk=data["area"]),
            responsible_unit=Unit.objects.get(pk=data["responsible_unit"]),
        ),
        lambda: client.post(reverse("assignments:create"), data),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["reference"] == [SAME_REFERENCE]
    assert f'id="id_reference_error"><li>{SAME_REFERENCE}' in response.content.decode()
    assert Assignment.objects.count() == 1


def test_eight_adding_the_same_budget_row_at_once_store_it_once():
    clients = signed_in_officers(PEOPLE)

    responses = save_all_at_once(clients, CREATE_ROW, [form_data()] * PEOPLE)

    assert_one_stored_and_the_rest_told(responses, SAME_ROW)
    assert BudgetRow.objects.count() == 1


def test_a_budget_row_losing_the_race_is_told_like_a_duplicate():
    [client] = signed_in_officers(1)

    response = while_a_parallel_insert_commits(
        lambda: make_row(name="Hyra tidigare konserthuset"),
        lambda: client.post(CREATE_ROW, form_data()),
    )

    assert response.status_code == 200
    assert SAME_ROW in response.content.decode()
    assert BudgetRow.objects.count() == 1
