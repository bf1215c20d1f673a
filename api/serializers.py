"""What the API answers, field by field; personal fields are null in the open data subset."""

from rest_framework import serializers

from assignments.models import Assessment, Assignment
from malmo_ks.history import display_name, name_of

LICENCE = "CC0 1.0 (https://creativecommons.org/publicdomain/zero/1.0/)"


def _person(row, prefix):
    """A person's name from a values() row, as the register names people."""
    if row.get(f"{prefix}_id") is None:
        return None
    return name_of(
        row[f"{prefix}__first_name"], row[f"{prefix}__last_name"], row[f"{prefix}__username"]
    )


class AssignmentRowSerializer(serializers.Serializer):
    """One row of the list: read from a values() row (today's table or a past day's versions)."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=Assignment.Status.choices)
    status_label = serializers.SerializerMethodField()
    area = serializers.SerializerMethodField()
    responsible_unit = serializers.CharField(source="responsible_unit__name")
    case_officer = serializers.SerializerMethodField(
        help_text="The handläggare's name; null in open data (personal data)."
    )
    decided_on = serializers.DateField()
    planned_completion = serializers.DateField(allow_null=True)
    planned_completion_is_year = serializers.BooleanField()
    is_overdue = serializers.BooleanField()
    outcome = serializers.CharField(allow_blank=True)
    last_report_on = serializers.DateField(allow_null=True)
    last_assessment = serializers.ChoiceField(choices=Assessment.choices, allow_blank=True)

    def get_status_label(self, row) -> str:
        return str(Assignment.Status(row["status"]).label)

    def get_area(self, row) -> str:
        return f"{row['area__number']}. {row['area__name']}"

    def get_case_officer(self, row) -> str | None:
        if self.context.get("public"):
            return None
        return _person(row, "case_officer")


ROW_FIELDS = (
    "id", "reference", "title", "status", "area__number", "area__name",
    "responsible_unit__name", "case_officer_id", "decided_on", "planned_completion",
    "planned_completion_is_year", "is_overdue", "outcome", "last_report_on", "last_assessment",
)
PERSON_FIELDS = ("case_officer__first_name", "case_officer__last_name", "case_officer__username")


class TreatmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    body = serializers.CharField(source="meeting.get_body_display")
    meeting_date = serializers.DateField(source="meeting.date")
    meeting_id = serializers.IntegerField()
    paragraph = serializers.IntegerField()
    reference = serializers.CharField(allow_blank=True)
    kind = serializers.CharField()
    summary = serializers.CharField(allow_blank=True)
    label = serializers.CharField(source="__str__")


class StatusReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    report_date = serializers.DateField()
    text = serializers.CharField(allow_blank=True)
    assessment = serializers.ChoiceField(choices=Assessment.choices, allow_blank=True)
    assessment_motivation = serializers.CharField(allow_blank=True)
    treatment_id = serializers.IntegerField(allow_null=True)
    author = serializers.SerializerMethodField()

    def get_author(self, report) -> str | None:
        return display_name(report.author) if report.author_id else None


class DeadlineSerializer(serializers.Serializer):
    previous = serializers.CharField()
    new = serializers.CharField()
    reason = serializers.CharField()
    when = serializers.DateTimeField()
    who = serializers.SerializerMethodField(help_text="Null in open data (personal data).")

    def get_who(self, row) -> str | None:
        return None if self.context.get("public") else row.who


class FieldChangeSerializer(serializers.Serializer):
    label = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()


class TimelineEntrySerializer(serializers.Serializer):
    when = serializers.DateTimeField()
    who = serializers.CharField()
    kind = serializers.CharField()
    headline = serializers.CharField()
    reason = serializers.CharField(allow_blank=True)
    text = serializers.CharField(allow_blank=True)
    changes = FieldChangeSerializer(many=True)


class AssignmentDetailSerializer(serializers.Serializer):
    """One assignment with its treatments, status reports, deadline log and timeline."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    status = serializers.ChoiceField(choices=Assignment.Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    status_treatment = serializers.CharField(allow_null=True)
    area = serializers.CharField()
    responsible_unit = serializers.CharField()
    follow_up_owner = serializers.CharField(allow_null=True)
    case_officer = serializers.SerializerMethodField(help_text="Null in open data.")
    decided_on = serializers.DateField()
    decision_reference = serializers.CharField()
    decision_paragraph = serializers.IntegerField(allow_null=True)
    planned_completion = serializers.DateField(allow_null=True)
    planned_completion_is_year = serializers.BooleanField()
    is_overdue = serializers.BooleanField()
    outcome = serializers.CharField(allow_blank=True)
    last_report_on = serializers.DateField(allow_null=True)
    last_assessment = serializers.ChoiceField(choices=Assessment.choices, allow_blank=True)
    treatments = TreatmentSerializer(many=True)
    status_reports = serializers.SerializerMethodField(help_text="Null in open data.")
    deadline_log = DeadlineSerializer(many=True)
    timeline = serializers.SerializerMethodField(help_text="Null in open data.")

    def get_case_officer(self, assignment) -> str | None:
        if self.context.get("public") or assignment.case_officer_id is None:
            return None
        return display_name(assignment.case_officer)

    def get_status_reports(self, assignment) -> StatusReportSerializer(many=True, allow_null=True):
        if self.context.get("public") or assignment.status_reports is None:
            return None
        return StatusReportSerializer(assignment.status_reports, many=True).data

    def get_timeline(self, assignment) -> TimelineEntrySerializer(many=True, allow_null=True):
        if self.context.get("public") or assignment.timeline is None:
            return None
        return TimelineEntrySerializer(assignment.timeline, many=True).data


class MeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    body = serializers.CharField()
    committee = serializers.CharField(source="committee.name", allow_null=True, default=None)
    date = serializers.DateField()
    protocol_reference = serializers.CharField(allow_blank=True)
    label = serializers.CharField(source="__str__")


class BudgetRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    name = serializers.CharField()
    account_class = serializers.IntegerField()
    budget = serializers.DecimalField(max_digits=15, decimal_places=2)
    outcome = serializers.DecimalField(max_digits=15, decimal_places=2, allow_null=True)
    assignments = serializers.SerializerMethodField(help_text="Ids of the assignments it funds.")

    def get_assignments(self, row) -> list[int]:
        return sorted(assignment.pk for assignment in row.assignments.all())


class StatusCountSerializer(serializers.Serializer):
    status = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class CountsSerializer(serializers.Serializer):
    day = serializers.DateField()
    total = serializers.IntegerField()
    statuses = StatusCountSerializer(many=True)
    license = serializers.CharField()


class ChangeSerializer(serializers.Serializer):
    assignment_id = serializers.IntegerField(source="assignment.id")
    reference = serializers.CharField(source="assignment.reference")
    when = serializers.DateTimeField()
    who = serializers.CharField()
    reason = serializers.CharField(allow_blank=True)
    old = serializers.CharField(allow_blank=True)
    new = serializers.CharField(allow_blank=True)
    treatment = serializers.CharField(allow_blank=True)
    text = serializers.CharField(allow_blank=True)
    changes = FieldChangeSerializer(many=True)


class ChangesSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField(allow_null=True)
    status_changes = ChangeSerializer(many=True)
    new_reports = ChangeSerializer(many=True)
    deadline_moves = ChangeSerializer(many=True)
    new_treatments = ChangeSerializer(many=True)
    new_assignments = ChangeSerializer(many=True)
    other_changes = ChangeSerializer(many=True)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    parameter = serializers.CharField(required=False)
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)
