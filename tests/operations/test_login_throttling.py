"""Login throttling: guessing a password is stopped after a few tries, and logged."""

import logging
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from malmo_ks.models import LoginFailure
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LIMIT = 5  # settings.LOGIN_FAILURE_LIMIT's default


def log_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def guess(client, username, times):
    for attempt in range(times):
        response = log_in(client, username, f"gissning-{attempt}")
        assert response.status_code == 200


def test_the_right_password_still_works_after_a_few_mistakes(client, handlaggare):
    guess(client, "handlaggaren", LIMIT - 1)
    response = log_in(client, "handlaggaren", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("assignments:list")


def test_too_many_failures_lock_the_username_even_for_the_right_password(
    client, handlaggare, caplog
):
    guess(client, "handlaggaren", LIMIT)
    caplog.set_level(logging.WARNING, logger="malmo_ks.auth")
    response = log_in(client, "handlaggaren", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Ange ett korrekt användarnamn och lösenord" in response.content.decode()
    (locked,) = [r for r in caplog.records if r.getMessage() == "login_locked_out"]
    assert locked.username == "handlaggaren"


def test_the_lock_lifts_when_the_lockout_time_has_passed(client, handlaggare):
    guess(client, "handlaggaren", LIMIT)
    LoginFailure.objects.update(failed_at=timezone.now() - timedelta(minutes=16))
    assert log_in(client, "handlaggaren", PASSWORD).status_code == 302


def test_a_lock_on_one_username_leaves_the_others_alone(client, handlaggare, politiker):
    guess(client, "handlaggaren", LIMIT)
    assert log_in(client, "politikern", PASSWORD).status_code == 302


def test_a_successful_login_starts_the_count_afresh(client, handlaggare):
    guess(client, "handlaggaren", LIMIT - 1)
    assert log_in(client, "handlaggaren", PASSWORD).status_code == 302
    client.logout()
    guess(client, "handlaggaren", LIMIT - 1)
    assert log_in(client, "handlaggaren", PASSWORD).status_code == 302


def test_failures_are_kept_in_the_database_so_every_replica_counts_them(client, handlaggare):
    guess(client, "handlaggaren", 2)
    assert list(LoginFailure.objects.values_list("username", flat=True)) == ["handlaggaren"] * 2


def test_expired_failures_are_cleared_away(client, handlaggare):
    guess(client, "handlaggaren", 2)
    LoginFailure.objects.update(failed_at=timezone.now() - timedelta(hours=1))
    guess(client, "politikern", 1)
    assert list(LoginFailure.objects.values_list("username", flat=True)) == ["politikern"]


def test_the_admin_login_is_throttled_too(client, administrator):
    admin_login = reverse("admin:login")
    for attempt in range(LIMIT):
        client.post(admin_login, {"username": "administratoren", "password": f"fel-{attempt}"})
    response = client.post(admin_login, {"username": "administratoren", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
