"""The Swedish full-text index of assignments, on PostgreSQL only.

It is not declared in Assignment.Meta.indexes because Django would then try to
rebuild it whenever SQLite remakes the table. Built from models.SEARCH_VECTOR, so
the indexed expression is exactly the one the search queries.
"""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

from assignments.models import SEARCH_INDEX, SEARCH_VECTOR


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        model = apps.get_model("assignments", "Assignment")
        schema_editor.add_index(model, GinIndex(SEARCH_VECTOR, name=SEARCH_INDEX))


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        model = apps.get_model("assignments", "Assignment")
        schema_editor.remove_index(model, GinIndex(SEARCH_VECTOR, name=SEARCH_INDEX))


class Migration(migrations.Migration):
    dependencies = [("assignments", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
