"""The Swedish full-text index of assignments, on PostgreSQL only.

It is not declared in Assignment.Meta.indexes because Django would then try to
rebuild it whenever SQLite remakes the table. Its expression is the one the search
queried until migration 0014 stored the search document in a column and indexed
that instead (under the same name); it is written out here so that this migration
keeps building what it always built.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

SEARCH_INDEX = "assignment_search_swedish"
SEARCH_VECTOR = SearchVector("reference", "title", "description", config="swedish")


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
