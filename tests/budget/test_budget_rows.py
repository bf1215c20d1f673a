"""Adding and changing budget rows outside the admin: rules, Swedish errors and history."""

from decimal import Decimal

import pytest
from django.urls import reverse

from budget.models import BudgetRow
from tests.factories import make_assignment, make_assignments, set_up
from tests.query_counts import assert_queries_do_not_grow

CREATE = reverse("budget:create_row")


def edit_url(row):
    return reverse("budget:edit_row", args=[row.pk])


def make_row(assignments=(), **fields):
    values = {"year": 2016, "name": "Nytt ekonomisystem", "account_class": 6,
              "budget": Decimal("20000000"), "outcome": Decimal("22000000")}
    values.update(fields)
    row = BudgetRow(**values)
    with set_up():
        row.save_tracked(user=None, assignments=assignments)
    return row


def form_data(**fields):
    data = {"year": "2016", "name": "Hyra tidigare konserthuset", "account_class": "7",
            "budget": "15000000", "outcome": "15000000", "reason": "",
            "version": "1"}  # an edit page loaded before any other save
    data.update(fields)
    return data


def test_a_case_officer_adds_a_row_with_its_assignments_and_history(client, handlaggare):
    funded = [make_assignment(), make_assignment()]
    client.force_login(handlaggare)
    response = client.post(CREATE, form_data(
        assignments=[str(a.pk) for a in funded], reason="Enligt beslut i KS"
    ), follow=True)
    assert response.redirect_chain[-1][0] == reverse("budget:index") + "?ar=2016"
    html = response.content.decode()
    assert "Budgetraden ”2016 Hyra tidigare konserthuset” sparades." in html
    row = BudgetRow.objects.get(year=2016, name="Hyra tidigare konserthuset")
    assert row.budget == Decimal("15000000")
    assert set(row.assignments.all()) == set(funded)
    first = row.history.earliest()
    assert first.history_type == "+"
    assert first.history_user == handlaggare
    assert first.history_user_name == "Handlaggaren Test"
    assert first.history_change_reason == "Enligt beslut i KS"
    assert all(record.history_user == handlaggare for record in row.history.all())
    assert f'href="/uppdrag/{funded[0].pk}/"' in html


def test_the_form_offers_the_year_the_page_showed(client, handlaggare):
    client.force_login(handlaggare)
    html = client.get(CREATE, {"ar": "2017"}).content.decode()
    assert "<h1>Lägg till en budgetrad</h1>" in html
    assert 'name="year" value="2017"' in html


def test_a_case_officer_edits_a_row_and_its_links_with_a_reason(client, handlaggare):
    kept, dropped, added = make_assignment(), make_assignment(), make_assignment()
    row = make_row(assignments=[kept, dropped])
    client.force_login(handlaggare)
    assert "Ändra budgetrad ”2016 Nytt ekonomisystem”" in client.get(edit_url(row)).content.decode()
    response = client.post(edit_url(row), form_data(
        name="Nytt ekonomisystem", account_class="6", budget="20000000", outcome="23500000",
        assignments=[str(kept.pk), str(added.pk)], reason="Slutligt utfall",
    ))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.outcome == Decimal("23500000")
    assert set(row.assignments.all()) == {kept, added}
    change = row.history.filter(outcome=Decimal("23500000")).earliest()
    assert change.history_user == handlaggare
    assert change.history_change_reason == "Slutligt utfall"
    assert row.history.filter(outcome=Decimal("22000000")).exists()  # the earlier value is kept


def test_a_negative_amount_is_refused_in_swedish_and_nothing_is_saved(client, handlaggare):
    client.force_login(handlaggare)
    response = client.post(CREATE, form_data(budget="-5"))
    assert response.status_code == 200
    assert "Kontrollera att detta värde är större än eller lika med 0." in response.content.decode()
    assert not BudgetRow.objects.exists()


@pytest.mark.parametrize("chosen", ["9" * 40, "١٢", "-1", "1.5"])
def test_an_assignment_id_that_is_no_number_is_refused_in_swedish(client, handlaggare, chosen):
    """SQLite cannot bind "9" * 40: the form refuses it before asking the database."""
    client.force_login(handlaggare)
    response = client.post(CREATE, form_data(assignments=[chosen]))
    assert response.status_code == 200
    assert f"“{chosen}” är inte ett giltigt värde." in response.content.decode()
    assert not BudgetRow.objects.exists()


def test_a_second_row_with_the_same_name_in_a_year_is_refused_in_swedish(client, handlaggare):
    row = make_row()
    client.force_login(handlaggare)
    response = client.post(CREATE, form_data(name=row.name))
    assert "Året har redan en budgetrad med det namnet." in response.content.decode()
    assert BudgetRow.objects.count() == 1
    other_year = client.post(CREATE, form_data(name=row.name, year="2017"))
    assert other_year.status_code == 302
    assert BudgetRow.objects.count() == 2


def test_an_edit_keeping_its_own_name_is_not_a_duplicate(client, handlaggare):
    row = make_row()
    client.force_login(handlaggare)
    response = client.post(edit_url(row), form_data(name=row.name, account_class="6"))
    assert response.status_code == 302


def test_a_politician_gets_403_on_every_write_and_nothing_changes(client, politiker):
    row = make_row()
    client.force_login(politiker)
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, form_data()).status_code == 403
    assert client.get(edit_url(row)).status_code == 403
    assert client.post(edit_url(row), form_data(name="Ändrat")).status_code == 403
    assert list(BudgetRow.objects.values_list("name", flat=True)) == ["Nytt ekonomisystem"]


@pytest.mark.parametrize("user_fixture", ["handlaggare", "administrator"])
def test_case_officers_and_administrators_open_both_forms(client, db, request, user_fixture):
    row = make_row()
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(CREATE).status_code == 200
    assert client.get(edit_url(row)).status_code == 200


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    row = make_row()
    for url in (CREATE, edit_url(row)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_an_unknown_row_is_404(client, handlaggare):
    client.force_login(handlaggare)
    assert client.get(reverse("budget:edit_row", args=[999999])).status_code == 404


def test_the_form_query_count_does_not_grow_with_the_assignments(client, handlaggare):
    row = make_row()
    client.force_login(handlaggare)
    response = assert_queries_do_not_grow(
        lambda: client.get(edit_url(row)),
        lambda serials: make_assignments(len(serials)),
    )
    assert response.content.decode().count('name="assignments"') == 50
