"""A backup restored into an empty database holds the same records and the same history."""

import io
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.postgresql_only(
    "pg_dump and pg_restore back up PostgreSQL, the production database"
)

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def database_url(name):
    settings = connection.settings_dict
    user = settings["USER"] or "postgres"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    return f"postgresql://{user}{password}@{host}:{port}/{name}"


def table_contents(url, tables):
    with psycopg.connect(url) as conn:
        # Sorted in Python: not every table's first column is unique.
        return {
            table: sorted(conn.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
            for table in tables
        }


def run_script(name, dump, *, database):
    environment = {"DATABASE_URL": database, "PATH": "/usr/bin:/bin"}
    subprocess.run([SCRIPTS / name, dump], env=environment, check=True, capture_output=True)


@pytest.fixture
def empty_database():
    name = f"{connection.settings_dict['NAME']}_restore"
    admin_url = database_url("postgres")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield database_url(name)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_has_identical_records_and_history(tmp_path, empty_database):
    call_command("load_demo", stdout=io.StringIO())
    dump = tmp_path / "register.dump"
    source = database_url(connection.settings_dict["NAME"])
    domain_tables = [
        model._meta.db_table
        for app in ("assignments", "budget")
        for model in apps.get_app_config(app).get_models()
    ]
    assert any("historical" in table for table in domain_tables)

    run_script("backup-db", dump, database=source)
    run_script("restore-db", dump, database=empty_database)

    original = table_contents(source, domain_tables + ["auth_user"])
    restored = table_contents(empty_database, domain_tables + ["auth_user"])
    assert sum(len(rows) for rows in original.values()) > 500
    assert restored == original
