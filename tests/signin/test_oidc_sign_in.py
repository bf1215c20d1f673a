"""Signing in through the city's identity provider: a real OpenID Connect provider, over HTTP."""

import logging
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from malmo_ks import roles, signin
from malmo_ks.logs import JsonFormatter
from malmo_ks.throttle import LocalLoginOff
from tests.conftest import PASSWORD
from tests.register.reading import visible_text
from tests.signin.provider import CLIENT_ID, CLIENT_SECRET, ROLE_GROUPS, sign_in

pytestmark = pytest.mark.django_db

User = get_user_model()


def refusal(reason):
    """The words a refused person reads, in the page's language (Swedish)."""
    with translation.override("sv"):
        return str(signin.REFUSALS[reason])


def roles_of(user):
    return set(user.groups.values_list("name", flat=True))


def signed_in_user(client):
    response = client.get(reverse("assignments:list"))
    if response.status_code != 200:
        return None
    return User.objects.get(pk=client.session["_auth_user_id"])


@pytest.mark.parametrize(
    ("person", "role", "staff"),
    [
        ("karin", roles.HANDLAGGARE, False),
        ("per", roles.FORTROENDEVALD, False),
        ("anna", roles.ADMINISTRATOR, True),
    ],
)
def test_each_person_lands_in_the_register_with_the_role_of_their_group(
    oidc, person, role, staff
):
    client = Client()

    response = sign_in(client, person)

    assert response.status_code == 302
    assert response["Location"] == reverse("assignments:list")
    user = signed_in_user(client)
    assert user is not None
    assert roles_of(user) == {role}
    assert user.is_staff is staff and not user.is_superuser
    assert user.email == f"{person}@malmo.example"
    assert user.first_name and user.last_name
    assert not user.has_usable_password()
    admin = client.get(reverse("admin:index"))
    assert admin.status_code == (200 if staff else 302)


def test_someone_in_no_mapped_group_is_refused_in_words_and_gets_no_account(oidc):
    client = Client()

    response = sign_in(client, "olle")

    assert response.status_code == 403
    assert refusal("no_role") in visible_text(response)
    assert signed_in_user(client) is None
    assert not User.objects.filter(email="olle@malmo.example").exists()


def test_a_person_moved_between_groups_has_the_new_role_at_the_next_sign_in(oidc):
    sign_in(Client(), "karin")
    (karin,) = User.objects.filter(email="karin@malmo.example")
    assert roles_of(karin) == {roles.HANDLAGGARE}
    try:
        oidc.set_groups("karin", ["grp-ks-admin"])
        client = Client()
        sign_in(client, "karin")
        karin.refresh_from_db()
        assert roles_of(karin) == {roles.ADMINISTRATOR} and karin.is_staff
        assert signed_in_user(client) == karin

        oidc.set_groups("karin", ["grp-unrelated"])
        response = sign_in(Client(), "karin")
        assert response.status_code == 403
        karin.refresh_from_db()
        assert roles_of(karin) == set() and not karin.is_staff
    finally:
        oidc.set_groups("karin", ["grp-ks-handlaggare"])
    # One account throughout, deactivated never, deleted never.
    assert User.objects.filter(email="karin@malmo.example").count() == 1


def test_an_account_is_found_by_subject_never_by_e_mail(oidc, handlaggare):
    local = User.objects.create_user("karin@malmo.example", email="karin@malmo.example")

    client = Client()
    sign_in(client, "karin")

    user = signed_in_user(client)
    assert user is not None and user.pk != local.pk
    assert user.sign_in_identity.subject == "karin"
    assert roles_of(local) == set()


def test_a_deactivated_account_is_refused(oidc):
    sign_in(Client(), "per")
    User.objects.filter(email="per@malmo.example").update(is_active=False)

    client = Client()
    response = sign_in(client, "per")

    assert response.status_code == 403
    assert refusal("inactive") in visible_text(response)
    assert signed_in_user(client) is None


def test_a_tampered_state_is_refused(oidc):
    client = Client()

    response = sign_in(client, "anna", change_state="x")

    assert response.status_code == 400
    assert refusal("state") in visible_text(response)
    assert signed_in_user(client) is None
    assert not User.objects.filter(email="anna@malmo.example").exists()


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"aud": "another-application"}, "audience"),
        ({"exp": 1_000_000_000, "iat": 999_999_000}, "expired"),
        ({"iss": "http://127.0.0.1:1"}, "issuer"),
        ({"nonce": "not-this-sign-in"}, "token"),
    ],
    ids=["wrong audience", "expired", "wrong issuer", "wrong nonce"],
)
def test_a_token_signed_by_the_provider_with_a_wrong_claim_is_refused(oidc, claims, reason):
    oidc.change_next_id_token(**claims)
    client = Client()

    response = sign_in(client, "anna")

    assert response.status_code == 403
    assert refusal(reason) in visible_text(response)
    assert signed_in_user(client) is None
    assert not User.objects.filter(email="anna@malmo.example").exists()


def test_with_local_login_off_no_password_works_anywhere(oidc, administrator, rf):
    client = Client()
    page = client.post(
        reverse("login"), {"username": administrator.username, "password": PASSWORD}
    )
    admin = client.post(
        "/admin/login/", {"username": administrator.username, "password": PASSWORD}
    )

    assert page.status_code == admin.status_code == 200
    with translation.override("sv"):
        words = str(signin_off_message())
    assert words in visible_text(page)
    assert words in visible_text(admin)
    assert signed_in_user(client) is None
    assert "id_password" not in page.content.decode()
    with pytest.raises(LocalLoginOff):
        authenticate(rf.post("/"), username=administrator.username, password=PASSWORD)
    assert signed_in_user(client) is None


def signin_off_message():
    return LocalLoginOff().messages[0]


def test_a_break_glass_administrator_logs_in_with_a_password_when_local_login_is_on(
    oidc_provider, administrator
):
    with oidc_provider.settings(LOCAL_LOGIN=True):
        client = Client()
        page = client.get(reverse("login"))
        response = client.post(
            reverse("login"), {"username": administrator.username, "password": PASSWORD}
        )
    assert "Logga in med Malmö stads konto" in visible_text(page)
    assert response.status_code == 302
    assert signed_in_user(client) == administrator


def test_logout_ends_the_register_s_session_and_the_provider_s(oidc):
    client = Client()
    sign_in(client, "per")
    id_token = client.session["oidc_id_token"]

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"].startswith(f"{oidc.issuer}/session/end?")
    assert f"id_token_hint={id_token}" in response["Location"]
    assert "post_logout_redirect_uri=http%3A%2F%2Ftestserver%2Fkonto%2Flogga-in%2F" in (
        response["Location"]
    )
    assert signed_in_user(client) is None


def test_the_next_page_asked_for_is_where_the_sign_in_ends(oidc):
    client = Client()

    response = sign_in(client, "per", next_url=reverse("reports:overview"))

    assert response["Location"] == reverse("reports:overview")


def test_sign_ins_refusals_and_role_changes_are_logged_without_a_token(oidc, caplog):
    caplog.set_level(logging.INFO)
    client = Client()
    sign_in(client, "karin")
    sign_in(Client(), "olle")
    id_token = client.session["oidc_id_token"]

    events = [(record.name, record.getMessage()) for record in caplog.records]
    assert ("malmo_ks.auth", "oidc_account_created") in events
    assert ("malmo_ks.auth", "roles_changed") in events
    assert ("malmo_ks.auth", "login") in events
    (refused,) = [r for r in caplog.records if r.getMessage() == "oidc_login_refused"]
    assert refused.reason == "no_role" and refused.subject == "olle"
    (changed,) = [r for r in caplog.records if r.getMessage() == "roles_changed"]
    assert changed.added == [roles.HANDLAGGARE] and changed.removed == []
    lines = "\n".join(JsonFormatter().format(record) for record in caplog.records)
    assert id_token not in lines and id_token.split(".")[1] not in lines
    assert "code=" not in lines


def test_without_a_provider_the_sign_in_addresses_send_to_the_login_page(client):
    assert client.get(reverse("oidc_login"))["Location"] == reverse("login")
    assert client.get(reverse("oidc_callback"), {"code": "x", "state": "y"})[
        "Location"
    ] == reverse("login")
    assert "Malmö stads konto" not in visible_text(client.get(reverse("login")))


def test_an_unreachable_provider_is_said_in_words(oidc_provider):
    with override_settings(
        OIDC_ISSUER="http://127.0.0.1:9",
        OIDC_CLIENT_ID=CLIENT_ID,
        OIDC_CLIENT_SECRET=CLIENT_SECRET,
        OIDC_ROLE_GROUPS=ROLE_GROUPS,
    ):
        signin._discovered.clear()
        response = Client().get(reverse("oidc_login"))
    assert response.status_code == 503
    assert refusal("unavailable") in visible_text(response)


def test_a_forged_error_answer_neither_signs_in_nor_out(oidc):
    client = Client()
    sign_in(client, "per")

    response = client.get(reverse("oidc_callback"), {"error": "access_denied", "state": "forged"})

    assert response.status_code == 400
    assert refusal("state") in visible_text(response)
    assert signed_in_user(client) is not None


def test_the_provider_refusing_the_sign_in_is_said_in_words(oidc):
    client = Client()
    start = client.get(reverse("oidc_login"))
    state = dict(parse_qsl(urlsplit(start["Location"]).query))["state"]

    response = client.get(reverse("oidc_callback"), {"error": "access_denied", "state": state})

    assert response.status_code == 403
    assert refusal("provider_error") in visible_text(response)
    assert signed_in_user(client) is None


def test_forms_may_lead_to_the_provider_only_when_there_is_one(oidc_provider, client):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    with oidc_provider.settings():
        with_provider = client.get(reverse("login"))["Content-Security-Policy"]

    assert "form-action 'self';" in policy
    assert f"form-action 'self' {oidc_provider.issuer};" in with_provider


def test_a_code_the_provider_refuses_is_said_in_words(oidc):
    client = Client()
    first = sign_in(client, "per")
    assert first.status_code == 302
    start = client.get(reverse("oidc_login"))
    state = dict(parse_qsl(urlsplit(start["Location"]).query))["state"]

    # A made-up code: the provider's token endpoint refuses it.
    response = client.get(reverse("oidc_callback"), {"code": "made-up", "state": state})

    assert response.status_code == 403
    assert refusal("provider_error") in visible_text(response)
