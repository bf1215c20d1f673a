"""The search document stored with each assignment, and on PostgreSQL its GIN index.

Until now the list's search read 0002's index on the expression, and where the
planner walked another index instead (the list sorted by diarienummer stops at 50
matches) it computed `to_tsvector` for every row it passed: 7.7 times the
benchmark's floor at 100 000 assignments. The generated column is computed when a
row is written (by every way in, SQL included); the index moves onto it under the
same name. SQLite keeps the stemmed text of assignments.swedish_search.document in
the column (its `swedish_document` function) and needs no index for the few rows
of a local register. Adding a stored generated column rewrites the table once.
"""

from django.db import migrations, models

import assignments.models

TABLE = "assignments_assignment"
INDEX = "assignment_search_swedish"


def drop_expression_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


def create_expression_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {INDEX} ON {TABLE} USING gin (to_tsvector('swedish'::regconfig,"
            " COALESCE(reference, '') || ' ' || COALESCE(title, '') || ' '"
            " || COALESCE(description, '')))"
        )


def create_column_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX {INDEX} ON {TABLE} USING gin (search_document)")


# Indexes made by SQL in earlier migrations, as they define them. On SQLite, adding a
# column that needs a default or is generated rebuilds the table (0013 the history's,
# this one the assignments'), and the rebuild keeps only the indexes the models declare:
# these come back here. PostgreSQL alters the table in place and keeps them.
SQLITE_SQL_INDEXES = (
    "CREATE INDEX IF NOT EXISTS historicalassignment_by_object_date"
    " ON assignments_historicalassignment (id, history_date, history_id)",
    "CREATE INDEX IF NOT EXISTS historicalassignment_validity"
    " ON assignments_historicalassignment (valid_until, history_date)",
    "CREATE INDEX IF NOT EXISTS historicalassignment_open_by_completion"
    " ON assignments_historicalassignment (planned_completion, reference, id)"
    " WHERE NOT (status = 'avslutad')",
    "CREATE INDEX IF NOT EXISTS assignment_stalest"
    " ON assignments_assignment (last_report_on, reference, id)"
    " WHERE NOT (status = 'avslutad')",
)


def restore_sqlite_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_SQL_INDEXES:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("assignments", "0013_latest_report_and_assessment")]

    operations = [
        migrations.RunPython(drop_expression_index, create_expression_index),
        migrations.AddField(
            model_name="assignment",
            name="search_document",
            field=models.GeneratedField(
                db_persist=True,
                expression=assignments.models.SearchDocument(),
                output_field=assignments.models.SearchDocumentField(),
                verbose_name="search document",
            ),
        ),
        migrations.RunPython(create_column_index, drop_expression_index),
        migrations.RunPython(restore_sqlite_indexes, migrations.RunPython.noop),
    ]
