"""Django admin for budget rows, with history pages; rows are corrected, never deleted."""

from django.contrib import admin

from assignments.admin import RecordAdmin

from .models import BudgetRow


@admin.register(BudgetRow)
class BudgetRowAdmin(RecordAdmin):
    list_display = ["year", "name", "account_class", "budget", "outcome"]
    list_filter = ["year", "account_class"]
    search_fields = ["name"]
    filter_horizontal = ["assignments"]
