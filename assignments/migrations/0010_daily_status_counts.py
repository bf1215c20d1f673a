"""The daily counts per status move here from reports (reports 0003 copies the kept rows).

The list reads them too, and assignments may not import reports. The table is derived
data (assignments.daily_counts); this migration only creates it. Its constraint has a
new name, since the old table keeps `daily_status_count_unique` until reports 0003 drops it.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assignments', '0009_validity_intervals'),
    ]

    operations = [
        migrations.CreateModel(
            name='DailyStatusCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(verbose_name='day')),
                ('status', models.CharField(max_length=20, verbose_name='status')),
                ('count', models.PositiveIntegerField(verbose_name='count')),
            ],
            options={
                'verbose_name': 'daily status count',
                'verbose_name_plural': 'daily status counts',
                'constraints': [models.UniqueConstraint(fields=('day', 'status'), name='daily_status_count_day_status')],
            },
        ),
    ]
