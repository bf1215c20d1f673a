"""Meetings as records (issue 14): every treatment is moved onto its meeting.

One meeting per body (nämnd) and date found in the treatments and in their
history, so that the history keeps saying what it said: each historical
treatment points at the meeting of its own body and date. Each meeting made here
gets a history record of its own, attributed to the migration and dated with
the first record that named it. 0016 then drops the treatment's own body,
committee and date, which the meeting now holds.

The migration carries its own copy of what it needs, so a later change to the
app's code cannot change what it does to a register migrated from before it.
"""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models
from django.db.models import Min
from django.utils import timezone

import malmo_ks.dates

ACTOR = "migrering"
REASON = (
    "Sammanträdet registrerat ur behandlingarna när sammanträden blev egna poster "
    "(migrering 0015)"
)
REFERENCE_VALIDATOR = django.core.validators.RegexValidator(
    "^[A-ZÅÄÖ]{2,6}-[0-9]{4}-[0-9]{1,6}$",
    "Enter a diarienummer such as STK-2014-123 (förvaltning, year, serial number).",
)
BODIES = [("KS", "KS"), ("KSAU", "KSAU"), ("KF", "KF"), ("namnd", "committee (nämnd)")]


def _key(body, unit_id, day):
    # A committee names its unit; any other body never does (the old check constraint).
    return (body, unit_id if body == "namnd" else None, day)


def meetings_from_treatments(apps, schema_editor):
    Treatment = apps.get_model("assignments", "Treatment")
    HistoricalTreatment = apps.get_model("assignments", "HistoricalTreatment")
    Meeting = apps.get_model("assignments", "Meeting")
    HistoricalMeeting = apps.get_model("assignments", "HistoricalMeeting")
    first_named = {}
    for body, unit_id, day, first in (
        HistoricalTreatment.objects.values("body", "body_unit_id", "meeting_date")
        .annotate(first=Min("history_date"))
        .order_by()
        .values_list("body", "body_unit_id", "meeting_date", "first")
    ):
        key = _key(body, unit_id, day)
        first_named[key] = min(first, first_named.get(key, first))
    for body, unit_id, day in Treatment.objects.values_list(
        "body", "body_unit_id", "meeting_date"
    ).distinct():
        first_named.setdefault(_key(body, unit_id, day), timezone.now())
    for (body, unit_id, day), first in sorted(
        first_named.items(), key=lambda item: (item[0][2], item[0][0], item[0][1] or 0)
    ):
        if body == "namnd" and unit_id is None:
            continue  # a history row from before the rule; it keeps no meeting
        meeting = Meeting.objects.create(body=body, committee_id=unit_id, date=day)
        HistoricalMeeting.objects.create(
            id=meeting.id, body=body, committee_id=unit_id, date=day, protocol_reference="",
            history_date=first, history_type="+", history_user_name=ACTOR,
            history_change_reason=REASON,
        )
        same = {"body": body, "meeting_date": day}
        if body == "namnd":
            same["body_unit_id"] = unit_id
        Treatment.objects.filter(**same).update(meeting=meeting.id)
        HistoricalTreatment.objects.filter(**same).update(meeting=meeting.id)
    if schema_editor.connection.vendor == "postgresql":
        # The foreign keys just written are checked now, not at the commit, so that
        # the schema changes after this step find no pending trigger events.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):

    dependencies = [
        ("assignments", "0014_search_document"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Meeting",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("body", models.CharField(choices=BODIES, default="KS", max_length=10, verbose_name="body")),
                ("date", models.DateField(validators=[malmo_ks.dates.validate_plausible_date], verbose_name="meeting date")),
                ("protocol_reference", models.CharField(blank=True, max_length=30, validators=[REFERENCE_VALIDATOR], verbose_name="protocol diarienummer")),
                ("committee", models.ForeignKey(blank=True, help_text="Only when the body is a committee.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name="meetings", to="assignments.unit", verbose_name="committee")),
            ],
            options={
                "verbose_name": "meeting",
                "verbose_name_plural": "meetings",
                "ordering": ["date", "body", "id"],
                "constraints": [
                    models.UniqueConstraint(condition=models.Q(("body", "namnd"), _negated=True), fields=("body", "date"), name="meeting_unique_body_date", violation_error_message="This body already has a meeting on this date."),
                    models.UniqueConstraint(condition=models.Q(("body", "namnd")), fields=("committee", "date"), name="meeting_unique_committee_date", violation_error_message="This committee already has a meeting on this date."),
                    models.CheckConstraint(condition=models.Q(models.Q(("body", "namnd"), ("committee__isnull", False)), models.Q(models.Q(("body", "namnd"), _negated=True), ("committee__isnull", True)), _connector="OR"), name="meeting_committee_named", violation_error_message="Name the committee when the body is a committee, and only then."),
                    models.CheckConstraint(condition=models.Q(("body__in", ["KS", "KSAU", "KF", "namnd"])), name="meeting_body_valid"),
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalMeeting",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("history_user_name", models.CharField(blank=True, max_length=150, verbose_name="changed by")),
                ("valid_until", models.DateTimeField(blank=True, editable=False, null=True, verbose_name="valid until")),
                ("body", models.CharField(choices=BODIES, default="KS", max_length=10, verbose_name="body")),
                ("date", models.DateField(validators=[malmo_ks.dates.validate_plausible_date], verbose_name="meeting date")),
                ("protocol_reference", models.CharField(blank=True, max_length=30, validators=[REFERENCE_VALIDATOR], verbose_name="protocol diarienummer")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.TextField(null=True)),
                ("history_type", models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1)),
                ("committee", models.ForeignKey(blank=True, db_constraint=False, help_text="Only when the body is a committee.", null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="assignments.unit", verbose_name="committee")),
                ("history_user", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "verbose_name": "historical meeting",
                "verbose_name_plural": "historical meetings",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        # Nullable until every treatment has its meeting; 0016 makes it required.
        migrations.AddField(
            model_name="treatment",
            name="meeting",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="treatments", to="assignments.meeting", verbose_name="meeting"),
        ),
        migrations.AddField(
            model_name="historicaltreatment",
            name="meeting",
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="assignments.meeting", verbose_name="meeting"),
        ),
        # Backwards the meetings go with their tables; 0016 gives the treatments
        # their body, committee and date back first.
        migrations.RunPython(meetings_from_treatments, migrations.RunPython.noop),
    ]
