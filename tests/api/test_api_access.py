"""Who may read the API: tokens, revocation, sessions, open data without personal data, limits."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import reverse

from api.models import ApiToken, hash_key
from assignments.models import Assignment

ASSIGNMENTS = reverse("api:assignments")
COUNTS = reverse("api:counts")


def test_a_token_reads_and_its_use_is_dated(api, token_key, db):
    assert api.get(ASSIGNMENTS).status_code == 200
    token = ApiToken.objects.get()
    assert token.last_used_at is not None
    assert token.key_hash == hash_key(token_key) and token_key not in token.key_hash


def test_a_revoked_token_gets_401(api, db):
    ApiToken.objects.get().revoke()
    response = api.get(ASSIGNMENTS)
    assert response.status_code == 401
    assert response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_unknown_or_malformed_token_gets_401(db):
    for header in ("Bearer nonsense", "Bearer a b", "Bearer \u00e5\u00e4\u00f6"):
        response = Client(HTTP_AUTHORIZATION=header).get(ASSIGNMENTS)
        assert response.status_code == 401, header


def test_a_token_in_the_address_is_not_accepted(token_key, db):
    response = Client().get(ASSIGNMENTS, {"token": token_key, "access_token": token_key})
    assert response.status_code == 401


def test_anonymous_gets_401_without_open_data(client, db):
    for name in ("assignments", "counts", "meetings", "budget_rows", "changes"):
        response = client.get(reverse(f"api:{name}"))
        assert response.status_code == 401, name
        assert response["Content-Type"] == "application/json"


def test_a_browser_session_of_a_reader_may_use_the_api(client, politiker, db):
    client.force_login(politiker)
    assert client.get(COUNTS).status_code == 200


def test_a_signed_in_person_without_a_role_gets_403(client, db):
    client.force_login(get_user_model().objects.create_user("utan-roll"))
    assert client.get(COUNTS).status_code == 403


def test_the_api_writes_nothing(api, politiker, db):
    for method in ("post", "put", "patch", "delete"):
        assert getattr(api, method)(ASSIGNMENTS).status_code == 405


def _body(response):
    return (b"".join(response.streaming_content) if response.streaming
            else response.content).decode()


@override_settings(OPEN_DATA=True)
def test_open_data_shows_no_personal_data_anywhere(client, politiker, demo):
    people = get_user_model().objects.all()
    assert Assignment.objects.filter(case_officer__isnull=False).exists()
    forbidden = set()
    for person in people:
        forbidden |= {person.email, person.get_full_name(), person.first_name, person.last_name}
    forbidden.discard("")
    urls = [
        ASSIGNMENTS, f"{ASSIGNMENTS}?per=2016-12-31", reverse("api:assignments_csv"),
        f"{ASSIGNMENTS}?sedan=2014-01-01", COUNTS, reverse("api:meetings"),
        reverse("api:budget_rows"), reverse("api:budget_rows_csv"),
        reverse("api:schema"), reverse("api:documentation"),
    ]
    for pk in Assignment.objects.values_list("pk", flat=True):
        urls += [reverse("api:assignment", args=[pk]),
                 reverse("api:assignment", args=[pk]) + "?per=2016-12-31"]
    def named(body):
        return [text for text in forbidden if re.search(rf"\b{re.escape(text)}\b", body)]

    seen = 0
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = _body(response)
        seen += len(body)
        assert named(body) == [], url
    assert seen > 10_000
    # The search would find them: a reader of the register sees the handläggare's name.
    reader = Client()
    reader.force_login(politiker)
    assert named(_body(reader.get(reverse("api:assignments_csv"))))


@override_settings(OPEN_DATA=True)
def test_open_data_leaves_out_status_reports_timelines_changes_and_person_filters(client, demo):
    pk = Assignment.objects.filter(status="avslutad").first().pk
    body = client.get(reverse("api:assignment", args=[pk])).json()
    assert body["case_officer"] is None and body["timeline"] is None
    assert body["status_reports"] is None
    assert body["treatments"] and body["outcome"]
    assert client.get(reverse("api:changes"), {"sedan": "2016-01-01"}).status_code == 401
    response = client.get(ASSIGNMENTS, {"handlaggare": 1})
    assert response.status_code == 400 and response.json()["parameter"] == "handlaggare"
    assert "CC0" in client.get(ASSIGNMENTS).json()["license"]
    assert "creativecommons.org/publicdomain/zero" in client.get(COUNTS)["Link"]


@override_settings(OPEN_DATA=True, API_ANONYMOUS_RATE_PER_MINUTE=2)
def test_the_address_limit_answers_429_with_retry_after(client, db):
    assert client.get(COUNTS).status_code == 200
    assert client.get(COUNTS).status_code == 200
    response = client.get(COUNTS)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    # Another address still reads.
    assert client.get(COUNTS, REMOTE_ADDR="10.1.2.3").status_code == 200


@override_settings(API_RATE_PER_MINUTE=1)
def test_the_token_limit_counts_per_token(api, administrator, db):
    assert api.get(COUNTS).status_code == 200
    assert api.get(COUNTS, REMOTE_ADDR="10.9.9.9").status_code == 429
    _other, key = ApiToken.issue("Ett annat system", created_by=administrator)
    assert Client(HTTP_AUTHORIZATION=f"Bearer {key}").get(COUNTS).status_code == 200


@pytest.mark.parametrize(("params", "parameter"), [
    ({"per": "2016-13-45"}, "per"),
    ({"per": "1066-10-14"}, "per"),
    ({"sedan": "igår"}, "sedan"),
    ({"status": "okänd"}, "status"),
    ({"beslutsar": "２０１６"}, "beslutsar"),
    ({"omrade": "999999"}, "omrade"),
    ({"cursor": "inte-en-markör"}, "cursor"),
    ({"sortering": "titel"}, "sortering"),
])
def test_a_bad_parameter_is_a_400_naming_it(api, params, parameter, db):
    response = api.get(ASSIGNMENTS, params)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["parameter"] == parameter and body["detail"]


def test_the_error_is_in_the_language_asked_for(api, db):
    english = api.get(ASSIGNMENTS, {"per": "nej"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["detail"] == "“nej” is not a date. Write it as 2016-12-31."
    swedish = api.get(ASSIGNMENTS, {"per": "nej"}, HTTP_ACCEPT_LANGUAGE="sv").json()
    assert swedish["detail"] != english["detail"] and "nej" in swedish["detail"]


def test_the_admin_shows_a_new_key_once_and_keeps_only_its_hash(admin_page, db):
    response = admin_page.post(reverse("admin:api_apitoken_add"), {"client": "Power BI"})
    assert response.status_code == 200
    key = re.search(r'<code id="api-token-key">([^<]+)</code>', response.content.decode())[1]
    token = ApiToken.objects.get()
    assert token.key_hash == hash_key(key) and token.client == "Power BI"
    for url in (reverse("admin:api_apitoken_changelist"),
                reverse("admin:api_apitoken_change", args=[token.pk])):
        assert key not in admin_page.get(url).content.decode()
    assert Client(HTTP_AUTHORIZATION=f"Bearer {key}").get(COUNTS).status_code == 200
    admin_page.post(reverse("admin:api_apitoken_changelist"),
                    {"action": "revoke", "_selected_action": [token.pk]})
    assert Client(HTTP_AUTHORIZATION=f"Bearer {key}").get(COUNTS).status_code == 401


def test_who_revoked_a_token_stays_in_its_admin_history(admin_page, administrator, db):
    token, _key = ApiToken.issue("Power BI", created_by=administrator)

    admin_page.post(reverse("admin:api_apitoken_changelist"),
                    {"action": "revoke", "_selected_action": [token.pk]})

    history = admin_page.get(reverse("admin:api_apitoken_history", args=[token.pk]))
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", history.content.decode()))
    assert administrator.username in text or administrator.get_full_name() in text
    assert "Ändrade återkallad." in text
    # Twice revoked is revoked once: the second action changes and logs nothing.
    admin_page.post(reverse("admin:api_apitoken_changelist"),
                    {"action": "revoke", "_selected_action": [token.pk]})
    assert LogEntry.objects.filter(object_id=str(token.pk)).count() == 1


def test_the_token_is_never_in_the_request_log_but_its_id_is(api, token_key, caplog, db):
    with caplog.at_level("INFO"):
        api.get(ASSIGNMENTS)
    assert caplog.records and token_key not in caplog.text
    (line,) = [r for r in caplog.records if r.name == "malmo_ks.requests"]
    assert line.api_token_id == ApiToken.objects.get(key_hash=hash_key(token_key)).pk


def test_a_browser_session_s_request_is_logged_without_a_token(client, politiker, caplog):
    client.force_login(politiker)
    with caplog.at_level("INFO"):
        client.get(ASSIGNMENTS)
    (line,) = [r for r in caplog.records if r.name == "malmo_ks.requests"]
    assert line.user_id == politiker.pk and not hasattr(line, "api_token_id")


def test_the_description_is_openapi_3_and_public(client, db):
    response = client.get(reverse("api:schema"))
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/assignments/" in schema["paths"]
    page = client.get(reverse("api:documentation"))
    assert page.status_code == 200
    assert "GET /api/v1/assignments/" in page.content.decode()
