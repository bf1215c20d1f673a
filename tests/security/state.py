"""What "nothing changed" means: row counts of every domain table, history tables included."""

from django.apps import apps
from django.db import connection

DOMAIN_APPS = ["assignments", "budget"]


def domain_models():
    """Every model of the register's apps: records, their history tables and m2m links."""
    return [
        model
        for label in DOMAIN_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]


def row_counts():
    """All counts in one query: the property tests take this before and after every request."""
    models = domain_models()
    counts = ", ".join(
        f"(SELECT count(*) FROM {connection.ops.quote_name(model._meta.db_table)})"
        for model in models
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        return dict(zip([model._meta.label for model in models], cursor.fetchone()))
