"""Indexes the benchmark (`python -m bench`) showed the pages need at 100 000 assignments.

The history table's index is made here, not declared on a model, because
simple-history generates the historical model and offers no place for it. Its
key (id, history_date, history_id) is how every "this assignment as it stood
then" question reads the history, and the order in which the overview's status
over time walks it; on PostgreSQL it also carries status and history_type, so
that walk reads the index alone (0.7 s instead of 2.3 s at a million rows).
"""

from django.db import migrations, models

HISTORY_INDEX = "historicalassignment_by_object_date"
HISTORY_TABLE = "assignments_historicalassignment"


def create_history_index(apps, schema_editor):
    include = ""
    if schema_editor.connection.vendor == "postgresql":
        include = " INCLUDE (status, history_type)"
    schema_editor.execute(
        f"CREATE INDEX {HISTORY_INDEX} ON {HISTORY_TABLE} (id, history_date, history_id)"
        + include
    )


def drop_history_index(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {HISTORY_INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("assignments", "0004_import_permission"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(fields=["title", "id"], name="assignment_title_order"),
        ),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(fields=["status", "id"], name="assignment_status_count"),
        ),
        migrations.AddIndex(
            model_name="statusreport",
            index=models.Index(fields=["assignment", "report_date"], name="status_report_by_date"),
        ),
        migrations.AddIndex(
            model_name="treatment",
            index=models.Index(fields=["body", "meeting_date"], name="treatment_body_meeting"),
        ),
        migrations.RunPython(create_history_index, drop_history_index),
    ]
