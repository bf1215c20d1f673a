"""A treatment's body, committee and meeting date live on its meeting only (issue 14).

After 0015 every treatment points at its meeting; the treatment's own copies go.
Backwards, they come back filled from the meeting, treatments and history alike.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def treatments_from_meetings(apps, schema_editor):
    """Backwards: each treatment (and history record) takes its meeting's body and date."""
    Meeting = apps.get_model("assignments", "Meeting")
    for name in ("Treatment", "HistoricalTreatment"):
        model = apps.get_model("assignments", name)
        meeting = Meeting.objects.filter(pk=OuterRef("meeting_id"))
        model.objects.filter(meeting__isnull=False).update(
            body=Subquery(meeting.values("body")[:1]),
            body_unit_id=Subquery(meeting.values("committee_id")[:1]),
            meeting_date=Subquery(meeting.values("date")[:1]),
        )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):

    dependencies = [
        ("assignments", "0015_meetings"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="treatment", name="treatment_unique_paragraph"),
        migrations.RemoveConstraint(model_name="treatment", name="treatment_committee_named"),
        # "The last KS meeting" is read from the meetings now (meeting_unique_body_date).
        migrations.RemoveIndex(model_name="treatment", name="treatment_body_meeting"),
        # Nullable first, so that going back can add the column before filling it.
        migrations.AlterField(
            model_name="treatment",
            name="meeting_date",
            field=models.DateField(null=True, verbose_name="meeting date"),
        ),
        migrations.AlterField(
            model_name="historicaltreatment",
            name="meeting_date",
            field=models.DateField(null=True, verbose_name="meeting date"),
        ),
        migrations.RunPython(migrations.RunPython.noop, treatments_from_meetings),
        migrations.RemoveField(model_name="historicaltreatment", name="body"),
        migrations.RemoveField(model_name="historicaltreatment", name="body_unit"),
        migrations.RemoveField(model_name="historicaltreatment", name="meeting_date"),
        migrations.RemoveField(model_name="treatment", name="body"),
        migrations.RemoveField(model_name="treatment", name="body_unit"),
        migrations.RemoveField(model_name="treatment", name="meeting_date"),
        migrations.AlterField(
            model_name="treatment",
            name="meeting",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="treatments", to="assignments.meeting", verbose_name="meeting"),
        ),
        migrations.AlterModelOptions(
            name="treatment",
            options={"ordering": ["meeting__date", "paragraph", "id"], "verbose_name": "treatment", "verbose_name_plural": "treatments"},
        ),
        migrations.AddConstraint(
            model_name="treatment",
            constraint=models.UniqueConstraint(fields=("assignment", "meeting", "paragraph"), name="treatment_unique_paragraph", violation_error_message="This treatment (body, meeting date, §) is already registered."),
        ),
    ]
