"""The daily counts per status now live in assignments (assignments 0010): copy the kept
rows there, then drop this app's table.

Plain SQL over the two tables as these migrations made them, so no live code runs; the
ids are left to the new table's sequence. Going back moves the rows the other way.
"""

from django.db import migrations

COPY = (
    'INSERT INTO {target} (day, status, "count")'
    ' SELECT day, status, "count" FROM {source} ORDER BY day, status'
)


class Migration(migrations.Migration):
    dependencies = [
        ("assignments", "0010_daily_status_counts"),
        ("reports", "0002_fill_daily_counts"),
    ]

    operations = [
        migrations.RunSQL(
            COPY.format(target="assignments_dailystatuscount", source="reports_dailystatuscount"),
            [
                COPY.format(target="reports_dailystatuscount", source="assignments_dailystatuscount"),
                "DELETE FROM assignments_dailystatuscount",
            ],
        ),
        migrations.DeleteModel(name="DailyStatusCount"),
    ]
