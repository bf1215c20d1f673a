"""Once filled the daily counts from the history already registered; now does nothing.

It ran the live `rebuild_daily_counts`, whose table has since moved to assignments
(assignments 0010): run live, it could write there before that table exists. A database
that ran this step keeps its counts (reports 0003 copies them); one that did not has an
empty table, which gives the same figures, only slower, until the nightly
`manage.py rebuild_daily_counts` (or `--since 2000-01-01` at once) fills it.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("assignments", "0009_validity_intervals"),
        ("reports", "0001_daily_status_counts"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop, elidable=True)]
