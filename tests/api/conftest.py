"""The API's tests: a token client besides the personas."""

import pytest
from django.test import Client

from api.models import ApiToken


@pytest.fixture
def token_key(administrator):
    _token, key = ApiToken.issue("Power BI: uppföljning", created_by=administrator)
    return key


@pytest.fixture
def api(token_key):
    """A client that sends a valid token, as Power BI would."""
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_key}")
