"""Login throttling: guessing is slowed down per username and address and per address, and logged.

Nobody can lock anyone out: failures from one address make only that address wait
(OWASP ASVS 2.2.1). Time passing is played by moving the recorded failures back.
"""

import logging
import math
import re
from datetime import timedelta

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from malmo_ks.models import LoginFailure
from tests.conftest import PASSWORD

from . import simple_yaml
from .processes import REPO, manage, production_env

pytestmark = pytest.mark.django_db

LIMIT = 5  # settings.LOGIN_FAILURE_LIMIT's default
CLIENT_LIMIT = 20  # settings.LOGIN_CLIENT_FAILURE_LIMIT's default
HOME = "198.51.100.7"  # the real user's address
ELSEWHERE = "203.0.113.9"  # a guesser's
THROTTLED = re.compile(r"För många misslyckade inloggningar\. Försök igen kl\. (\d\d:\d\d:\d\d)\.")


def log_in(client, username, password, address="127.0.0.1", **headers):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def guess(client, username, times, address="127.0.0.1"):
    for attempt in range(times):
        response = log_in(client, username, f"gissning-{attempt}", address)
        assert response.status_code == 200
        assert "Ange ett korrekt användarnamn och lösenord" in response.content.decode()


def time_passes(seconds):
    LoginFailure.objects.update(failed_at=F("failed_at") - timedelta(seconds=seconds))


def refusal(response):
    """The time the refusal names, or None if the attempt was not refused."""
    assert response.status_code == 200
    found = THROTTLED.search(response.content.decode())
    return found and found[1]


def errors(response):
    """The form's errors as shown, with the time the refusal names left out."""
    page = response.content.decode()
    found = re.search(r'<div class="errorlist" role="alert">(.*?)</div>', page, re.S)
    return THROTTLED.sub("(tid)", found[1])


def try_again_at(moment):
    """A moment as the refusal names it: local time, rounded up to the second."""
    local = timezone.localtime(moment)
    return (local + timedelta(seconds=math.ceil(local.microsecond / 1e6))).strftime("%H:%M:%S")


def test_the_right_password_still_works_after_a_few_mistakes(client, handlaggare):
    guess(client, "handlaggaren", LIMIT - 1)
    response = log_in(client, "handlaggaren", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("assignments:list")


def test_too_many_failures_make_the_next_attempt_wait_even_with_the_right_password(
    client, handlaggare, caplog
):
    guess(client, "handlaggaren", LIMIT)
    caplog.set_level(logging.WARNING, logger="malmo_ks.auth")
    response = log_in(client, "handlaggaren", PASSWORD)
    assert "_auth_user_id" not in client.session
    last = LoginFailure.objects.latest("failed_at").failed_at
    assert refusal(response) == try_again_at(last + timedelta(seconds=2))
    (locked,) = [r for r in caplog.records if r.getMessage() == "login_locked_out"]
    assert (locked.username, locked.client) == ("handlaggaren", "127.0.0.1")
    assert locked.limit == "username"


def test_the_wait_is_over_when_its_time_has_passed(client, handlaggare):
    guess(client, "handlaggaren", LIMIT)
    LoginFailure.objects.update(failed_at=timezone.now() - timedelta(minutes=16))
    assert log_in(client, "handlaggaren", PASSWORD).status_code == 302


def test_each_further_failure_doubles_the_wait_up_to_the_longest(client, handlaggare, settings):
    guess(client, "handlaggaren", LIMIT)
    for wait in [2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]:
        time_passes(wait - 1)
        assert refusal(log_in(client, "handlaggaren", PASSWORD)), wait
        time_passes(1)
        assert refusal(log_in(client, "handlaggaren", "fel")) is None, wait
    assert settings.LOGIN_DELAY_MAX_SECONDS == 900


def test_failures_count_towards_the_wait_for_an_hour(client, handlaggare):
    guess(client, "handlaggaren", LIMIT)
    time_passes(60 * 60 - 60)
    guess(client, "handlaggaren", 1)
    assert refusal(log_in(client, "handlaggaren", "fel"))

    time_passes(60 * 60 + 1)
    guess(client, "handlaggaren", LIMIT)


def test_refused_attempts_do_not_restart_the_clock(client, handlaggare):
    guess(client, "handlaggaren", LIMIT)
    for _ in range(10):
        assert refusal(log_in(client, "handlaggaren", "gissning"))
    time_passes(2)
    assert log_in(client, "handlaggaren", PASSWORD).status_code == 302


def test_guessing_from_another_address_never_delays_the_real_user(client, administrator):
    guess(client, "administratoren", LIMIT, address=ELSEWHERE)
    for _ in range(10):
        assert refusal(log_in(client, "administratoren", PASSWORD, address=ELSEWHERE))

    response = log_in(client, "administratoren", PASSWORD, address=HOME)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(administrator.pk)


def test_the_refusal_does_not_tell_whether_the_account_exists(client, handlaggare):
    guess(client, "handlaggaren", LIMIT)
    guess(client, "ingen-sadan", LIMIT)
    time_passes(60)
    guess(client, "handlaggaren", 1)
    guess(client, "ingen-sadan", 1)

    existing = log_in(client, "handlaggaren", "fel")
    unknown = log_in(client, "ingen-sadan", "fel")

    assert refusal(existing) and refusal(unknown)
    assert errors(existing) == errors(unknown)


def test_a_wait_on_one_username_leaves_the_others_alone(client, handlaggare, politiker):
    guess(client, "handlaggaren", LIMIT)
    assert log_in(client, "politikern", PASSWORD).status_code == 302


def test_a_successful_login_starts_the_count_afresh(client, handlaggare):
    guess(client, "handlaggaren", LIMIT - 1)
    assert log_in(client, "handlaggaren", PASSWORD).status_code == 302
    client.logout()
    guess(client, "handlaggaren", LIMIT - 1)
    assert log_in(client, "handlaggaren", PASSWORD).status_code == 302


def test_one_address_trying_many_usernames_is_made_to_wait(client, handlaggare, caplog):
    for number in range(CLIENT_LIMIT):
        guess(client, f"anvandare{number}", 1, address=ELSEWHERE)
    caplog.set_level(logging.WARNING, logger="malmo_ks.auth")

    response = log_in(client, "handlaggaren", PASSWORD, address=ELSEWHERE)

    first = LoginFailure.objects.earliest("failed_at").failed_at
    assert refusal(response) == try_again_at(first + timedelta(minutes=15))
    (locked,) = [r for r in caplog.records if r.getMessage() == "login_locked_out"]
    assert (locked.client, locked.limit) == (ELSEWHERE, "client")
    assert log_in(client, "handlaggaren", PASSWORD, address=HOME).status_code == 302


def test_the_address_limit_counts_failures_in_its_window_only(client, handlaggare):
    for number in range(CLIENT_LIMIT):
        guess(client, f"anvandare{number}", 1)
    time_passes(15 * 60 + 1)
    assert log_in(client, "handlaggaren", PASSWORD).status_code == 302


def test_the_limits_are_settings_from_the_environment():
    script = (
        "from django.conf import settings as s; print(s.LOGIN_FAILURE_LIMIT, "
        "s.LOGIN_DELAY_MAX_SECONDS, s.LOGIN_FAILURE_MEMORY_SECONDS, "
        "s.LOGIN_CLIENT_FAILURE_LIMIT, s.LOGIN_CLIENT_WINDOW_SECONDS, "
        "s.LOGIN_TRUST_X_FORWARDED_FOR)"
    )
    defaults = manage("shell", "-v", "0", "-c", script, env=production_env())
    chosen = manage(
        "shell",
        "-v",
        "0",
        "-c",
        script,
        env=production_env(
            LOGIN_FAILURE_LIMIT="3",
            LOGIN_DELAY_MAX_SECONDS="60",
            LOGIN_FAILURE_MEMORY_SECONDS="7200",
            LOGIN_CLIENT_FAILURE_LIMIT="50",
            LOGIN_CLIENT_WINDOW_SECONDS="600",
            LOGIN_TRUST_X_FORWARDED_FOR="true",
        ),
    )
    bad = manage("check", env=production_env(LOGIN_CLIENT_FAILURE_LIMIT="tjugo"))
    none = manage("check", env=production_env(LOGIN_FAILURE_LIMIT="0"))

    assert defaults.stdout.split() == ["5", "900", "3600", "20", "900", "False"], defaults.stderr
    assert chosen.stdout.split() == ["3", "60", "7200", "50", "600", "True"], chosen.stderr
    assert "LOGIN_CLIENT_FAILURE_LIMIT must be an integer, got 'tjugo'" in bad.stderr
    assert "LOGIN_FAILURE_LIMIT and LOGIN_CLIENT_FAILURE_LIMIT must be 1 or more." in none.stderr


def test_a_forwarded_address_is_ignored_unless_the_proxy_is_trusted(client, handlaggare):
    for number in range(LIMIT):
        log_in(client, "handlaggaren", "fel", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")

    assert refusal(log_in(client, "handlaggaren", PASSWORD, HTTP_X_FORWARDED_FOR=HOME))


def test_behind_a_trusted_proxy_the_address_it_saw_counts(client, handlaggare, settings):
    settings.LOGIN_TRUST_X_FORWARDED_FOR = True
    proxy = "10.0.0.2"
    # The guesser writes an address of their own choosing first; the proxy appends what it saw.
    for number in range(LIMIT):
        forwarded = f"192.0.2.{number}, {ELSEWHERE}"
        log_in(client, "handlaggaren", "fel", proxy, HTTP_X_FORWARDED_FOR=forwarded)
    assert refusal(log_in(client, "handlaggaren", PASSWORD, proxy, HTTP_X_FORWARDED_FOR=ELSEWHERE))

    response = log_in(client, "handlaggaren", PASSWORD, proxy, HTTP_X_FORWARDED_FOR=HOME)

    assert response.status_code == 302
    assert set(LoginFailure.objects.values_list("address", flat=True)) == {ELSEWHERE}


def test_in_the_containers_the_address_the_proxy_saw_counts():
    compose = simple_yaml.load((REPO / "docker-compose.yml").read_text())
    nginx = (REPO / "docker" / "nginx.conf").read_text()
    # Only the proxy is reachable, and it appends the address it saw as the last entry.
    assert "ports" not in compose["services"]["web"]
    assert compose["services"]["web"]["environment"]["LOGIN_TRUST_X_FORWARDED_FOR"] == "true"
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in nginx


def test_a_bad_forwarded_address_falls_back_to_the_connection(client, handlaggare, settings):
    settings.LOGIN_TRUST_X_FORWARDED_FOR = True
    guess(client, "handlaggaren", 1, address="10.0.0.2")
    log_in(client, "handlaggaren", "fel", "10.0.0.2", HTTP_X_FORWARDED_FOR="inte-en-adress")
    assert list(LoginFailure.objects.values_list("address", flat=True)) == ["10.0.0.2"] * 2


def test_addresses_of_one_ipv6_network_count_as_one_client(client, handlaggare):
    for number in range(LIMIT):
        log_in(client, "handlaggaren", "fel", f"2001:db8:1:2::{number + 1:x}")

    assert refusal(log_in(client, "handlaggaren", PASSWORD, "2001:db8:1:2:ffff::1"))
    assert log_in(client, "handlaggaren", PASSWORD, "2001:db8:1:3::1").status_code == 302


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
    assert refusal(response)


@pytest.mark.parametrize("username", ["hand\x00laggaren", " "])
def test_a_username_the_form_refuses_is_not_counted(client, username):
    response = log_in(client, username, "fel")
    assert response.status_code == 200
    assert 'class="errorlist" id="id_username_error"' in response.content.decode()
    assert not LoginFailure.objects.exists()


def test_a_username_of_a_hundred_thousand_characters_is_an_ordinary_failure(client):
    guess(client, "x" * 100_000, 1)
    assert list(LoginFailure.objects.values_list("username", flat=True)) == ["x" * 150]
