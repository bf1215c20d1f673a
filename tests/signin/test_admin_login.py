"""The admin's login page follows LOCAL_LOGIN: with passwords off it leads to the provider."""

import pytest
from django.test import Client, override_settings

from tests.register.reading import visible_text
from tests.signin.test_sign_in_settings import PROVIDER

# A provider set up, passwords off, as production runs; nothing here asks the provider.
PASSWORDS_OFF = override_settings(
    OIDC_ISSUER=PROVIDER["OIDC_ISSUER"],
    OIDC_CLIENT_ID=PROVIDER["OIDC_CLIENT_ID"],
    OIDC_CLIENT_SECRET=PROVIDER["OIDC_CLIENT_SECRET"],
    OIDC_ROLE_GROUPS=PROVIDER["OIDC_ROLE_GROUPS"].split(","),
    LOCAL_LOGIN=False,
)


@PASSWORDS_OFF
def test_a_visitor_to_the_admin_is_sent_to_the_login_page_that_offers_the_provider(db):
    response = Client().get("/admin/", follow=True)

    assert response.redirect_chain[-1][0] == "/konto/logga-in/?next=/admin/"
    assert "Logga in med Malmö stads konto" in visible_text(response)
    assert 'name="password"' not in response.content.decode()


@PASSWORDS_OFF
def test_someone_signed_in_without_the_admin_s_permission_is_told_so_not_sent_round(politiker):
    client = Client()
    client.force_login(politiker)

    response = client.get("/admin/", follow=True)

    assert response.status_code == 200
    assert response.redirect_chain == [("/admin/login/?next=/admin/", 302)]
    assert "politiker" in visible_text(response).lower()


@pytest.mark.parametrize("path", ["/admin/login/", "/admin/login/?next=/admin/budget/"])
def test_with_passwords_on_the_admin_keeps_its_own_form(db, path):
    response = Client().get(path)

    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()
