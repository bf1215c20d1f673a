"""Structured logs: every request, login, failed login and status change as a JSON line."""

import json
import logging
import sys

import pytest
from django.db import connection
from django.http import HttpResponseNotFound
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from assignments.models import Assignment, Meeting
from malmo_ks.logs import JsonFormatter
from malmo_ks.middleware import RequestLogMiddleware
from notifications.models import Preferences
from tests.conftest import PASSWORD
from tests.factories import ks_treatment, make_assignment

pytestmark = pytest.mark.django_db


def events(caplog, logger, event):
    return [r for r in caplog.records if r.name == logger and r.getMessage() == event]


def status_post(assignment, status):
    return {
        "status": status,
        "body": Meeting.Body.KS,
        "meeting_date": "2016-11-02",
        "paragraph": "312",
        "version": assignment.version,
    }


def test_a_log_record_becomes_one_json_line_with_its_fields():
    record = logging.makeLogRecord(
        {"name": "malmo_ks.requests", "levelname": "INFO", "msg": "request", "status": 200}
    )
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["logger"] == "malmo_ks.requests"
    assert entry["level"] == "INFO"
    assert entry["event"] == "request"
    assert entry["status"] == 200
    assert entry["time"].endswith("+00:00")


def test_an_error_carries_its_traceback_inside_the_line():
    try:
        raise RuntimeError("databasen svarar inte")
    except RuntimeError:
        record = logging.getLogger("x").makeRecord(
            "x", logging.ERROR, __file__, 1, "failed", (), exc_info=sys.exc_info()
        )
    entry = json.loads(JsonFormatter().format(record))
    assert "RuntimeError: databasen svarar inte" in entry["exception"]


def test_every_request_is_logged_with_method_path_status_duration_and_user(
    client, handlaggare, caplog
):
    caplog.set_level(logging.INFO)
    client.get(reverse("login") + "?next=/uppdrag/&q=personnummer")
    client.force_login(handlaggare)
    client.get(reverse("assignments:list"))
    anonymous, signed_in = events(caplog, "malmo_ks.requests", "request")
    assert (anonymous.method, anonymous.path, anonymous.status, anonymous.user_id) == (
        "GET",
        "/konto/logga-in/",
        200,
        None,
    )
    assert (signed_in.path, signed_in.status, signed_in.user_id) == (
        "/uppdrag/",
        200,
        handlaggare.pk,
    )
    assert isinstance(signed_in.duration_ms, float) and signed_in.duration_ms >= 0


def test_a_calendar_feed_is_logged_without_its_secret_address(client, handlaggare, caplog):
    """The feed's address is its only key (Outlook fetches it without a session): the
    request log, read by operations staff and kept for months, must not hold it."""
    token = Preferences.renew_calendar_token(handlaggare).calendar_token
    caplog.set_level(logging.INFO)
    response = client.get(reverse("notifications:calendar", args=[token]))
    assert response.status_code == 200
    (record,) = events(caplog, "malmo_ks.requests", "request")
    assert record.path == "/kalender/[token].ics"
    lines = [JsonFormatter().format(one) for one in caplog.records]
    assert not [line for line in lines if token in line]


def test_logging_a_request_costs_no_query(rf, caplog, django_assert_num_queries):
    # A request that needed no user (a static file, a 404 before any view) is
    # logged without looking one up. (The 404 page itself now shows the layout,
    # which asks for the user: so the log is tested here on its own.)
    caplog.set_level(logging.INFO)
    looked_up = []
    request = rf.get("/finns-inte/")
    request.user = SimpleLazyObject(lambda: looked_up.append("user"))
    with django_assert_num_queries(0):
        RequestLogMiddleware(lambda request: HttpResponseNotFound())(request)
    assert looked_up == []
    (record,) = events(caplog, "malmo_ks.requests", "request")
    assert (record.status, record.user_id) == (404, None)


def test_login_and_failed_login_are_logged_without_the_password(client, handlaggare, caplog):
    caplog.set_level(logging.INFO)
    client.post(reverse("login"), {"username": "handlaggaren", "password": "fel-lösenord-123"})
    client.post(reverse("login"), {"username": "handlaggaren", "password": PASSWORD})
    (failed,) = events(caplog, "malmo_ks.auth", "login_failed")
    (login,) = events(caplog, "malmo_ks.auth", "login")
    assert failed.levelname == "WARNING" and failed.username == "handlaggaren"
    assert (login.user_id, login.username) == (handlaggare.pk, "handlaggaren")
    lines = [JsonFormatter().format(record) for record in caplog.records]
    assert not [line for line in lines if "fel-lösenord-123" in line or PASSWORD in line]


def test_a_status_change_is_logged_once_it_is_committed(
    client, handlaggare, caplog, django_capture_on_commit_callbacks
):
    assignment = make_assignment()
    client.force_login(handlaggare)
    caplog.set_level(logging.INFO)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("assignments:change_status", args=[assignment.pk]),
            status_post(assignment, Assignment.Status.STATUS_REPORT),
        )
    assert response.status_code == 302
    (change,) = events(caplog, "assignments.status", "status_changed")
    assert change.assignment_id == assignment.pk
    assert change.reference == assignment.reference
    assert (change.previous_status, change.status) == ("pagaende", "lagesrapport")
    assert change.user_id == handlaggare.pk
    assert change.actor == "Handlaggaren Test"
    history = Assignment.history.get(history_id=change.history_id)
    assert history.status == "lagesrapport"


def test_a_refused_status_change_is_not_logged(
    client, handlaggare, caplog, django_capture_on_commit_callbacks
):
    assignment = make_assignment()
    client.force_login(handlaggare)
    caplog.set_level(logging.INFO)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("assignments:change_status", args=[assignment.pk]),
            status_post(assignment, Assignment.Status.STATUS_REPORT) | {"meeting_date": ""},
        )
    assert response.status_code == 200
    assert events(caplog, "assignments.status", "status_changed") == []


def test_a_save_that_keeps_the_status_logs_no_status_change(
    handlaggare, caplog, django_capture_on_commit_callbacks
):
    assignment = make_assignment()
    caplog.set_level(logging.INFO)
    with django_capture_on_commit_callbacks(execute=True):
        assignment.title = "Ny titel"
        assignment.save_tracked(user=handlaggare, reason="Stavning")
    assert events(caplog, "assignments.status", "status_changed") == []


def test_a_new_assignment_logs_its_first_status(caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.INFO)
    with django_capture_on_commit_callbacks(execute=True):
        assignment = make_assignment()
    (change,) = events(caplog, "assignments.status", "status_changed")
    assert (change.reference, change.previous_status, change.status) == (
        assignment.reference,
        None,
        "pagaende",
    )


def test_finding_the_previous_status_reads_no_history(handlaggare):
    assignment = Assignment.objects.get(pk=make_assignment().pk)
    history_table = Assignment.history.model._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        assignment.report_status(ks_treatment(), user=handlaggare, reason="KS 2016-11-02")
    reads = [
        q["sql"] for q in queries if q["sql"].startswith("SELECT") and history_table in q["sql"]
    ]
    assert reads == []
