"""migrate_with_lock: web replicas that start together migrate one after the other."""

import subprocess
import sys
import time

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command

from malmo_ks.management.commands.migrate_with_lock import MIGRATE_LOCK_ID

from .processes import REPO, database_url_of_tests, production_env

pytestmark = pytest.mark.postgresql_only(
    "the lock that orders the replicas is a PostgreSQL advisory lock"
)


def connect_to_test_database():
    db = settings.DATABASES["default"]
    return psycopg.connect(
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        dbname=db["NAME"],
        autocommit=True,
    )


def wait_behind_a_first_replica(waiting_seconds, **env):
    """Run migrate_with_lock while another replica holds the lock for `waiting_seconds`.

    Asserts that it waits all that time, and returns its output once the lock is freed.
    """
    with connect_to_test_database() as first_replica:
        first_replica.execute("SELECT pg_advisory_lock(%s)", [MIGRATE_LOCK_ID])
        second_replica = subprocess.Popen(
            [sys.executable, "manage.py", "migrate_with_lock"],
            cwd=REPO,
            env=production_env(DATABASE_URL=database_url_of_tests(), **env),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            time.sleep(waiting_seconds)
            assert second_replica.poll() is None, second_replica.communicate()
        finally:
            first_replica.execute("SELECT pg_advisory_unlock(%s)", [MIGRATE_LOCK_ID])
        out, err = second_replica.communicate(timeout=60)
    assert second_replica.returncode == 0, err
    return out


def test_a_second_replica_waits_for_the_first_then_finds_nothing_to_do(django_db_setup):
    assert "No migrations to apply." in wait_behind_a_first_replica(2)


def test_waiting_for_the_lock_is_not_cut_short_by_the_statement_timeout(django_db_setup):
    out = wait_behind_a_first_replica(3, DB_STATEMENT_TIMEOUT="1")

    assert "No migrations to apply." in out


@pytest.mark.django_db
def test_the_lock_is_released_after_migrating():
    call_command("migrate_with_lock", verbosity=0)
    with connect_to_test_database() as other:
        acquired = other.execute("SELECT pg_try_advisory_lock(%s)", [MIGRATE_LOCK_ID]).fetchone()
        assert acquired == (True,)
        other.execute("SELECT pg_advisory_unlock(%s)", [MIGRATE_LOCK_ID])
