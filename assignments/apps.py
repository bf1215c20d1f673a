from django.apps import AppConfig
from django.contrib.auth import get_user_model
from django.db.backends.signals import connection_created
from django.db.models.signals import pre_delete
from django.utils.translation import gettext_lazy as _


class AssignmentsConfig(AppConfig):
    name = "assignments"
    verbose_name = _("Assignments")

    def ready(self):
        from simple_history.signals import (
            post_create_historical_record,
        )

        from malmo_ks import events

        from .daily_counts import forget_back_dated
        from .models import Assignment, refuse_deleting_an_actor
        from .swedish_search import register_on_sqlite

        pre_delete.connect(
            refuse_deleting_an_actor, sender=get_user_model(), dispatch_uid="keep_actors"
        )
        post_create_historical_record.connect(
            events.log_status_change,
            sender=Assignment.history.model,
            dispatch_uid="log_status_change",
        )
        # The daily counts from a back-dated record's day on are forgotten in its transaction.
        post_create_historical_record.connect(
            forget_back_dated, sender=Assignment.history.model, dispatch_uid="forget_back_dated"
        )
        connection_created.connect(register_on_sqlite, dispatch_uid="swedish_search_on_sqlite")
