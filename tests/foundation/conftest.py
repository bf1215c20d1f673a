"""The demo register loaded once per test module instead of once per test.

`load_demo` takes seconds (31 assignments with four years of history), and most
foundation tests only read it. The load runs in a transaction that stays open for
the module and is rolled back at its end; each test runs in a savepoint inside it
(pytest-django's `db`), so what a test changes is still undone after that test.
A module that uses `demo` therefore sees the demo register in all its tests, even
those that do not ask for it: tests that need an empty register live elsewhere.
"""

import io

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def _demo_register(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(_demo_register, db):
    """The demo register, loaded through the real command (once per module)."""
