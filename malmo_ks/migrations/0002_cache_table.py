"""The table of the database cache (settings.CACHES), made by migrate wherever it runs.

The page cache that used it is gone (assignments 0008 drops its table); this
step makes nothing while CACHES names no database cache.

`createcachetable` makes the tables of every database cache in CACHES and
leaves existing ones alone; a cache of another kind needs none.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("malmo_ks", "0001_initial")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
