"""Django admin for the register: search, filters and history pages; no hard deletes."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import HistoricalRecords

from .concurrency import EditConflict, ensure_unchanged
from .forms import RecordAdminForm
from .history_display import (
    ASSIGNMENT_FIELDS,
    DEADLINE_FIELDS,
    EMPTY,
    MEETING_FIELDS,
    REPORT_FIELDS,
    TREATMENT_FIELDS,
    YEAR_FLAGS,
    FieldChange,
    Names,
    field_changes,
    who,
)
from .models import (
    ACTOR_KEPT,
    Assignment,
    CommissionArea,
    DeadlineChange,
    Meeting,
    StatusReport,
    Treatment,
    Unit,
    has_acted,
)

# The fields the register's own timeline tells about, in the order of its pages.
TIMELINE_FIELDS = {
    Assignment: ASSIGNMENT_FIELDS,
    Treatment: TREATMENT_FIELDS,
    StatusReport: REPORT_FIELDS,
    DeadlineChange: DEADLINE_FIELDS,
    Meeting: MEETING_FIELDS,
}

HISTORY_EVENTS = {"+": _("Registered"), "~": _("Changed"), "-": _("Removed")}


class RecordAdmin(SimpleHistoryAdmin):
    """Registered records are public records: corrected by new versions, never deleted.

    The history page is part of the public record, so it tells each version as the
    register's timeline does (field labels, display values, the actor's name kept in
    the record), in the reader's language, with a query count that does not grow
    with the history.
    """

    object_history_template = "admin/record_history.html"
    # A model's error on a field the form lacks is shown above it, not a 500.
    form = RecordAdminForm

    def has_delete_permission(self, request, obj=None):
        return False

    def history_view_title(self, request, obj):
        return gettext("History of %(record)s") % {"record": obj}

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        records = super().get_history_queryset(request, history_manager, pk_name, object_id)
        # Links to related rows (a budget row's assignments), one query for the page.
        return records.prefetch_related(*(
            Prefetch(accessor, to_attr=f"_{field.name}_links")
            for field, accessor in self._history_links()
        ))

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Each version's event, actor and field changes against the version before it.

        The versions come newest first; the oldest one on a page is compared with
        the newest one of the next page, fetched with one more query.
        """
        records = list(historical_records)
        if not records:
            return
        older = None
        if historical_records.has_next():
            older = historical_records.paginator.object_list[historical_records.end_index()]
        fields = self.history_fields()
        versions = [*records, *([older] if older else [])]
        names = Names().collect(versions, fields)
        for field, _accessor in self._history_links():
            links = [link for version in versions for link in self._links(version, field)]
            names.collect(links, [field.m2m_reverse_field_name()])
        names.fetch()
        for new, old in zip(records, [*records[1:], older]):
            new.register_event = HISTORY_EVENTS[new.history_type]
            new.register_who = who(new)
            new.register_changes = self._changes(new, old, fields, names)

    def history_fields(self):
        """The fields a reader is told about: the timeline's, else every field one can edit."""
        if self.model in TIMELINE_FIELDS:
            return TIMELINE_FIELDS[self.model]
        return [
            field.name
            for field in self.model._meta.fields
            if field.editable
            and not field.primary_key
            and field.name not in YEAR_FLAGS.values()
            and field.name != "version"
        ]

    def _changes(self, new, old, fields, names):
        if new.history_type != "~" or old is None:
            return []
        changes = field_changes(new, old, fields, names)
        for field, _accessor in self._history_links():
            before, after = (self._link_labels(record, field, names) for record in (old, new))
            if before != after:
                changes.append(FieldChange(capfirst(field.verbose_name), before, after))
        return changes

    def _history_links(self):
        """The tracked many-to-many fields, with the accessor of their historical links."""
        return [
            (field, HistoricalRecords.m2m_models[field]._meta.get_field("history")
             .remote_field.get_accessor_name())
            for field in self.model.history.model._history_m2m_fields
        ]

    @staticmethod
    def _links(record, field):
        return getattr(record, f"_{field.name}_links")

    def _link_labels(self, record, field, names):
        target = field.m2m_reverse_field_name()  # the link's key to the linked row
        labels = sorted(
            names.label(field.related_model, getattr(link, f"{target}_id"))
            for link in self._links(record, field)
        )
        return ", ".join(labels) or EMPTY


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
    fields = ["meeting", "paragraph", "reference", "kind", "summary"]
    autocomplete_fields = ["meeting"]
    can_delete = False
    show_change_link = True


class LoadedVersionForm(RecordAdminForm):
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

    def _post_clean(self):
        super()._post_clean()
        # The form validates only the fields it edits, but the save validates every
        # field: a stored value the rules no longer accept (a read-only date from
        # before them) is told above the form instead of failing the save. So is
        # what only a verb may change (reopening, moving the deadline).
        try:
            self.instance.clean_fields(exclude=list(self.fields))
            self.instance.check_edit()
        except ValidationError as error:
            self._update_errors(error)

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
    list_filter = ["meeting__body", "kind", "meeting__date"]
    search_fields = ["assignment__reference", "assignment__title", "reference", "summary"]
    list_select_related = ["assignment", "meeting__committee"]
    autocomplete_fields = ["assignment", "meeting"]
    date_hierarchy = "meeting__date"


@admin.register(Meeting)
class MeetingAdmin(RecordAdmin):
    """The sammanträdesplan by hand; a plan file goes through /sammantraden/importera/."""

    list_display = ["__str__", "body", "committee", "date", "protocol_reference"]
    list_filter = ["body", "date"]
    search_fields = ["committee__name", "protocol_reference", "date"]
    list_select_related = ["committee"]
    autocomplete_fields = ["committee"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        reason = _("Changed in the admin") if change else _("Added in the admin")
        obj.save_tracked(user=request.user, reason=reason)


@admin.register(StatusReport)
class StatusReportAdmin(RecordAdmin):
    list_display = ["assignment", "report_date", "assessment", "author", "treatment"]
    list_filter = ["report_date"]
    search_fields = ["assignment__reference", "assignment__title", "text"]
    list_select_related = ["assignment", "author", "treatment__meeting__committee"]
    autocomplete_fields = ["assignment", "author"]
    raw_id_fields = ["treatment"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_frozen:
            return [
                "assignment", "report_date", "text", "assessment", "assessment_motivation",
                "author", "treatment",
            ]
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
