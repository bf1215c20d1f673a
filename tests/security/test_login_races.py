"""Sixteen login attempts at once, on real PostgreSQL, through the login page.

However many guesses arrive together, exactly the limit of them get a password
checked: the throttle counts each attempt, committed, before its password is hashed,
and counts the attempts of one client one at a time.
"""

import threading
import time

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.db import connection
from django.test import Client
from django.urls import reverse

from malmo_ks.models import LoginFailure
from tests.databases import concurrent_writers

pytestmark = [pytest.mark.django_db(transaction=True), concurrent_writers]

ATTEMPTS = 16
LIMIT = 5


class CountingHasher(MD5PasswordHasher):
    """The tests' MD5 hasher, counting every password it hashes and as slow as a real one.

    A real hash (PBKDF2) takes a good part of a second: time enough for the
    other attempts to arrive while one is being checked.
    """

    hashed = []
    lock = threading.Lock()

    def encode(self, password, salt):
        # Checking a password hashes it again (verify calls encode), and Django hashes
        # the password of an unknown username too, so that timing tells nothing.
        with self.lock:
            self.hashed.append(password)
        time.sleep(0.1)
        return super().encode(password, salt)


@pytest.fixture
def counting_hasher(settings):
    """The passwords hashed from now on (the personas are made before it, so not counted)."""
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.hashed.clear()
    return CountingHasher.hashed


def all_at_once(posts):
    """Each POST from a client of its own on its own thread; all are released by one barrier."""
    start = threading.Barrier(len(posts))
    responses = [None] * len(posts)

    def log_in(index):
        try:
            start.wait(timeout=10)
            responses[index] = Client().post(reverse("login"), posts[index])
        finally:
            connection.close()

    threads = [threading.Thread(target=log_in, args=[index]) for index in range(len(posts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


def test_of_sixteen_parallel_guesses_at_one_password_exactly_the_limit_are_checked(
    handlaggare, counting_hasher
):
    posts = [{"username": "handlaggaren", "password": f"gissning-{n}"} for n in range(ATTEMPTS)]

    responses = all_at_once(posts)

    assert [response.status_code for response in responses] == [200] * ATTEMPTS
    assert len(counting_hasher) == LIMIT
    # What is left are the failures whose password was checked: refusals leave nothing.
    assert LoginFailure.objects.count() == len(counting_hasher)


def test_of_sixteen_parallel_guesses_at_other_usernames_exactly_the_client_limit_are_checked(
    settings, counting_hasher
):
    settings.LOGIN_CLIENT_FAILURE_LIMIT = 8
    posts = [{"username": f"anvandare{n}", "password": "Sommar2016"} for n in range(ATTEMPTS)]

    responses = all_at_once(posts)

    assert [response.status_code for response in responses] == [200] * ATTEMPTS
    assert len(counting_hasher) == 8
    assert LoginFailure.objects.count() == len(counting_hasher)
