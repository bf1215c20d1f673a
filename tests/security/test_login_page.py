"""The login page: the language is chosen before logging in; a logged-in person is sent on."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/konto/logga-in/"


def heading(response):
    return re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S)[1].strip()


def language_form_action(response):
    page = response.content.decode()
    return re.search(r'<form class="language" method="post" action="([^"]+)"', page)[1]


def test_the_language_chosen_on_the_login_page_applies_there_and_after_logging_in(
    client, handlaggare
):
    login_page = f"{LOGIN}?next=/uppdrag/"
    swedish = client.get(login_page)
    assert heading(swedish) == "Logga in"

    switched = client.post(language_form_action(swedish), {"language": "en", "next": login_page})

    assert switched.status_code == 302
    assert switched["Location"] == login_page
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    english = client.get(login_page)
    assert '<html lang="en">' in english.content.decode()
    assert heading(english) == "Log in"
    logged_in = client.post(
        login_page, {"username": "handlaggaren", "password": PASSWORD, "next": "/uppdrag/"}
    )
    assert logged_in["Location"] == "/uppdrag/"
    assert heading(client.get("/uppdrag/")) == "Assignments"


def test_a_logged_in_person_opening_the_login_page_is_sent_to_the_start_page(client, handlaggare):
    client.force_login(handlaggare)

    response = client.get(LOGIN)

    assert response.status_code == 302
    assert response["Location"] == reverse("assignments:list")


def test_a_logged_in_person_is_sent_on_to_the_page_they_asked_for(client, handlaggare):
    client.force_login(handlaggare)

    response = client.get(f"{LOGIN}?next=/budget/")

    assert (response.status_code, response["Location"]) == (302, "/budget/")


def test_a_page_they_may_not_see_answers_403_once_without_a_loop(client, politiker):
    client.force_login(politiker)
    forbidden = reverse("assignments:create")

    response = client.get(f"{LOGIN}?next={forbidden}", follow=True)

    assert response.redirect_chain == [(forbidden, 302)]
    assert response.status_code == 403


def test_a_next_leading_back_to_the_login_page_leads_to_the_start_page(client, handlaggare):
    client.force_login(handlaggare)

    for next_page in [LOGIN, f"{LOGIN}?next={LOGIN}", "http://testserver/konto/logga-in/"]:
        response = client.get(LOGIN, {"next": next_page})
        assert (response.status_code, response["Location"]) == (302, "/uppdrag/"), next_page


def test_a_logged_in_person_sent_to_the_admin_without_the_right_gets_its_login_once(
    client, politiker
):
    client.force_login(politiker)

    response = client.get(f"{LOGIN}?next=/admin/", follow=True)

    redirects = [url for url, _status in response.redirect_chain]
    assert redirects == ["/admin/", "/admin/login/?next=/admin/"]
    assert response.status_code == 200
