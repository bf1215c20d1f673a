"""Indexes from which the list filtered by area or unit counts its rows per status.

At 100 000 assignments the count for ?status=lagesrapport&omrade=3 read 4 500 table
pages (16 ms); from (area, status, id) it is an index-only scan (about 1 ms).
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assignments', '0010_daily_status_counts'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='assignment',
            index=models.Index(fields=['area', 'status', 'id'], name='assignment_area_status_count'),
        ),
        migrations.AddIndex(
            model_name='assignment',
            index=models.Index(fields=['responsible_unit', 'status', 'id'], name='assignment_unit_status_count'),
        ),
    ]
