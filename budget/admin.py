"""Django admin for budget rows, with history pages; rows are corrected, never deleted."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from assignments.admin import LoadedVersionForm, RecordAdmin

from .models import BudgetRow


@admin.register(BudgetRow)
class BudgetRowAdmin(RecordAdmin):
    form = LoadedVersionForm
    list_display = ["year", "name", "account_class", "budget", "outcome"]
    list_filter = ["year", "account_class"]
    search_fields = ["name"]
    filter_horizontal = ["assignments"]

    def save_model(self, request, obj, form, change):
        # A new version, so that an edit page loaded before this save is refused.
        obj.save_tracked(user=request.user, reason=_("Changed in the admin"))
