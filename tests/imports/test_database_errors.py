"""A database that refuses the confirmed import: the user is told in Swedish, nothing is
written, the error is logged, and a later confirmation of a new upload works."""

import logging

import pytest
from django.db import connection, connections

from assignments.models import Assignment
from tests.imports.files import (
    PREVIEW,
    UPLOAD,
    assignment_row,
    confirm,
    csv_file,
    hidden,
    register_state,
    text,
    upload,
)

REFUSED = (
    "Databasen kunde inte spara importen; inget har importerats. Ladda upp filen igen; "
    "händer det igen, kontakta registrets administratör."
)


@pytest.fixture
def colleague_locking_the_register(transactional_db):
    """Another connection holds the assignments table locked until `release()`, while
    this one gives up waiting for a lock after a moment: a busy or troubled database."""
    other = connections.create_connection("default")
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '300ms'")

    with other.cursor() as cursor:
        cursor.execute("BEGIN")
        cursor.execute(f"LOCK TABLE {Assignment._meta.db_table} IN ACCESS EXCLUSIVE MODE")

    def release():
        if other.connection is not None:
            with other.cursor() as cursor:
                cursor.execute("ROLLBACK")
            other.close()

    yield release
    release()
    with connection.cursor() as cursor:
        cursor.execute("RESET lock_timeout")


@pytest.mark.postgresql_only(
    "one table locked while the rest of the database works: SQLite locks the whole database"
)
@pytest.mark.django_db(transaction=True)
def test_a_database_error_at_the_confirmation_is_told_and_nothing_is_written(
    importer, caplog, request
):
    preview = upload(importer, csv_file([assignment_row("STK-2014-501")]))
    before = register_state()
    release = request.getfixturevalue("colleague_locking_the_register")

    with caplog.at_level(logging.ERROR, logger="imports"):
        response = importer.post(
            PREVIEW, {"token": hidden(preview, "token"), "digest": hidden(preview, "digest")}
        )
    release()

    assert response.status_code == 302
    assert response["Location"] == UPLOAD
    assert REFUSED in text(importer.get(UPLOAD))
    assert any(record.exc_info for record in caplog.records), "the error is logged"
    assert register_state() == before

    # Once the database answers again, the file imports.
    confirm(importer, upload(importer, csv_file([assignment_row("STK-2014-501")])))
    assert Assignment.objects.filter(reference="STK-2014-501").exists()
