"""The project package as an app: what every domain app shares.

History attribution, the roles, structured event logs, login throttling and the
locked migrate command. Nothing here imports a domain app: they import from here.
"""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


class RegisterAdminConfig(admin_apps.AdminConfig):
    """Django's admin, on a site whose login page follows LOCAL_LOGIN (malmo_ks.admin_site)."""

    # Listed by its path in INSTALLED_APPS; "malmo_ks" itself stays OperationsConfig.
    default = False
    default_site = "malmo_ks.admin_site.RegisterAdminSite"


class OperationsConfig(AppConfig):
    name = "malmo_ks"
    verbose_name = "Operations"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
        from django.core import checks
        from django.db.backends.signals import connection_created
        from simple_history.signals import (
            post_create_historical_record,
            pre_create_historical_record,
        )

        from . import events, signin
        from .history import keep_validity, record_actor, register_on_sqlite
        from .roles import ensure_roles

        pre_create_historical_record.connect(record_actor, dispatch_uid="record_actor")
        post_create_historical_record.connect(keep_validity, dispatch_uid="keep_validity")
        connection_created.connect(register_on_sqlite, dispatch_uid="validity_fork_on_sqlite")
        checks.register(signin.check_role_groups, checks.Tags.security)
        post_migrate.connect(ensure_roles, dispatch_uid="ensure_roles")
        user_logged_in.connect(events.log_login, dispatch_uid="log_login")
        user_logged_out.connect(events.log_logout, dispatch_uid="log_logout")
        user_login_failed.connect(events.log_login_failed, dispatch_uid="log_login_failed")
