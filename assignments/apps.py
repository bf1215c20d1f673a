from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AssignmentsConfig(AppConfig):
    name = "assignments"
    verbose_name = _("Assignments")

    def ready(self):
        from simple_history.signals import pre_create_historical_record

        from .history import record_actor
        from .roles import ensure_roles

        pre_create_historical_record.connect(record_actor, dispatch_uid="record_actor")
        post_migrate.connect(ensure_roles, dispatch_uid="ensure_roles")
