"""Test setup: PostgreSQL or SQLite, and the four personas every test can use."""

import io

import psycopg
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client

from malmo_ks import roles
from tests.security.audit_guard import no_untracked_bulk_writes

PASSWORD = "test-password"


def on_postgresql():
    return "postgresql" in settings.DATABASES["default"]["ENGINE"]


def pytest_configure(config):
    """Run on SQLite as it is, and on PostgreSQL only once the server answers."""
    # PBKDF2 costs half a second per user; the tests check logins, not hash strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if not on_postgresql():
        return
    database = settings.DATABASES["default"]
    try:
        psycopg.connect(
            host=database["HOST"] or None,
            port=database["PORT"] or None,
            user=database["USER"] or None,
            password=database["PASSWORD"] or None,
            dbname="postgres",
            connect_timeout=5,
        ).close()
    except psycopg.OperationalError as error:
        pytest.exit(
            f"PostgreSQL is not reachable at {database['HOST']}:{database['PORT']} "
            f"as {database['USER']!r}: {error}".strip(),
            returncode=3,
        )


def pytest_collection_modifyitems(config, items):
    """On SQLite, skip the PostgreSQL-only tests, each with the reason it gave."""
    for item in items:
        marker = item.get_closest_marker("postgresql_only")
        if marker is None:
            continue
        if len(marker.args) != 1 or not marker.args[0]:
            raise pytest.UsageError(f"{item.nodeid}: postgresql_only needs its reason")
        if not on_postgresql():
            item.add_marker(pytest.mark.skip(reason=f"PostgreSQL only: {marker.args[0]}"))


@pytest.fixture(autouse=True, scope="session")
def _history_is_never_bypassed():
    """App code that bulk-writes a history-tracked model fails whichever test reaches it."""
    with no_untracked_bulk_writes():
        yield


def _make_user(username, role=None, **extra):
    user = get_user_model().objects.create_user(
        username, password=PASSWORD, first_name=username.capitalize(), last_name="Test", **extra
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def handlaggare(db):
    return _make_user("handlaggaren", roles.HANDLAGGARE)


@pytest.fixture
def politiker(db):
    return _make_user("politikern", roles.FORTROENDEVALD)


@pytest.fixture
def administrator(db):
    return _make_user("administratoren", roles.ADMINISTRATOR, is_staff=True)


def signed_in(user):
    """A browser of its own, signed in as `user`: tests with two people need two."""
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def officer(handlaggare):
    return signed_in(handlaggare)


@pytest.fixture
def admin_page(administrator):
    return signed_in(administrator)


@pytest.fixture
def demo(db):
    """The demo register, loaded through the real command."""
    call_command("load_demo", stdout=io.StringIO())


# The test identity provider, for the sign-in tests and the browser's.
from tests.signin.provider import oidc, oidc_provider  # noqa: E402, F401
