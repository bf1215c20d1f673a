"""`migrate`, one process at a time: web replicas starting together take turns."""

from contextlib import contextmanager

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections

# Any fixed number works, as long as nothing else in the database uses it.
MIGRATE_LOCK_ID = 7_135_201_403


@contextmanager
def advisory_lock(connection, lock_id):
    """Hold a PostgreSQL session lock; elsewhere (SQLite, one machine) nobody is waiting."""
    if connection.vendor != "postgresql":
        yield
        return
    # A session lock outlives the transactions migrate opens and commits inside it.
    # Waiting for it, and a long migration after, are not requests: the web's
    # statement timeout (settings.DB_STATEMENT_TIMEOUT) does not apply to them.
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
        cursor.execute("SELECT pg_advisory_lock(%s)", [lock_id])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [lock_id])


class Command(BaseCommand):
    help = (
        "Apply migrations while holding a PostgreSQL advisory lock, so that several "
        "containers starting at once migrate one after the other."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, database, verbosity, **options):
        # The second replica waits here, then finds nothing left to apply.
        with advisory_lock(connections[database], MIGRATE_LOCK_ID):
            call_command("migrate", database=database, interactive=False, verbosity=verbosity)
