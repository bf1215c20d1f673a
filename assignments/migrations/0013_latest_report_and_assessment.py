"""The latest status report kept on each assignment and history version; the assessment.

Issue 13: the overview's "ten stalest" list had to find the latest report of every open
assignment (150–220 ms at 100 000). The date (and, for issue 14, the assessment) of the
latest report is now kept on the assignment and on each history version
(`Assignment.keep_latest_report`), and read from the indexes made here.

The fill keeps every as-of answer what it was: "the register at the end of day D"
(selectors.register_at) is the version that held then, and the old rule counted every
report dated on or before D. So each version gets the latest report dated on or before
its own day (Malmö's time), and every report day that falls inside a version (a report
registered between two saves of its assignment, or back-dated) gets a version of its own
from the start of that day: a copy of the version that held then, named as written by
this migration. The rule is the one of `assignments.models.keep_report_days_in_history`
as it stood when this was written, copied here so that a later change to the app cannot
change what this migration does. Existing reports get no assessment ("Ingen bedömning"):
none is invented.

History indexes are made by SQL, as 0012's: simple-history's model has no place for them.
"""


from datetime import datetime, time, timedelta

import django.core.validators
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

HISTORY_TABLE = "assignments_historicalassignment"
TALLY_INDEX = "historicalassignment_register_tally"
STALE_AT_DAY_INDEX = "historicalassignment_stale_at_day"
TODAY_STALEST_INDEX = "assignment_stalest"
ACTOR = "assignments 0013 (migrering)"


def _start_of_day(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def fill_latest_report(apps, schema_editor):
    alias = schema_editor.connection.alias
    assignments = apps.get_model("assignments", "Assignment")._default_manager.using(alias)
    history = apps.get_model("assignments", "HistoricalAssignment")
    versions = history._default_manager.using(alias)
    reports = apps.get_model("assignments", "StatusReport")._default_manager.using(alias)
    by_assignment = {}
    for assignment_id, report_date in reports.order_by("report_date", "id").values_list(
        "assignment_id", "report_date"
    ):
        by_assignment.setdefault(assignment_id, []).append(report_date)
    for assignment_id, dates in by_assignment.items():
        assignments.filter(pk=assignment_id).update(last_report_on=dates[-1])
        records = list(versions.filter(id=assignment_id).order_by("history_date", "history_id"))
        if not records:
            continue
        added = False
        for day in sorted(set(dates)):
            start, end = _start_of_day(day), _start_of_day(day + timedelta(days=1))
            if records[0].history_date >= start or any(
                start <= record.history_date < end for record in records
            ):
                continue
            held = [record for record in records if record.history_date < start][-1]
            copy = history(**{
                field.attname: getattr(held, field.attname)
                for field in history._meta.concrete_fields
                if field.attname not in ("history_id", "valid_until", "history_user_id")
            })
            copy.history_date = start
            copy.history_type = "~"
            copy.history_user_name = ACTOR
            copy.history_change_reason = f"Lägesrapport daterad {day.isoformat()}"
            copy.save(using=alias)
            added = True
        if added:
            chain = versions.filter(id=assignment_id)
            later = chain.filter(
                Q(history_date__gt=OuterRef("history_date"))
                | Q(history_date=OuterRef("history_date"), history_id__gt=OuterRef("history_id")),
            ).order_by("history_date", "history_id").values("history_date")[:1]
            chain.update(valid_until=Subquery(later))
            records = list(chain.order_by("history_date", "history_id"))
        for record in records:
            day = timezone.localdate(record.history_date)
            kept = max((date for date in dates if date <= day), default=None)
            if kept is not None:
                versions.filter(history_id=record.history_id).update(last_report_on=kept)


def create_history_indexes(apps, schema_editor):
    # The ten stalest today, in the list's order: PostgreSQL needs NULLS FIRST in the
    # index to read it in that order; SQLite puts nulls first anyway and refuses the words.
    nulls_first = " NULLS FIRST" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(
        f"CREATE INDEX {TODAY_STALEST_INDEX} ON assignments_assignment"
        f" (last_report_on{nulls_first}, reference, id) WHERE NOT (status = 'avslutad')"
    )
    if schema_editor.connection.vendor == "postgresql":
        # 0012's tally index, now also holding what the stale count needs.
        schema_editor.execute(f"DROP INDEX {TALLY_INDEX}")
        schema_editor.execute(
            f"CREATE INDEX {TALLY_INDEX} ON {HISTORY_TABLE} (history_date)"
            " INCLUDE (valid_until, history_type, area_id, responsible_unit_id, status,"
            " planned_completion, decided_on, last_report_on, last_assessment)"
        )
        # The ten stalest at day D (reports.overview.stalest): the open versions begun
        # before D, read from this index alone, checked against D and sorted by their
        # latest report (11 480 of 220 000 entries at 2016-12-31: 2.6 s walking an index
        # in report order, which met versions of other days first, to 0.18 s under load).
        schema_editor.execute(
            f"CREATE INDEX {STALE_AT_DAY_INDEX} ON {HISTORY_TABLE} (history_date)"
            " INCLUDE (valid_until, history_type, status, decided_on, last_report_on,"
            " reference, id, history_id) WHERE NOT (status = 'avslutad')"
        )


def drop_history_indexes(apps, schema_editor):
    # On SQLite a later migration that rebuilds the table (0014 adds a stored column)
    # loses an index made by SQL, so it may no longer be there to drop.
    schema_editor.execute(f"DROP INDEX IF EXISTS {TODAY_STALEST_INDEX}")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX {STALE_AT_DAY_INDEX}")
        schema_editor.execute(f"DROP INDEX {TALLY_INDEX}")
        schema_editor.execute(
            f"CREATE INDEX {TALLY_INDEX} ON {HISTORY_TABLE} (history_date)"
            " INCLUDE (valid_until, history_type, area_id, responsible_unit_id, status,"
            " planned_completion)"
        )


class Migration(migrations.Migration):

    dependencies = [
        ('assignments', '0012_overview_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='assignment',
            name='assignment_overview_tally',
        ),
        migrations.AddField(
            model_name='assignment',
            name='last_assessment',
            field=models.CharField(blank=True, choices=[('on_track', 'On track'), ('at_risk', 'Risk of deviation'), ('deviates', 'Deviates')], editable=False, max_length=20, verbose_name='latest assessment'),
        ),
        migrations.AddField(
            model_name='assignment',
            name='last_report_on',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='latest status report'),
        ),
        migrations.AddField(
            model_name='historicalassignment',
            name='last_assessment',
            field=models.CharField(blank=True, choices=[('on_track', 'On track'), ('at_risk', 'Risk of deviation'), ('deviates', 'Deviates')], editable=False, max_length=20, verbose_name='latest assessment'),
        ),
        migrations.AddField(
            model_name='historicalassignment',
            name='last_report_on',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='latest status report'),
        ),
        migrations.AddField(
            model_name='historicalstatusreport',
            name='assessment',
            field=models.CharField(blank=True, choices=[('on_track', 'On track'), ('at_risk', 'Risk of deviation'), ('deviates', 'Deviates')], max_length=20, verbose_name='assessment'),
        ),
        migrations.AddField(
            model_name='historicalstatusreport',
            name='assessment_motivation',
            field=models.TextField(blank=True, help_text='Required for risk of deviation and deviates.', max_length=2000, validators=[django.core.validators.MaxLengthValidator(2000)], verbose_name='motivation of the assessment'),
        ),
        migrations.AddField(
            model_name='statusreport',
            name='assessment',
            field=models.CharField(blank=True, choices=[('on_track', 'On track'), ('at_risk', 'Risk of deviation'), ('deviates', 'Deviates')], max_length=20, verbose_name='assessment'),
        ),
        migrations.AddField(
            model_name='statusreport',
            name='assessment_motivation',
            field=models.TextField(blank=True, help_text='Required for risk of deviation and deviates.', max_length=2000, validators=[django.core.validators.MaxLengthValidator(2000)], verbose_name='motivation of the assessment'),
        ),
        migrations.AddIndex(
            model_name='assignment',
            index=models.Index(fields=['area', 'responsible_unit', 'status', 'planned_completion', 'decided_on', 'last_report_on', 'last_assessment'], name='assignment_overview_tally'),
        ),
        # Indexes before the fill: PostgreSQL refuses DDL after writes with pending
        # constraint triggers in the same transaction.
        migrations.RunPython(create_history_indexes, drop_history_indexes),
        migrations.RunPython(fill_latest_report, migrations.RunPython.noop),
    ]
