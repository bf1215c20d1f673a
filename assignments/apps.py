from django.apps import AppConfig
from django.contrib.auth import get_user_model
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class AssignmentsConfig(AppConfig):
    name = "assignments"
    verbose_name = _("Assignments")

    def ready(self):
        from simple_history.signals import (
            post_create_historical_m2m_records,
            post_create_historical_record,
            pre_create_historical_record,
        )

        from .history import record_actor
        from .page_cache import account_changed, register_changed
        from .roles import ensure_roles

        pre_create_historical_record.connect(record_actor, dispatch_uid="record_actor")
        post_create_historical_record.connect(register_changed, dispatch_uid="register_changed")
        post_create_historical_m2m_records.connect(
            register_changed, dispatch_uid="register_changed_m2m"
        )
        post_save.connect(
            account_changed, sender=get_user_model(), dispatch_uid="page_cache_account_changed"
        )
        post_migrate.connect(ensure_roles, dispatch_uid="ensure_roles")
