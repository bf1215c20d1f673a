"""Schemathesis against the API's own OpenAPI description: no 500, no answer the schema refuses."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as examples
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.models import ApiToken
from tests.factories import make_assignments, make_closed_assignment, make_status_report

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


@pytest.fixture
def register(administrator):
    """A few assignments with a treatment and a report, and a token to read them."""
    first, *_ = make_assignments(3)
    make_status_report(first)
    make_closed_assignment()
    _token, key = ApiToken.issue("Schemathesis", created_by=administrator)
    # The test's transaction must outlive each request, as Django's test client keeps it.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield {"Authorization": f"Bearer {key}"}
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


# What the issue asks: no 500, every answer as the description says (status, content type,
# body). A request the schema allows may still be refused with a 400 naming the parameter
# (a date before the register's era, a page size of 0): the description cannot say
# everything the register's rules say, so acceptance of the input is not checked.
CONFORMANCE = [
    not_a_server_error, status_code_conformance, content_type_conformance,
    response_schema_conformance,
]


@schema.parametrize()
@examples(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_gives_a_500_or_an_answer_outside_the_schema(case, register):
    if case.meta is not None and case.meta.generation.mode == GenerationMode.NEGATIVE:
        # Input outside the schema (an id of "null,null") may miss the API's URLs
        # altogether and meet the site's HTML 404: only that it is no 500 counts.
        case.call_and_validate(headers=register, checks=[not_a_server_error])
    else:
        case.call_and_validate(headers=register, checks=CONFORMANCE)


@pytest.fixture
def open_register(register, settings):
    """The same register read by anyone, with open data on."""
    settings.OPEN_DATA = True


@schema.parametrize()
@examples(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
def test_open_data_answers_as_the_description_says_without_a_token(case, open_register):
    # Without a token: the open data subset (personal fields null), or 401 where it ends.
    checks = (
        [not_a_server_error]
        if case.meta is not None and case.meta.generation.mode == GenerationMode.NEGATIVE
        else CONFORMANCE
    )
    case.call_and_validate(checks=checks)
