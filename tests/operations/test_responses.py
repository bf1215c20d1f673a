"""Every answer: never cached when private, HEAD as GET, error pages in the register's layout."""

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.urls import include, path, reverse

from tests.factories import make_assignment, make_meeting
from tests.notifications.people import calendar_token_of_a_reader
from tests.register.reading import visible_text
from tests.security.test_permission_matrix import (
    GET_ONLY,
    PERMISSIONS,
    SIGN_IN,
    concrete_urls,
    walked_urls,
)

pytestmark = pytest.mark.django_db

PRIVATE = {"private", "no-store"}
# The pages a signed-in reader opens, and the files they download.
READ_PAGES = [
    reverse("reports:overview"),
    reverse("assignments:list"),
    reverse("reports:changes"),
    reverse("reports:compilation"),
    reverse("reports:compilation_xlsx"),
    reverse("reports:compilation_pdf"),
    reverse("reports:compilation_docx"),
    reverse("assignments:export", args=["csv"]),
    reverse("assignments:export", args=["xlsx"]),
    reverse("budget:index"),
    reverse("budget:export", args=["csv"]),
    reverse("budget:export", args=["xlsx"]),
]
READ_URL_NAMES = ["health", *(name for name, (_, post) in PERMISSIONS.items() if post == GET_ONLY)]


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def cache_control(response):
    return {part.strip() for part in response.headers.get("Cache-Control", "").split(",")}


@pytest.fixture
def reader(client, politiker):
    client.force_login(politiker)
    return client


# Cache-Control


@pytest.mark.parametrize("url", READ_PAGES)
def test_a_signed_in_user_s_pages_and_files_are_kept_by_no_cache(reader, url):
    response = reader.get(url)
    assert response.status_code == 200
    assert PRIVATE <= cache_control(response)


def test_an_assignment_page_is_kept_by_no_cache(reader):
    response = reader.get(reverse("assignments:detail", args=[make_assignment().pk]))
    assert PRIVATE <= cache_control(response)


def test_a_refused_export_is_kept_by_no_cache_either(reader):
    response = reader.get(reverse("assignments:export", args=["csv"]), {"per": "x"})
    assert response.status_code == 400
    assert PRIVATE <= cache_control(response)


# HEAD


@pytest.mark.parametrize("name", READ_URL_NAMES)
def test_every_read_url_answers_head_as_it_answers_get(name, politiker):
    world = {
        "pk": make_assignment().pk,
        "row": None,
        "meeting": make_meeting().pk,
        "token": calendar_token_of_a_reader(),
    }
    client = Client()
    client.force_login(politiker)
    for url in concrete_urls(name, walked_urls()[name], world):
        got, head = client.get(url), client.head(url)
        # Without a provider set up (as here) the sign-in's addresses lead to the login page.
        assert head.status_code == got.status_code == (302 if name in SIGN_IN else 200), url
        assert body(head) == b""
        assert head.headers.get("Content-Type") == got.headers.get("Content-Type")


def test_the_health_check_answers_head_to_anyone(client):
    response = client.head(reverse("health"))
    assert response.status_code == 200
    assert response.content == b""


# Error pages


def test_a_missing_assignment_gets_a_swedish_404_in_the_layout(reader):
    response = reader.get(reverse("assignments:detail", args=[999999]))
    assert response.status_code == 404
    text = visible_text(response)
    assert "Sidan finns inte" in text
    assert "KS uppdragsregister" in text
    assert "Översikt" in text  # the main menu
    assert f'href="{reverse("reports:overview")}"' in response.content.decode()
    assert "Not Found" not in text


def test_the_404_page_is_in_english_when_english_is_chosen(reader):
    reader.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = visible_text(reader.get("/finns-inte/"))
    assert "Page not found" in text
    assert "Back to the overview" in text


def test_an_anonymous_visitor_gets_the_404_without_the_menu(client):
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    text = visible_text(response)
    assert "Sidan finns inte" in text
    assert "Budget" not in text


def test_a_politician_on_an_edit_page_gets_a_swedish_403_in_the_layout(reader):
    response = reader.get(reverse("assignments:edit", args=[make_assignment().pk]))
    assert response.status_code == 403
    text = visible_text(response)
    assert "Du har inte behörighet" in text
    assert "KS uppdragsregister" in text
    assert "Tillbaka till översikten" in text
    assert "403 Forbidden" not in text


def fails(request):
    raise RuntimeError("ett fel i vyn")


def asks_too_long(request):
    """A query of two seconds under a timeout of 0.1, which ends with its transaction."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = '100ms'")
        cursor.execute("SELECT pg_sleep(2)")


# The project's URLs, one view that fails and one whose query runs too long.
urlpatterns = [
    path("fel/", fails),
    path("langsam/", asks_too_long),
    path("", include("malmo_ks.urls")),
]


@pytest.mark.urls(__name__)
def test_an_error_in_a_view_gets_a_swedish_500_in_the_layout(politiker):
    client = Client(raise_request_exception=False)
    client.force_login(politiker)
    response = client.get("/fel/")
    assert response.status_code == 500
    text = visible_text(response)
    assert "Något gick fel" in text
    assert "KS uppdragsregister" in text
    assert "Tillbaka till översikten" in text
    assert "ett fel i vyn" not in text
    assert PRIVATE <= cache_control(response)


@pytest.mark.postgresql_only("statement_timeout and pg_sleep() are PostgreSQL's")
@pytest.mark.urls(__name__)
def test_a_query_cancelled_for_taking_too_long_gets_a_swedish_503(politiker):
    client = Client(raise_request_exception=False)
    client.force_login(politiker)
    response = client.get("/langsam/")
    assert response.status_code == 503
    text = visible_text(response)
    assert "Frågan tog för lång tid" in text
    assert "Tillbaka till översikten" in text
