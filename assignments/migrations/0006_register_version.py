"""The register version that keys the page cache (assignments.page_cache), made at once.

With the row in place from the start, pages are cached before the first write.
"""

import uuid

from django.db import migrations, models


def create_version(apps, schema_editor):
    apps.get_model("assignments", "RegisterVersion").objects.create(pk=1)


class Migration(migrations.Migration):

    dependencies = [
        ('assignments', '0005_speed_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='RegisterVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('generation', models.UUIDField(default=uuid.uuid4, editable=False)),
                ('number', models.BigIntegerField(default=0)),
                ('past_number', models.BigIntegerField(default=0)),
            ],
            options={
                'verbose_name': 'register version',
                'verbose_name_plural': 'register versions',
            },
        ),
        migrations.RunPython(create_version, migrations.RunPython.noop),
    ]
