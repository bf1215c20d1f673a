"""The project package as an app: operations that belong to no domain app."""

from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Structured event logs, login throttling and the locked migrate command."""

    name = "malmo_ks"
    verbose_name = "Operations"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
        from simple_history.signals import post_create_historical_record

        from assignments.models import Assignment

        from . import events

        user_logged_in.connect(events.log_login, dispatch_uid="log_login")
        user_logged_out.connect(events.log_logout, dispatch_uid="log_logout")
        user_login_failed.connect(events.log_login_failed, dispatch_uid="log_login_failed")
        post_create_historical_record.connect(
            events.log_status_change,
            sender=Assignment.history.model,
            dispatch_uid="log_status_change",
        )
