"""A case officer signs in through the city's identity provider, in Chromium."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from malmo_ks import roles, signin
from tests.signin.provider import running_provider


@pytest.fixture
def provider_for_live_server(live_server):
    with running_provider(live_server.url) as provider:
        signin._discovered.clear()
        with provider.settings(LOCAL_LOGIN=False):
            yield provider


def test_a_case_officer_signs_in_through_the_provider_and_out_again(
    page, transactional_db, provider_for_live_server
):
    page.goto("/uppdrag/")
    expect(page.get_by_label("Lösenord")).to_have_count(0)
    page.get_by_role("link", name="Logga in med Malmö stads konto").click()

    page.get_by_label("Username").fill("karin")
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(re.compile(r"/uppdrag/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Uppdrag")
    karin = get_user_model().objects.get(email="karin@malmo.example")
    assert set(karin.groups.values_list("name", flat=True)) == {roles.HANDLAGGARE}
    expect(page.get_by_role("link", name="Nytt uppdrag")).to_be_visible()

    page.get_by_role("button", name="Logga ut").click()
    # The provider asks whether to end its session too (RP-initiated logout).
    expect(page).to_have_url(re.compile(rf"^{provider_for_live_server.issuer}/session/end"))
    page.goto("/uppdrag/")
    expect(page.get_by_role("link", name="Logga in med Malmö stads konto")).to_be_visible()
