"""The Django admin: every model is there, every change is attributed, nothing is deleted."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib import admin
from django.urls import reverse

from assignments.models import Assignment, Unit
from budget.models import AccountClass, BudgetRow
from malmo_ks.history import attributed_to, command_label
from tests.factories import ks_treatment, make_assignment, make_status_report, make_unit

DOMAIN_APPS = {"assignments", "budget"}
REGISTERED = sorted(
    (model for model in admin.site._registry if model._meta.app_label in DOMAIN_APPS),
    key=lambda model: model._meta.label,
)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def admin_client_for(client, administrator):
    client.force_login(administrator)
    return client


@pytest.fixture
def one_of_each(handlaggare):
    """One record of every registered model, made through the domain verbs."""
    assignment = make_assignment()
    report = make_status_report(assignment, text="Pågår.")
    assignment.report_status(ks_treatment(), user=handlaggare, report=report)
    assignment.move_deadline(date(2017, 12, 31), is_year=True, user=handlaggare, reason="Utvidgat")
    BudgetRow(
        year=2016,
        name="Projekt och utredningar",
        account_class=AccountClass.COSTS,
        budget=Decimal(64000000),
    ).save_tracked(user=handlaggare, assignments=[assignment])


def test_every_domain_model_has_an_admin():
    registered = {model._meta.model_name for model in REGISTERED}
    assert registered == {
        "unit",
        "commissionarea",
        "assignment",
        "meeting",
        "treatment",
        "statusreport",
        "deadlinechange",
        "budgetrow",
    }


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_an_administrator_lists_searches_and_opens_every_model(
    one_of_each, admin_client_for, model
):
    record = model.objects.order_by("pk").first()

    listing = admin_client_for.get(admin_url(model, "changelist"), {"q": "2016"})
    change = admin_client_for.get(admin_url(model, "change", record.pk))
    history = admin_client_for.get(admin_url(model, "history", record.pk))

    assert listing.status_code == 200
    assert change.status_code == 200
    assert history.status_code == 200
    # Public records: the bulk delete action is not offered.
    assert "delete_selected" not in listing.content.decode()


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_nothing_registered_can_be_deleted_in_the_admin(one_of_each, admin_client_for, model):
    record = model.objects.order_by("pk").first()

    response = admin_client_for.post(admin_url(model, "delete", record.pk), {"post": "yes"})

    assert response.status_code == 403
    assert model.objects.filter(pk=record.pk).exists()


def test_people_without_staff_status_cannot_open_the_admin(client, handlaggare, politiker):
    for person in (handlaggare, politiker):
        client.force_login(person)
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


def _assignment_form(assignment, **changes):
    """The admin change form of an assignment as a browser posts it (no treatments yet)."""
    data = {
        "reference": assignment.reference,
        "title": assignment.title,
        "description": assignment.description,
        "area": assignment.area_id,
        "responsible_unit": assignment.responsible_unit_id,
        "case_officer": "",
        "decided_on": assignment.decided_on.isoformat(),
        "decision_reference": assignment.decision_reference,
        "decision_paragraph": "",
        "loaded_version": assignment.version,
        "treatments-TOTAL_FORMS": "0",
        "treatments-INITIAL_FORMS": "0",
        "treatments-MIN_NUM_FORMS": "0",
        "treatments-MAX_NUM_FORMS": "1000",
        "_save": "Spara",
    }
    data.update(changes)
    return data


def test_a_change_in_the_admin_creates_a_history_record_naming_the_administrator(
    admin_client_for, administrator
):
    assignment = make_assignment()

    response = admin_client_for.post(
        admin_url(Assignment, "change", assignment.pk),
        _assignment_form(assignment, title="Rättad titel"),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    last = assignment.history.latest()
    assert last.title == "Rättad titel"
    assert last.history_user == administrator
    assert last.history_user_name == "Administratoren Test"
    assert last.history_change_reason == "Ändrat i administrationen"
    assert Assignment.objects.get(pk=assignment.pk).version == 2


def test_the_admin_history_page_names_who_changed_the_record(admin_client_for):
    assignment = make_assignment()
    admin_client_for.post(
        admin_url(Assignment, "change", assignment.pk),
        _assignment_form(assignment, title="Rättad titel"),
    )

    page = admin_client_for.get(admin_url(Assignment, "history", assignment.pk)).content.decode()

    # The name the history record keeps, as the register's timeline shows it.
    assert "Administratoren Test" in page
    assert "Ändrat i administrationen" in page


def test_an_admin_change_that_breaks_a_rule_is_refused_with_the_reason(admin_client_for):
    assignment = make_assignment()

    response = admin_client_for.post(
        admin_url(Assignment, "change", assignment.pk),
        _assignment_form(assignment, reference="STK 2014/1"),
    )

    assert response.status_code == 200
    assert "Ange ett diarienummer som STK-2014-123" in response.content.decode()
    assert assignment.history.count() == 1


def test_a_unit_changed_in_the_admin_is_attributed_to_the_administrator(
    admin_client_for, administrator
):
    unit = make_unit("Stadsområdesnämnd Norr")

    response = admin_client_for.post(
        admin_url(Unit, "change", unit.pk),
        {
            "name": "Stadsområdesnämnd Norr",
            "kind": "namnd",
            "valid_from": "2000-01-01",
            "valid_to": "2017-04-30",
            "replaced_by": "",
            "_save": "Spara",
        },
    )

    assert response.status_code == 302
    last = unit.history.latest()
    assert last.valid_to == date(2017, 4, 30)
    assert last.history_user == administrator
    assert last.history_user_name == "Administratoren Test"


def test_the_admin_history_page_names_the_command_behind_a_record(admin_client_for):
    unit = Unit(name="Kommunstyrelsen", valid_from=date(2000, 1, 1))
    with attributed_to(command_label("load_demo")):
        unit.save()

    page = admin_client_for.get(admin_url(Unit, "history", unit.pk)).content.decode()

    assert command_label("load_demo") in page
