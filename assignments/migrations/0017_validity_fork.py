"""The interval-tree node of each ended history version (malmo_ks.history.validity_fork).

Issue 13: "the register at day D" read every version begun before D (or ended after
it): 226 000 index entries for the 30 000 versions that held at 2016-12-31 in the
benchmark's register, 700 000 for a day in 2021. With the node, the versions that held
at D are read from three short index ranges (malmo_ks.history.versions_at_in_parts):
the current versions begun before D, and the ended ones whose node lies on D's path.

Every history table gets the field, filled here for the versions that have ended;
keep_validity keeps it from now on, in the UPDATE that sets `valid_until`, with the
database function made here (budget 0004 fills its table with it). The assignments'
history gets the indexes the overview's counts at a past day read: on PostgreSQL they
hold what those counts need (INCLUDE), so that the counts read the indexes alone;
SQLite has no INCLUDE.
"""

from django.db import migrations, models

from malmo_ks.history import (
    FORK_EPOCH,
    FORK_FUNCTION,
    FORK_LEVELS,
    FORK_TOP,
    ValidityFork,
)

HISTORY_TABLE = "assignments_historicalassignment"
BEFORE_INDEX = "historicalassignment_fork_until"
AFTER_INDEX = "historicalassignment_fork_from"
CURRENT_INDEX = "historicalassignment_current"
CURRENT_STALEST_INDEX = "historicalassignment_current_stalest"
# What the overview's tally and its stalest list read of a version at a past day.
READ_COLUMNS = (
    "history_type, area_id, responsible_unit_id, status, planned_completion, decided_on,"
    " last_report_on, last_assessment, reference, id, history_id"
)
HISTORY_MODELS = (
    "historicalassignment", "historicalcommissionarea", "historicaldeadlinechange",
    "historicalmeeting", "historicalstatusreport", "historicaltreatment", "historicalunit",
)


# malmo_ks.history.validity_fork, in PostgreSQL's SQL; SQLite is given the Python
# function itself by each connection (malmo_ks.history.register_on_sqlite).
CREATE_FUNCTION = f"""
CREATE FUNCTION {FORK_FUNCTION}(began timestamptz, ended timestamptz, zone text)
RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (days.last >> level.bits) << level.bits
    FROM (SELECT
            greatest(1, least({FORK_TOP},
                (began AT TIME ZONE zone)::date - DATE '{FORK_EPOCH.isoformat()}')) AS first,
            least({FORK_TOP}, greatest(1,
                (ended AT TIME ZONE zone)::date - DATE '{FORK_EPOCH.isoformat()}')) AS last
         ) AS days,
         -- The highest bit where first - 1 and last differ.
         LATERAL (SELECT length(ltrim(((days.first - 1) # days.last)::bit({FORK_LEVELS + 1})::text,
                                      '0')) - 1 AS bits) AS level
    WHERE ended IS NOT NULL
$$
"""


def create_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_FUNCTION)


def drop_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION {FORK_FUNCTION}(timestamptz, timestamptz, text)")


def fill_forks(apps, schema_editor):
    """The node of every ended version of the app's history tables."""
    for name in HISTORY_MODELS:
        model = apps.get_model("assignments", name)
        model._default_manager.using(schema_editor.connection.alias).filter(
            valid_until__isnull=False
        ).update(valid_fork=ValidityFork("history_date", "valid_until"))


def create_indexes(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"

    def include(columns):
        return f" INCLUDE ({columns})" if postgresql else ""

    schema_editor.execute(
        f"CREATE INDEX {BEFORE_INDEX} ON {HISTORY_TABLE} (valid_fork, valid_until)"
        f"{include('history_date, ' + READ_COLUMNS)} WHERE valid_fork IS NOT NULL"
    )
    schema_editor.execute(
        f"CREATE INDEX {AFTER_INDEX} ON {HISTORY_TABLE} (valid_fork, history_date)"
        f"{include('valid_until, ' + READ_COLUMNS)} WHERE valid_fork IS NOT NULL"
    )
    schema_editor.execute(
        f"CREATE INDEX {CURRENT_INDEX} ON {HISTORY_TABLE} (history_date)"
        f"{include(READ_COLUMNS)} WHERE valid_until IS NULL"
    )
    # The stalest at a past day among the current versions (reports.overview.stalest), in
    # the list's order, so that the read stops at the tenth that held then: a current
    # version begun after the day is passed over, but those are the register's latest
    # edits, not most of its history. SQLite puts nulls first anyway and refuses the words.
    nulls_first = " NULLS FIRST" if postgresql else ""
    schema_editor.execute(
        f"CREATE INDEX {CURRENT_STALEST_INDEX} ON {HISTORY_TABLE}"
        f" (last_report_on{nulls_first}, reference, id)"
        f"{include('history_date, history_type, status, decided_on, history_id')}"
        " WHERE valid_until IS NULL AND NOT (status = 'avslutad')"
    )


def drop_indexes(apps, schema_editor):
    for name in (BEFORE_INDEX, AFTER_INDEX, CURRENT_INDEX, CURRENT_STALEST_INDEX):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ('assignments', '0016_treatment_meeting_required'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalassignment',
            name='valid_fork',
            field=models.IntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='historicalcommissionarea',
            name='valid_fork',
            field=models.IntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='historicaldeadlinechange',
            name='valid_fork',
            field=models.IntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='historicalmeeting',
            name='valid_fork',
            field=models.IntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='historicalstatusreport',
            name='valid_fork',
            field=models.IntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='historicaltreatment',
            name='valid_fork',
            field=models.IntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='historicalunit',
            name='valid_fork',
            field=models.IntegerField(blank=True, editable=False, null=True),
        ),
        # Indexes before the fill: PostgreSQL refuses DDL after writes with pending
        # constraint triggers in the same transaction.
        migrations.RunPython(create_function, drop_function),
        migrations.RunPython(create_indexes, drop_indexes),
        migrations.RunPython(fill_forks, migrations.RunPython.noop),
    ]
