"""/halsa/: is the database reachable? Answered to anyone, with nothing else in it."""

import json

import pytest
from django.urls import reverse

from .processes import manage, production_env

pytestmark = pytest.mark.django_db


def test_anyone_learns_that_the_register_is_up(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response.headers["Cache-Control"]


@pytest.mark.parametrize("persona", ["politiker", "handlaggare", "administrator"])
def test_signed_in_users_get_the_same_answer(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_the_check_asks_the_database_one_question(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get(reverse("health"))


def test_the_check_only_reads(client):
    assert client.post(reverse("health")).status_code == 405


def test_an_unreachable_database_gives_503_and_no_details():
    # A real start of the app whose database does not answer: nothing listens on port 1.
    script = (
        "from django.test import Client; r = Client().get('/halsa/'); "
        "print('STATUS', r.status_code); print('BODY', r.content.decode())"
    )
    result = manage(
        "shell",
        "-v",
        "0",
        "-c",
        script,
        env=production_env(
            DATABASE_URL="postgres://register:hemligt@127.0.0.1:1/register",
            ALLOWED_HOSTS="testserver",
        ),
    )
    printed = dict(line.split(" ", 1) for line in result.stdout.splitlines() if " " in line)
    assert printed["STATUS"] == "503"
    assert json.loads(printed["BODY"]) == {"status": "fel"}
    # The operator finds the reason in the log, where strangers don't look.
    assert '"event": "health_check_failed"' in result.stdout + result.stderr
