"""Validity intervals on the budget rows' history (see assignments 0009), filled at once."""

from django.db import migrations, models

from malmo_ks.history import refresh_validity


def fill_validity(apps, schema_editor):
    model = apps.get_model("budget", "historicalbudgetrow")
    refresh_validity(model._default_manager.using(schema_editor.connection.alias).all())


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
