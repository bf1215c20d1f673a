"""Eight handläggare saving the same assignment at once, on real PostgreSQL, through the views.

Exactly one save wins; every other one is told that someone else saved first, and
the history has one record for the one accepted change: no lost update, no silent overwrite.
"""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client

from assignments.models import Assignment
from malmo_ks import roles
from tests.databases import concurrent_writers
from tests.factories import make_assignment
from tests.register.test_concurrency import REFUSED, loaded_version
from tests.register.test_workflow import edit_data, stored, url

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 8


def signed_in_officers(count):
    group = Group.objects.get(name=roles.HANDLAGGARE)
    clients = []
    for number in range(count):
        user = get_user_model().objects.create_user(
            f"kollega{number}", first_name=f"Kollega{number}"
        )
        user.groups.add(group)
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def save_all_at_once(clients, edit_url, posts):
    """Each client posts its data on its own thread; all are released by one barrier."""
    start = threading.Barrier(len(clients))
    responses = [None] * len(clients)

    def save(index):
        try:
            start.wait(timeout=10)
            responses[index] = clients[index].post(edit_url, posts[index])
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=[index]) for index in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return responses


@concurrent_writers
def test_of_eight_simultaneous_saves_one_wins_and_seven_are_told_who_and_what():
    assignment = make_assignment(title="Utgångsläge")
    edit_url = url("edit", assignment)
    clients = signed_in_officers(PEOPLE)
    versions = [loaded_version(client, edit_url) for client in clients]
    posts = [
        edit_data(assignment, title=f"Titel nummer {index}", version=version)
        for index, version in enumerate(versions)
    ]
    history_before = Assignment.history.filter(id=assignment.pk).count()

    responses = save_all_at_once(clients, edit_url, posts)

    assert set(versions) == {1}
    accepted = [i for i, response in enumerate(responses) if response.status_code == 302]
    refused = [
        i
        for i, response in enumerate(responses)
        if response.status_code == 200 and REFUSED in response.content.decode()
    ]
    assert len(accepted) == 1, [response.status_code for response in responses]
    assert sorted(accepted + refused) == list(range(PEOPLE))
    # Each refused person is told who saved first and what they saved.
    winner = accepted[0]
    for index in refused:
        page = responses[index].content.decode()
        assert f"Kollega{winner}" in page
        assert f"Titel: Utgångsläge → Titel nummer {winner}" in page
    saved = stored(assignment)
    assert (saved.title, saved.version) == (f"Titel nummer {winner}", 2)
    history = Assignment.history.filter(id=assignment.pk)
    assert history.count() == history_before + 1
    assert history.latest().title == saved.title
