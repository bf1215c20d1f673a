"""Production settings: Django's deployment checks pass, and a bad start is refused."""

import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD

from .processes import REPO, manage, production_env

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)


def test_deployment_checks_find_nothing_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize("secret_key", [None, "", "dev-only-secret-key-do-not-use-in-production"])
def test_production_refuses_to_start_without_a_secret_key_of_its_own(secret_key):
    result = manage("check", env=production_env(SECRET_KEY=secret_key))
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_a_setting_with_a_bad_value_stops_the_start_with_its_name():
    result = manage("check", env=production_env(SECURE_SSL_REDIRECT="sometimes"))
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT must be a boolean (true/false), got 'sometimes'" in result.stderr


def test_https_behind_a_proxy_is_opt_in_and_names_the_header():
    script = "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"
    without = manage("shell", "-v", "0", "-c", script, env=production_env())
    behind_proxy = manage(
        "shell",
        "-v",
        "0",
        "-c",
        script,
        env=production_env(SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto"),
    )
    assert without.stdout.strip() == "None"
    assert behind_proxy.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')"


# What the policy blocks: inline <script> and <style>, style attributes, event handlers.
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", re.IGNORECASE)
TEMPLATE_TAG = re.compile(r"{%.*?%}|{{.*?}}", re.DOTALL)


def test_no_template_has_inline_script_or_style_the_policy_would_block():
    found = {
        str(path.relative_to(REPO)): INLINE.findall(TEMPLATE_TAG.sub("", path.read_text()))
        for path in (REPO / "templates").rglob("*.html")
    }
    assert {path: inline for path, inline in found.items() if inline} == {}


@pytest.mark.django_db
def test_every_page_forbids_inline_script_and_framing(client, handlaggare):
    anonymous = client.get(reverse("login"))
    client.force_login(handlaggare)
    signed_in = client.get(reverse("reports:overview"))
    for response in (anonymous, signed_in):
        assert response.status_code == 200
        assert response.headers["Content-Security-Policy"] == CSP
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_the_admin_works_under_the_same_policy(client, administrator):
    client.force_login(administrator)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == CSP


@pytest.mark.django_db
def test_a_session_ends_with_the_browser_and_after_eight_hours_at_most(handlaggare):
    client = Client()
    response = client.post(
        reverse("login"), {"username": handlaggare.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # gone when the browser closes
    assert cookie["httponly"] is True
    assert client.session.get_expiry_age() == 8 * 60 * 60


@pytest.mark.django_db
def test_an_expired_session_asks_for_login_again(client, handlaggare):
    client.force_login(handlaggare)
    assert client.get(reverse("assignments:list")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("assignments:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
