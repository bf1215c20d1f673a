"""Fill the daily counts from the history already registered, so that the first overview
after this migration reads kept days instead of recounting the whole history.

The table is derived data (reports.daily_counts): it may be emptied and filled again at
any time. This step runs today's `rebuild_daily_counts`, which reads the schema of
assignments 0009; should a later schema change break it, make it a no-op and run
`manage.py rebuild_daily_counts --since 2000-01-01` instead.
"""

from django.db import migrations


def fill(apps, schema_editor):
    from reports.daily_counts import rebuild_daily_counts

    rebuild_daily_counts()


class Migration(migrations.Migration):
    dependencies = [
        ("assignments", "0009_validity_intervals"),
        ("reports", "0001_daily_status_counts"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=True)]
