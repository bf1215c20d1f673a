"""Django admin for the register: search, filters and history pages; no hard deletes."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .concurrency import EditConflict, ensure_unchanged
from .models import Assignment, CommissionArea, DeadlineChange, StatusReport, Treatment, Unit


class RecordAdmin(SimpleHistoryAdmin):
    """Registered records are public records: corrected by new versions, never deleted."""

    # Commands and imports have no user account: show the name every record keeps.
    history_list_display = ["history_user_name"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Unit)
class UnitAdmin(RecordAdmin):
    list_display = ["name", "kind", "valid_from", "valid_to", "replaced_by"]
    list_filter = ["kind", "valid_to"]
    search_fields = ["name"]
    list_select_related = ["replaced_by"]
    autocomplete_fields = ["replaced_by"]


@admin.register(CommissionArea)
class CommissionAreaAdmin(RecordAdmin):
    list_display = ["number", "name"]
    search_fields = ["name"]


class TreatmentInline(admin.TabularInline):
    model = Treatment
    extra = 0
    fields = ["body", "body_unit", "meeting_date", "paragraph", "reference", "kind", "summary"]
    can_delete = False
    show_change_link = True


class LoadedVersionForm(forms.ModelForm):
    """An admin change form that carries the version it was loaded with.

    The admin saves inside one transaction (ModelAdmin.changeform_view); the
    check locks the row there, so a save from a page loaded before someone
    else's is refused on the form instead of overwriting what they saved.
    """

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].required = True
            self.fields["loaded_version"].initial = self.instance.version

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk and "loaded_version" in cleaned_data:
            try:
                ensure_unchanged(self.instance, cleaned_data["loaded_version"], told=())
            except EditConflict:
                raise ValidationError(
                    _(
                        "Someone else saved this record after you opened the page. Nothing "
                        "has been saved: open the page again to see their changes, then make "
                        "yours."
                    ),
                    code="stale",
                ) from None
        return cleaned_data


@admin.register(Assignment)
class AssignmentAdmin(RecordAdmin):
    form = LoadedVersionForm
    list_display = [
        "reference",
        "title",
        "status",
        "area",
        "responsible_unit",
        "case_officer",
        "planned_completion",
    ]
    list_filter = ["status", "area", "responsible_unit", "outcome", "decided_on"]
    search_fields = ["reference", "title", "description"]
    list_select_related = ["area", "responsible_unit", "case_officer"]
    autocomplete_fields = ["responsible_unit", "case_officer", "follow_up_owner"]
    date_hierarchy = "decided_on"
    # Status, outcome and deadline change only through the domain verbs, which
    # demand the treatment or the reason the rules need.
    readonly_fields = [
        "status",
        "status_treatment",
        "outcome",
        "follow_up_owner",
        "planned_completion",
        "planned_completion_is_year",
        "version",
    ]
    inlines = [TreatmentInline]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["status", "status_treatment", "outcome", "follow_up_owner", "version"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        obj.save_tracked(user=request.user, reason=_("Changed in the admin"))


@admin.register(Treatment)
class TreatmentAdmin(RecordAdmin):
    list_display = ["__str__", "assignment", "kind", "reference"]
    list_filter = ["body", "kind", "meeting_date"]
    search_fields = ["assignment__reference", "assignment__title", "reference", "summary"]
    list_select_related = ["assignment", "body_unit"]
    autocomplete_fields = ["assignment", "body_unit"]
    date_hierarchy = "meeting_date"


@admin.register(StatusReport)
class StatusReportAdmin(RecordAdmin):
    list_display = ["assignment", "report_date", "author", "treatment"]
    list_filter = ["report_date"]
    search_fields = ["assignment__reference", "assignment__title", "text"]
    list_select_related = ["assignment", "author", "treatment__body_unit"]
    autocomplete_fields = ["assignment", "author"]
    raw_id_fields = ["treatment"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_frozen:
            return ["assignment", "report_date", "text", "author", "treatment"]
        return []


@admin.register(DeadlineChange)
class DeadlineChangeAdmin(RecordAdmin):
    list_display = ["assignment", "previous_date", "new_date", "changed_by", "changed_at"]
    list_filter = ["changed_at"]
    search_fields = ["assignment__reference", "assignment__title", "reason"]
    list_select_related = ["assignment", "changed_by"]

    def has_add_permission(self, request):
        # A move is made through the assignment, which updates its date in step.
        return False

    def has_change_permission(self, request, obj=None):
        return False
