"""The database cancels a statement that runs too long (DB_STATEMENT_TIMEOUT); migrating waits."""

import pytest
from django.db import connection

from .processes import database_url_of_tests, manage, production_env

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgresql_only("statement_timeout is a PostgreSQL setting"),
]

SLEEP = "from django.db import connection; connection.cursor().execute('SELECT pg_sleep(3)')"
SHOW = (
    "from django.db import connection; c = connection.cursor(); "
    "c.execute('SHOW statement_timeout'); print(c.fetchone()[0])"
)


def test_by_default_a_statement_may_run_20_seconds():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "20s"


def test_a_statement_that_runs_longer_is_cancelled():
    env = production_env(DATABASE_URL=database_url_of_tests(), DB_STATEMENT_TIMEOUT="1")
    result = manage("shell", "-c", SLEEP, env=env)
    assert result.returncode != 0
    assert "canceling statement due to statement timeout" in result.stderr


def test_zero_turns_the_timeout_off():
    env = production_env(DATABASE_URL=database_url_of_tests(), DB_STATEMENT_TIMEOUT="0")
    result = manage("shell", "-c", SHOW, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "0"
