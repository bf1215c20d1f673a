"""Validity intervals on the budget rows' history (see assignments 0009), filled at once.

The rule is malmo_ks.history.refresh_validity's as it stood when this was written,
copied here so that a later change to the app (which came: it also fills the
interval-tree node, a field this migration's model does not have yet) cannot change
what this migration does.
"""

from django.db import migrations, models
from django.db.models import OuterRef, Q, Subquery


def fill_validity(apps, schema_editor):
    model = apps.get_model("budget", "historicalbudgetrow")
    records = model._default_manager.using(schema_editor.connection.alias)
    later = records.filter(
        Q(history_date__gt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__gt=OuterRef("history_id")),
        id=OuterRef("id"),
    ).order_by("history_date", "history_id").values("history_date")[:1]
    records.update(valid_until=Subquery(later))


class Migration(migrations.Migration):

    dependencies = [
        ('budget', '0002_budget_row_version'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalbudgetrow',
            name='valid_until',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='valid until'),
        ),
        migrations.RunPython(fill_validity, migrations.RunPython.noop),
    ]
