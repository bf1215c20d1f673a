"""The page cache is gone: pages are fast by construction, so its version row and table go too.

`register_cache` was the database cache's table (malmo_ks 0002 made it); no
setting names a database cache any more. DROP TABLE IF EXISTS runs on both
PostgreSQL and SQLite, and on a database that never had the table.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('assignments', '0007_rules_for_every_way_in'),
        ('malmo_ks', '0003_login_attempts_per_client'),
    ]

    operations = [
        migrations.DeleteModel(
            name='RegisterVersion',
        ),
        migrations.RunSQL('DROP TABLE IF EXISTS register_cache', migrations.RunSQL.noop),
    ]
