"""Every write leaves history with a name behind it; bulk writes that would skip it fail.

The admin's 403 on deletes and each path's own
attribution are tested in tests/foundation (test_admin, test_history) and
tests/imports. Here the guard installed by tests/conftest.py is shown to bite,
and every write path is run once to show that none of the history rows it
leaves falls back to the tests' own attribution.
"""

import io
import types

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

from assignments.models import Assignment, DemoDataset
from malmo_ks.history import command_label
from tests.factories import SET_UP, make_assignment
from tests.foundation.test_admin import _assignment_form
from tests.imports.files import assignment_row, confirm, csv_file, upload
from tests.register.test_workflow import edit_data
from tests.security.audit_guard import is_history_tracked
from tests.security.state import domain_models

pytestmark = pytest.mark.django_db

BULK_WRITES = {
    "update": lambda pk: Assignment.objects.filter(pk=pk).update(title="Utan historik"),
    "delete": lambda pk: Assignment.objects.filter(pk=pk).delete(),
    "bulk_create": lambda pk: Assignment.objects.bulk_create([Assignment(title="Utan historik")]),
    "bulk_update": lambda pk: Assignment.objects.bulk_update(
        [Assignment.objects.get(pk=pk)], ["title"]
    ),
}


def function_in_module(module, function):
    """`function` as if it were defined in `module`: the guard judges by the caller's module."""
    return types.FunctionType(function.__code__, {**function.__globals__, "__name__": module})


@pytest.mark.parametrize("call", BULK_WRITES)
def test_app_code_bulk_writing_a_tracked_model_fails_naming_the_call(call):
    write = function_in_module("assignments._probe", BULK_WRITES[call])
    assignment = make_assignment()

    with pytest.raises(
        AssertionError, match=rf"assignments\._probe calls Assignment\..*{call}\(\)"
    ):
        write(assignment.pk)

    assert Assignment.objects.get(pk=assignment.pk).title == assignment.title


def test_a_related_manager_does_not_hide_the_app_code_behind_it():
    """Django's own frames are looked past: the app module that asked is named."""
    write = function_in_module(
        "budget._probe",
        lambda pk: Assignment.objects.get(pk=pk).area.assignments.update(title="x"),
    )

    with pytest.raises(AssertionError, match=r"budget\._probe calls Assignment"):
        write(make_assignment().pk)


def test_untracked_models_and_test_code_may_bulk_write():
    function_in_module("malmo_ks._probe", lambda pk: DemoDataset.objects.filter(pk=pk).delete())(0)
    Assignment.objects.filter(pk=make_assignment().pk).update(title="Rättat av testet")

    assert Assignment.objects.get().title == "Rättat av testet"


def test_every_registered_model_is_history_tracked():
    """The guard only protects tracked models: each domain record must be one.

    DemoDataset only marks that the demo has been loaded; it is no record.
    DailyStatusCount is derived from the assignments' history (assignments.daily_counts),
    deleted and filled again from it; it is no record either.
    """
    records = [
        model
        for model in domain_models()
        if not model._meta.auto_created and not model.__name__.startswith("Historical")
    ]
    untracked = [m.__name__ for m in records if not is_history_tracked(m)]
    assert untracked == ["DemoDataset", "DailyStatusCount"]


def test_the_admin_offers_no_bulk_action_on_a_tracked_model(rf, administrator):
    """Bulk actions act on querysets, past the history: none is offered, delete included."""
    request = rf.get("/admin/")
    request.user = administrator
    actions = {
        model.__name__: sorted(model_admin.get_actions(request))
        for model, model_admin in admin.site._registry.items()
        if is_history_tracked(model)
    }

    assert actions and all(names == [] for names in actions.values()), actions


def _newest_history_ids():
    return {model: _max_history_id(model) for model in _history_models()}


def _history_models():
    """History tables with an author; the m2m link history hangs off its row's record."""
    return [
        model
        for model in domain_models()
        if any(field.name == "history_user_name" for field in model._meta.fields)
    ]


def _max_history_id(model):
    newest = model.objects.order_by("-history_id").first()
    return newest.history_id if newest else 0


def _names_since(ids):
    return {
        name
        for model, newest in ids.items()
        for name in model.objects.filter(history_id__gt=newest).values_list(
            "history_user_name", flat=True
        )
    }


def test_each_write_path_names_a_person_or_a_command_in_every_history_row(
    client, handlaggare, administrator
):
    """No path leans on an attribution it did not make: the guard is on in the tests
    as in production, so an unattributed write would fail the step outright."""
    steps = []

    ids = _newest_history_ids()
    call_command("load_demo", stdout=io.StringIO())
    steps.append(("load_demo", _names_since(ids), {command_label("load_demo")}))

    # One without treatments: the admin form below posts an empty treatment inline.
    assignment = Assignment.objects.filter(treatments__isnull=True).order_by("pk").first()
    client.force_login(handlaggare)
    ids = _newest_history_ids()
    client.post(
        reverse("assignments:edit", args=[assignment.pk]),
        edit_data(assignment, title="Ändrad i arbetsflödet"),
    )
    steps.append(("workflow", _names_since(ids), {"Handlaggaren Test"}))

    client.force_login(administrator)
    assignment.refresh_from_db()
    ids = _newest_history_ids()
    client.post(
        reverse("admin:assignments_assignment_change", args=[assignment.pk]),
        _assignment_form(assignment, title="Rättad i administrationen"),
    )
    steps.append(("admin", _names_since(ids), {"Administratoren Test"}))

    ids = _newest_history_ids()
    confirm(client, upload(client, csv_file([assignment_row("STK-2099-901")])))
    steps.append(("import", _names_since(ids), {"Administratoren Test"}))

    # load_demo also writes in the name of the demo's own people; no path leaves a
    # row nameless or to the test set-up's name.
    unattributed = [(step, names) for step, names, _ in steps if names & {"", SET_UP}]
    missing = [(step, expected - names) for step, names, expected in steps if expected - names]
    assert (unattributed, missing) == ([], [])
