"""Two people editing one budget row: a stale form never reverts the other's saved utfall.

The row carries a version like an assignment; a save from an outdated page is refused,
merged three-way with what was saved since, and saved only when the user saves again.
"""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from budget.models import BudgetRow
from malmo_ks import roles
from tests.budget.test_budget_rows import edit_url, make_row
from tests.databases import concurrent_writers
from tests.factories import make_assignment
from tests.imports.files import BUDGET_HEADER, confirm, csv_file, upload
from tests.register.test_edit_merge import as_shown
from tests.security.test_concurrent_edits import save_all_at_once, signed_in_officers

pytestmark = pytest.mark.django_db

REFUSED = "Någon annan har sparat budgetraden efter att du öppnade sidan."


@pytest.fixture
def first(client, handlaggare):
    client.force_login(handlaggare)
    return client


@pytest.fixture
def second(db):
    colleague = get_user_model().objects.create_user("kollegan", first_name="Kollegan")
    colleague.groups.add(Group.objects.get(name=roles.HANDLAGGARE))
    client = Client()
    client.force_login(colleague)
    return client


def loaded_form(client, row):
    """The edit page's fields as a browser holds them after loading it."""
    return as_shown(client.get(edit_url(row)))


def stored(row):
    return BudgetRow.objects.get(pk=row.pk)


def test_a_stale_form_does_not_revert_the_colleagues_outcome(first, second):
    row = make_row(outcome=Decimal("22000000"))
    mine, theirs = loaded_form(second, row), loaded_form(first, row)
    assert mine["version"] == 1

    first.post(edit_url(row), {**theirs, "outcome": "23500000", "reason": "Slutligt utfall"})
    refused = second.post(edit_url(row), {**mine, "name": "Nytt ekonomisystem (drift)"})

    page = refused.content.decode()
    assert refused.status_code == 200
    assert REFUSED in page
    assert "Handlaggaren Test" in page and "(Ändringsorsak: Slutligt utfall)" in page
    assert "Utfall (kr): 22 000 000,00 → 23 500 000,00" in page
    assert stored(row).outcome == Decimal("23500000")
    assert stored(row).name == "Nytt ekonomisystem"

    shown = as_shown(refused)
    assert Decimal(shown["outcome"]) == Decimal("23500000")
    again = second.post(edit_url(row), shown)

    assert again.status_code == 302
    saved = stored(row)
    assert (saved.name, saved.outcome, saved.version) == (
        "Nytt ekonomisystem (drift)",
        Decimal("23500000"),
        3,
    )
    latest = saved.history.latest()
    assert latest.history_user_name == "Kollegan"


def test_links_only_the_colleague_changed_are_kept(first, second):
    row = make_row()
    funded = make_assignment()
    mine, theirs = loaded_form(second, row), loaded_form(first, row)

    first.post(edit_url(row), {**theirs, "assignments": [str(funded.pk)]})
    refused = second.post(edit_url(row), {**mine, "budget": "21000000"})
    again = second.post(edit_url(row), as_shown(refused))

    assert again.status_code == 302
    saved = stored(row)
    assert saved.budget == Decimal("21000000")
    assert list(saved.assignments.all()) == [funded]


def test_an_outcome_both_changed_shows_both_values_and_nothing_is_saved(first, second):
    row = make_row(outcome=Decimal("22000000"))
    mine, theirs = loaded_form(second, row), loaded_form(first, row)
    first.post(edit_url(row), {**theirs, "outcome": "23500000"})
    history_before = row.history.count()

    refused = second.post(edit_url(row), {**mine, "outcome": "24000000"})

    form = refused.context["form"]
    [message] = form.errors["outcome"]
    assert "Sparat nu: ”23 500 000,00”" in message
    assert "Ditt, kvar i fältet: ”24 000 000,00”" in message
    assert stored(row).outcome == Decimal("23500000")
    assert row.history.count() == history_before

    again = second.post(edit_url(row), as_shown(refused))
    assert again.status_code == 302
    assert stored(row).outcome == Decimal("24000000")


@concurrent_writers
@pytest.mark.django_db(transaction=True)
def test_of_parallel_saves_of_one_row_one_wins_and_the_others_are_refused():
    row = make_row(outcome=Decimal("22000000"))
    clients = signed_in_officers(6)
    forms = [loaded_form(client, row) for client in clients]
    posts = [{**form, "outcome": str(23000000 + index)} for index, form in enumerate(forms)]

    responses = save_all_at_once(clients, edit_url(row), posts)

    codes = sorted(response.status_code for response in responses)
    assert codes == [200] * 5 + [302]
    winner = next(i for i, response in enumerate(responses) if response.status_code == 302)
    saved = stored(row)
    assert (saved.outcome, saved.version) == (Decimal(23000000 + winner), 2)
    refused = [response for response in responses if response.status_code == 200]
    assert all(REFUSED in response.content.decode() for response in refused)


def test_an_import_moves_the_row_on_so_a_page_loaded_before_it_is_refused(
    client, administrator, second
):
    row = make_row(outcome=Decimal("22000000"))
    mine = loaded_form(second, row)
    client.force_login(administrator)
    changed = [[2016, "Nytt ekonomisystem", "6", "20000000", "23000000"]]
    confirm(client, upload(client, csv_file(changed, header=BUDGET_HEADER, name="budget.csv")))
    assert stored(row).version == 2

    refused = second.post(edit_url(row), {**mine, "budget": "21000000"})

    assert REFUSED in refused.content.decode()
    assert "Import från budget.csv" in refused.content.decode()
    assert stored(row).outcome == Decimal("23000000")
