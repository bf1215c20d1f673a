"""The read side: overview, changes since a day, the compilation and their charts."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from simple_history.signals import post_create_historical_record

        from assignments.models import Assignment

        from .daily_counts import forget_back_dated

        post_create_historical_record.connect(
            forget_back_dated, sender=Assignment.history.model, dispatch_uid="forget_back_dated"
        )
