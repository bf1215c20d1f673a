"""The benchmark's own PostgreSQL database: made anew for every run, never a real register's."""

import io

import psycopg
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connections

from malmo_ks import roles

# Each run drops and recreates the database it is given: a name without this
# word is refused, so that a mistyped DATABASE_URL cannot wipe a real register.
REQUIRED_WORD = "bench"
CASE_OFFICER = "bench_handlaggare"
ADMINISTRATOR = "bench_admin"


class NotABenchDatabase(RuntimeError):
    pass


def _server_connection():
    database = settings.DATABASES["default"]
    return psycopg.connect(
        host=database["HOST"] or None,
        port=database["PORT"] or None,
        user=database["USER"] or None,
        password=database["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
        connect_timeout=5,
    )


def recreate():
    """Drop and create the database named in DATABASE_URL, then migrate it."""
    database = settings.DATABASES["default"]
    if "postgresql" not in database["ENGINE"]:
        raise NotABenchDatabase("The benchmark runs on PostgreSQL: set DATABASE_URL.")
    name = database["NAME"]
    if REQUIRED_WORD not in name:
        raise NotABenchDatabase(
            f"The benchmark drops and recreates its database; {name!r} does not have "
            f"{REQUIRED_WORD!r} in its name, so it is left alone."
        )
    connections.close_all()
    with _server_connection() as server:
        quoted = psycopg.sql.Identifier(name)
        server.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(quoted))
        server.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(quoted))
    call_command("migrate", verbosity=0, skip_checks=True, stdout=io.StringIO())


def drop():
    """Remove the benchmark's database (the smoke test's, which nobody needs afterwards)."""
    name = settings.DATABASES["default"]["NAME"]
    if REQUIRED_WORD not in name:
        raise NotABenchDatabase(f"{name!r} is not a benchmark database.")
    connections.close_all()
    with _server_connection() as server:
        server.execute(
            psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                psycopg.sql.Identifier(name)
            )
        )


def make_personas():
    """A handläggare for the register's pages and an administrator for the Django admin."""
    users = get_user_model().objects
    officer = users.create_user(CASE_OFFICER, first_name="Bench", last_name="Handläggare")
    officer.groups.add(Group.objects.get(name=roles.HANDLAGGARE))
    admin = users.create_user(ADMINISTRATOR, first_name="Bench", last_name="Admin", is_staff=True)
    admin.groups.add(Group.objects.get(name=roles.ADMINISTRATOR))
    return {"handlaggare": officer, "admin": admin}
