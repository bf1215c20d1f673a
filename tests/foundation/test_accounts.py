"""Accounts that have acted in the register are deactivated, never deleted; their names stay."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse

from assignments.models import Assignment
from malmo_ks import roles
from tests.factories import make_assignment
from tests.register.reading import visible_text
from tests.register.test_workflow import url

pytestmark = pytest.mark.django_db

KEPT = (
    "förekommer i registret eller dess historik: kontot kan inte raderas. "
    "Inaktivera det i stället (avmarkera ”Aktiv”)."
)


@pytest.fixture
def admin(administrator):
    client = Client()
    client.force_login(administrator)
    return client


@pytest.fixture
def karin(db):
    user = get_user_model().objects.create_user("karin", first_name="Karin", last_name="Ek")
    user.groups.add(Group.objects.get(name=roles.HANDLAGGARE))
    return user


def delete_in_admin(client, user):
    return client.post(
        reverse("admin:auth_user_delete", args=[user.pk]), {"post": "yes"}
    )


def test_the_admin_refuses_deleting_a_case_officer_and_says_why(admin, karin):
    assignment = make_assignment(case_officer=karin)

    response = delete_in_admin(admin, karin)

    assert response.status_code == 200
    assert f"karin {KEPT}" in visible_text(response)
    assert get_user_model().objects.filter(pk=karin.pk).exists()
    assert Assignment.objects.get(pk=assignment.pk).case_officer == karin


def test_the_admin_refuses_deleting_an_account_named_only_in_the_history(admin, karin):
    make_assignment(user=karin)

    response = delete_in_admin(admin, karin)

    assert response.status_code == 200
    assert f"karin {KEPT}" in visible_text(response)
    assert get_user_model().objects.filter(pk=karin.pk).exists()


def test_an_account_that_never_acted_can_still_be_deleted(admin, karin):
    response = delete_in_admin(admin, karin)

    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=karin.pk).exists()


def test_no_way_in_deletes_the_case_officer_silently(karin):
    assignment = make_assignment(case_officer=karin)

    with pytest.raises(ProtectedError), transaction.atomic():
        karin.delete()

    assert Assignment.objects.get(pk=assignment.pk).case_officer == karin


def test_a_deactivated_case_officer_is_still_shown_by_name_and_kept_on_edit(
    client, handlaggare, karin
):
    assignment = make_assignment(case_officer=karin)
    karin.is_active = False
    karin.save()
    client.force_login(handlaggare)

    detail = visible_text(client.get(url("detail", assignment)))
    edit = client.get(url("edit", assignment))

    assert "Karin Ek" in detail
    choices = {str(label) for _value, label in edit.context["form"].fields["case_officer"].choices}
    assert "Karin Ek" in choices
    assert edit.context["form"]["case_officer"].value() == karin.pk
