"""Validity intervals on every history record, filled for the records already there.

Each record gets the date of its object's next record as `valid_until` (null for
the current one); malmo_ks.history.keep_validity maintains it from now on. The
fill is one UPDATE with a correlated subquery per table, which PostgreSQL and
SQLite both run. The index serves "the register at day D" (selectors.versions_at):
history_date < end(D) AND (valid_until IS NULL OR valid_until >= end(D)).
"""

from django.db import migrations, models
from django.db.models import OuterRef, Q, Subquery

HISTORY_MODELS = (
    "historicalassignment",
    "historicalcommissionarea",
    "historicaldeadlinechange",
    "historicalstatusreport",
    "historicaltreatment",
    "historicalunit",
)


def fill_validity(apps, schema_editor):
    """The rule of malmo_ks.history.refresh_validity as it stood when this migration was
    written, copied here so that a later change to the app's code cannot change what
    this migration does: a record is valid until its object's next record (by
    history_date, then history_id)."""
    for name in HISTORY_MODELS:
        manager = apps.get_model("assignments", name)._default_manager.using(
            schema_editor.connection.alias
        )
        later = manager.filter(
            Q(history_date__gt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__gt=OuterRef("history_id")),
            id=OuterRef("id"),
        ).order_by("history_date", "history_id").values("history_date")[:1]
        manager.update(valid_until=Subquery(later))


class Migration(migrations.Migration):

    dependencies = [
        ('assignments', '0008_no_page_cache'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalassignment',
            name='valid_until',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='valid until'),
        ),
        migrations.AddField(
            model_name='historicalcommissionarea',
            name='valid_until',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='valid until'),
        ),
        migrations.AddField(
            model_name='historicaldeadlinechange',
            name='valid_until',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='valid until'),
        ),
        migrations.AddField(
            model_name='historicalstatusreport',
            name='valid_until',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='valid until'),
        ),
        migrations.AddField(
            model_name='historicaltreatment',
            name='valid_until',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='valid until'),
        ),
        migrations.AddField(
            model_name='historicalunit',
            name='valid_until',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='valid until'),
        ),
        migrations.RunPython(fill_validity, migrations.RunPython.noop),
        # Made by SQL, as 0005's history index: simple-history's model has no place for it.
        migrations.RunSQL(
            "CREATE INDEX historicalassignment_validity"
            " ON assignments_historicalassignment (valid_until, history_date)",
            "DROP INDEX IF EXISTS historicalassignment_validity",
        ),
    ]
