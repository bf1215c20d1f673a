"""The three roles exist after migrate and allow what DOMAIN.md says each person does."""

import pytest
from django.contrib.auth.models import Group, Permission

from malmo_ks import roles

pytestmark = pytest.mark.django_db

CASE_OFFICER_EDITS = [
    "assignments.add_assignment",
    "assignments.change_assignment",
    "assignments.add_treatment",
    "assignments.change_treatment",
    "assignments.add_statusreport",
    "assignments.change_statusreport",
    "budget.add_budgetrow",
    "budget.change_budgetrow",
]


def codenames(group_name):
    permissions = Group.objects.get(name=group_name).permissions.select_related("content_type")
    return {f"{p.content_type.app_label}.{p.codename}" for p in permissions}


def test_the_three_groups_exist_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Handläggare",
        "Förtroendevald",
        "Administratör",
    }


def test_a_politician_may_only_read():
    granted = codenames(roles.FORTROENDEVALD)

    assert granted
    assert all(name.split(".")[1].startswith("view_") for name in granted)
    assert {"assignments.view_assignment", "budget.view_budgetrow"} <= granted


def test_a_politician_cannot_change_anything(politiker):
    assert politiker.has_perm("assignments.view_assignment")
    assert not any(
        politiker.has_perm(perm) for perm in CASE_OFFICER_EDITS + ["assignments.reopen_assignment"]
    )


def test_a_case_officer_edits_assignments_treatments_reports_and_budget_rows(handlaggare):
    assert all(handlaggare.has_perm(perm) for perm in CASE_OFFICER_EDITS)


def test_a_case_officer_deletes_nothing_and_does_not_reopen():
    granted = codenames(roles.HANDLAGGARE)

    assert not [name for name in granted if ".delete_" in name]
    assert "assignments.reopen_assignment" not in granted
    assert not [name for name in granted if name.startswith("auth.")]


def test_a_case_officer_cannot_change_units_or_commission_areas(handlaggare):
    assert handlaggare.has_perm("assignments.view_unit")
    assert not handlaggare.has_perm("assignments.change_unit")
    assert not handlaggare.has_perm("assignments.change_commissionarea")


def test_an_administrator_has_every_permission(administrator):
    assert codenames(roles.ADMINISTRATOR) == {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.select_related("content_type")
    }
    assert administrator.has_perm("assignments.reopen_assignment")
    assert administrator.has_perm("auth.add_user")
