"""An edit on an outdated page is merged three-way with what a colleague saved meanwhile.

A field only the colleague changed keeps their value, a field only this user changed
keeps this user's, and a field both changed is shown with both values and saved only
once the user has decided: a second save never silently undoes a saved change.
"""

import pytest

from assignments.models import Assignment
from tests.factories import make_assignment, make_unit
from tests.register.test_concurrency import REFUSED, first, second  # noqa: F401 (fixtures)
from tests.register.test_workflow import edit_data, status_data, stored, success_messages, url

pytestmark = pytest.mark.django_db


def as_shown(response):
    """What the browser posts back when the user saves the page `response` showed."""
    form = response.context["form"]
    data = {}
    for field in form:
        value = field.value()
        data[field.html_name] = "" if value is None else value
    return data


def test_a_field_only_the_colleague_changed_keeps_their_value(first, second):
    assignment = make_assignment(title="Översyn av folkhälsopolicyn", description="")
    first.post(url("edit", assignment), edit_data(assignment, title="Ny folkhälsopolicy"))

    refused = second.post(
        url("edit", assignment), edit_data(assignment, description="Remissvar inkomna")
    )

    page = refused.content.decode()
    assert REFUSED in page
    assert "Deras ändringar finns nu i formuläret tillsammans med dina" in page
    shown = as_shown(refused)
    assert (shown["title"], shown["description"]) == ("Ny folkhälsopolicy", "Remissvar inkomna")
    assert stored(assignment).description == ""  # nothing saved until the user saves again

    again = second.post(url("edit", assignment), shown)

    assert success_messages(again) == ["Ändringarna har sparats."]
    saved = stored(assignment)
    assert (saved.title, saved.description) == ("Ny folkhälsopolicy", "Remissvar inkomna")
    assert saved.version == 3


def test_a_field_only_i_changed_keeps_my_value(first, second):
    old_unit, new_unit = make_unit("Stadsområdesnämnd Norr"), make_unit("Sociala resursnämnden")
    assignment = make_assignment(title="Barns hälsa", responsible_unit=old_unit)
    first.post(url("edit", assignment), edit_data(assignment, responsible_unit=new_unit.pk))

    refused = second.post(
        url("edit", assignment), edit_data(assignment, title="Barns hälsa i Malmö")
    )
    shown = as_shown(refused)
    assert shown["title"] == "Barns hälsa i Malmö"
    assert shown["responsible_unit"] == new_unit.pk
    assert not refused.context["form"].errors

    second.post(url("edit", assignment), shown)

    saved = stored(assignment)
    assert (saved.title, saved.responsible_unit) == ("Barns hälsa i Malmö", new_unit)
    history = Assignment.history.filter(id=assignment.pk).order_by("version")
    units = [record.responsible_unit_id for record in history]
    assert units == [old_unit.pk, new_unit.pk, new_unit.pk]


def test_a_field_both_changed_shows_both_values_next_to_it_and_nothing_is_saved(first, second):
    assignment = make_assignment(title="Utgångsläge", description="")
    first.post(url("edit", assignment), edit_data(assignment, title="Kollegans titel"))
    history_before = Assignment.history.filter(id=assignment.pk).count()

    refused = second.post(
        url("edit", assignment),
        edit_data(assignment, title="Min titel", description="Min beskrivning"),
    )

    assert refused.status_code == 200
    form = refused.context["form"]
    assert list(form.errors) == ["title"]
    [message] = form.errors["title"]
    assert "Sparat nu: ”Kollegans titel”" in message
    assert "Ditt, kvar i fältet: ”Min titel”" in message
    page = refused.content.decode()
    assert 'id="id_title_error"' in page and "Ditt, kvar i fältet: ”Min titel”" in page
    assert REFUSED in page
    saved = stored(assignment)
    assert (saved.title, saved.description, saved.version) == ("Kollegans titel", "", 2)
    assert Assignment.history.filter(id=assignment.pk).count() == history_before


@pytest.mark.parametrize("chosen", ["Kollegans titel", "Min titel"])
def test_the_save_after_choosing_keeps_the_choice_and_my_other_changes(first, second, chosen):
    assignment = make_assignment(title="Utgångsläge", description="")
    first.post(url("edit", assignment), edit_data(assignment, title="Kollegans titel"))
    refused = second.post(
        url("edit", assignment),
        edit_data(assignment, title="Min titel", description="Min beskrivning"),
    )

    again = second.post(url("edit", assignment), {**as_shown(refused), "title": chosen})

    assert success_messages(again) == ["Ändringarna har sparats."]
    saved = stored(assignment)
    assert (saved.title, saved.description, saved.version) == (chosen, "Min beskrivning", 3)


def test_a_third_save_while_deciding_is_merged_again(first, second):
    assignment = make_assignment(title="Utgångsläge", description="")
    first.post(url("edit", assignment), edit_data(assignment, title="Kollegans titel"))
    refused = second.post(url("edit", assignment), edit_data(assignment, description="Min text"))
    first.post(
        url("edit", assignment), edit_data(stored(assignment), decision_reference="STK-2014-999")
    )

    refused_again = second.post(url("edit", assignment), as_shown(refused))

    shown = as_shown(refused_again)
    assert shown["decision_reference"] == "STK-2014-999"
    second.post(url("edit", assignment), shown)
    saved = stored(assignment)
    assert (saved.title, saved.description, saved.decision_reference) == (
        "Kollegans titel",
        "Min text",
        "STK-2014-999",
    )


def test_a_verb_resubmitted_after_a_conflict_keeps_the_colleagues_edit(first, second):
    """Status changes, deadline moves and reopenings keep refusing stale pages; saved again,
    they change only what their verb changes, never a field the colleague saved."""
    assignment = make_assignment(title="Utgångsläge")
    first.post(url("edit", assignment), edit_data(assignment, title="Kollegans titel"))

    refused = second.post(url("change_status", assignment), status_data(assignment))
    assert REFUSED in refused.content.decode()
    again = second.post(url("change_status", assignment), as_shown(refused))

    assert again.status_code == 302
    saved = stored(assignment)
    assert (saved.title, saved.status) == ("Kollegans titel", Assignment.Status.STATUS_REPORT)
