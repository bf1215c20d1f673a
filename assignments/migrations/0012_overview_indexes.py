"""Indexes the overview (reports.overview) needs at 100 000 assignments, today and at a past day.

The history table's are made here, as 0005's and 0009's, because simple-history
generates the historical model and offers no place for them:

- `historicalassignment_register_tally`: "the register at day D" counted by area,
  unit and status (reports.overview.Tally) reads the versions begun before D from
  this index alone (PostgreSQL's INCLUDE; 0.16 s to 0.06 s at a million rows on
  2016-12-31). SQLite has no INCLUDE and reads its history_date index as before.
- `historicalassignment_open_by_completion`: the overdue and due-soon lists at D walk
  the open versions by planned completion and stop at the tenth that held at D.
"""

from django.db import migrations, models

HISTORY_TABLE = "assignments_historicalassignment"
TALLY_INDEX = "historicalassignment_register_tally"
OPEN_INDEX = "historicalassignment_open_by_completion"


def create_history_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {TALLY_INDEX} ON {HISTORY_TABLE} (history_date)"
            " INCLUDE (valid_until, history_type, area_id, responsible_unit_id, status,"
            " planned_completion)"
        )
    schema_editor.execute(
        f"CREATE INDEX {OPEN_INDEX} ON {HISTORY_TABLE} (planned_completion, reference, id)"
        " WHERE NOT (status = 'avslutad')"
    )


def drop_history_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX {TALLY_INDEX}")
    # On SQLite a later migration that rebuilds the history table (0013 adds columns)
    # loses an index made by SQL, so it may no longer be there to drop.
    schema_editor.execute(f"DROP INDEX IF EXISTS {OPEN_INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("assignments", "0011_list_count_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(
                fields=["area", "responsible_unit", "status", "planned_completion"],
                name="assignment_overview_tally",
            ),
        ),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(
                condition=models.Q(("status", "avslutad"), _negated=True),
                fields=["planned_completion", "reference", "id"],
                name="assignment_open_by_completion",
            ),
        ),
        migrations.AddIndex(
            model_name="statusreport",
            index=models.Index(fields=["report_date"], name="status_report_date"),
        ),
        migrations.RunPython(create_history_indexes, drop_history_indexes),
    ]
