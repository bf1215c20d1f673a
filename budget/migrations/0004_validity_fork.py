"""The interval-tree node of the budget rows' ended history versions (see assignments 0017)."""

from django.db import migrations, models

from malmo_ks.history import ValidityFork


def fill_forks(apps, schema_editor):
    model = apps.get_model("budget", "historicalbudgetrow")
    model._default_manager.using(schema_editor.connection.alias).filter(
        valid_until__isnull=False
    ).update(valid_fork=ValidityFork("history_date", "valid_until"))


class Migration(migrations.Migration):

    dependencies = [
        ('budget', '0003_validity_intervals'),
        # The database function the fill calls.
        ('assignments', '0017_validity_fork'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalbudgetrow',
            name='valid_fork',
            field=models.IntegerField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(fill_forks, migrations.RunPython.noop),
    ]
