"""Django admin for the register: search, filters and history pages; no hard deletes."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .forms import RecordAdminForm
from .models import (
    ACTOR_KEPT,
    Assignment,
    CommissionArea,
    DeadlineChange,
    StatusReport,
    Treatment,
    Unit,
    has_acted,
)


class RecordAdmin(SimpleHistoryAdmin):
    """Registered records are public records: corrected by new versions, never deleted."""

    # Commands and imports have no user account: show the name every record keeps.
    history_list_display = ["history_user_name"]
    # A model's error on a field the form lacks is shown above it, not a 500.
    form = RecordAdminForm

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


@admin.register(Assignment)
class AssignmentAdmin(RecordAdmin):
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

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            obj.assignment.add_status_report(obj, user=request.user, reason=_("Added in the admin"))


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


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class RegisterUserAdmin(UserAdmin):
    """Accounts that have acted in the register are deactivated, never deleted."""

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        kept = [ACTOR_KEPT % {"user": user} for user in objs if has_acted(user)]
        if kept:
            # Said instead of "you may not delete assignments", which would mislead.
            return deleted, counts, set(), [*protected, *kept]
        return deleted, counts, perms_needed, protected
