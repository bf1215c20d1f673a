"""Two people saving one assignment: the second, outdated save is refused and told what changed."""

import threading
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test import Client

from assignments.concurrency import ensure_unchanged
from assignments.models import Assignment, DeadlineChange, Treatment
from malmo_ks import roles
from tests.factories import make_assignment, make_closed_assignment, make_unit
from tests.register.test_workflow import edit_data, status_data, stored, success_messages, url

pytestmark = pytest.mark.django_db

REFUSED = "Någon annan har sparat uppdraget efter att du öppnade sidan."


@pytest.fixture
def first(handlaggare):
    """Handlaggaren Test, who saves first."""
    client = Client()
    client.force_login(handlaggare)
    return client


@pytest.fixture
def second(db):
    """Another handläggare, whose page was loaded before the first one saved."""
    client = Client()
    colleague = get_user_model().objects.create_user("kollegan", first_name="Kollegan")
    colleague.groups.add(Group.objects.get(name=roles.HANDLAGGARE))
    client.force_login(colleague)
    return client


def loaded_version(client, page_url):
    """The version the page hands out in its hidden field, as a browser would keep it."""
    return client.get(page_url).context["form"]["version"].value()


def test_a_stale_edit_is_refused_and_the_first_edit_survives(first, second):
    assignment = make_assignment(title="Översyn av folkhälsopolicyn")
    edit_url = url("edit", assignment)
    first_version = loaded_version(first, edit_url)
    second_version = loaded_version(second, edit_url)

    first.post(
        edit_url,
        edit_data(
            assignment, title="Översyn och revidering av folkhälsopolicyn", reason="KS önskemål"
        ),
    )
    response = second.post(
        edit_url, edit_data(assignment, title="Folkhälsopolicyn", version=second_version)
    )

    page = response.content.decode()
    assert first_version == second_version == 1
    assert response.status_code == 200
    assert REFUSED in page
    assert "Handlaggaren Test" in page
    assert "(Ändringsorsak: KS önskemål)" in page
    assert "Titel: Översyn av folkhälsopolicyn → Översyn och revidering av folkhälsopolicyn" in page
    saved = stored(assignment)
    assert (saved.title, saved.version) == ("Översyn och revidering av folkhälsopolicyn", 2)
    assert Assignment.history.filter(id=assignment.pk).count() == 2


def test_the_conflict_names_units_and_statuses_not_ids(first, second):
    old_unit, new_unit = make_unit("Stadsområdesnämnd Norr"), make_unit("Vård- och omsorgsnämnden")
    assignment = make_assignment(responsible_unit=old_unit)

    first.post(url("edit", assignment), edit_data(assignment, responsible_unit=new_unit.pk))
    first.post(url("change_status", assignment), status_data(stored(assignment)))
    response = second.post(url("edit", assignment), edit_data(assignment, title="Annat"))

    page = response.content.decode()
    assert (
        "Ansvarig nämnd/förvaltning: Stadsområdesnämnd Norr → Vård- och omsorgsnämnden" in page
    )
    assert "Status: pågående → lägesrapport" in page
    assert "KS 2016-11-02 § 312" in page
    assert stored(assignment).title == assignment.title


def test_after_seeing_the_conflict_saving_again_is_a_deliberate_overwrite(first, second):
    assignment = make_assignment()
    first.post(url("edit", assignment), edit_data(assignment, title="Först"))

    refused = second.post(url("edit", assignment), edit_data(assignment, title="Sedan"))
    # The page keeps what the second person typed, armed with the version they have now seen.
    assert refused.context["form"]["title"].value() == "Sedan"
    assert refused.context["form"]["version"].value() == 2
    again = second.post(url("edit", assignment), edit_data(assignment, title="Sedan", version=2))

    assert success_messages(again) == ["Ändringarna har sparats."]
    assert stored(assignment).title == "Sedan"


def test_a_status_change_on_an_outdated_page_is_refused(first, second):
    assignment = make_assignment(planned_completion=date(2015, 12, 31))
    first.post(
        url("move_deadline", assignment),
        {"new_date": "2016-06-30", "reason": "Försenat underlag", "version": 1,
         "date_is_right": "on"},
    )

    response = second.post(url("change_status", assignment), status_data(assignment))

    page = response.content.decode()
    assert REFUSED in page
    assert "Planerat avslut: 2015-12-31 → 2016-06-30" in page
    assert "(Ändringsorsak: Försenat underlag)" in page
    assert stored(assignment).status == Assignment.Status.ONGOING
    assert not Treatment.objects.exists()


def test_a_deadline_move_on_an_outdated_page_is_refused(first, second):
    assignment = make_assignment(planned_completion=date(2015, 12, 31))
    first.post(url("edit", assignment), edit_data(assignment, title="Nytt namn"))

    response = second.post(
        url("move_deadline", assignment),
        {"new_date": "2018-12-31", "reason": "Senare", "version": 1, "date_is_right": "on"},
    )

    assert REFUSED in response.content.decode()
    assert stored(assignment).planned_completion == date(2015, 12, 31)
    assert not DeadlineChange.objects.exists()


def test_a_reopening_on_an_outdated_page_is_refused(administrator, first):
    assignment = make_closed_assignment()
    admin = Client()
    admin.force_login(administrator)
    reopen_version = loaded_version(admin, url("reopen", assignment))
    first.post(
        url("edit", assignment),
        edit_data(stored(assignment), description="Slutrapporten bifogad"),
    )

    response = admin.post(url("reopen", assignment), {"reason": "Fel", "version": reopen_version})

    assert REFUSED in response.content.decode()
    assert stored(assignment).status == Assignment.Status.CLOSED



@pytest.mark.postgresql_only(
    "a row lock held by one writer while another waits: SQLite locks the whole table"
)
@pytest.mark.django_db(transaction=True)
def test_a_save_waiting_for_the_row_lock_sees_the_save_before_it(handlaggare, second):
    """Both pages show version 1; the first save holds the row while the second arrives."""
    assignment = make_assignment(title="Utgångsläge")
    locked, release = threading.Event(), threading.Event()

    def first_save():
        try:
            with transaction.atomic():
                row = Assignment.objects.get(pk=assignment.pk)
                ensure_unchanged(row, 1)
                locked.set()
                release.wait(timeout=10)
                row.title = "Först"
                row.save_tracked(user=handlaggare)
        finally:
            connection.close()

    first = threading.Thread(target=first_save)
    first.start()
    assert locked.wait(timeout=10)
    # Let the first save finish only once the second request waits for the row.
    threading.Timer(0.5, release.set).start()
    response = second.post(url("edit", assignment), edit_data(assignment, title="Sedan"))
    first.join(timeout=10)

    assert REFUSED in response.content.decode()
    assert (stored(assignment).title, stored(assignment).version) == ("Först", 2)
