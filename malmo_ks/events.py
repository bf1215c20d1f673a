"""Structured log events for logins and status changes, fed by signals.

Wired in `malmo_ks.apps`; the JSON lines are formatted by `malmo_ks.logs`.
"""

import logging

from django.db import transaction

auth_log = logging.getLogger("malmo_ks.auth")
status_log = logging.getLogger("assignments.status")


def log_login(sender, request, user, **kwargs):
    auth_log.info("login", extra={"user_id": user.pk, "username": user.get_username()})


def log_logout(sender, request, user, **kwargs):
    auth_log.info("logout", extra={"user_id": getattr(user, "pk", None)})


def log_login_failed(sender, credentials, **kwargs):
    # Only the username: Django masks the password in `credentials`, and even a
    # masked field has no place in the log.
    auth_log.warning("login_failed", extra={"username": credentials.get("username", "")})


def log_status_change(sender, instance, history_instance, **kwargs):
    """Receiver of a new assignment history record: log it if the status changed.

    Logged once the transaction commits, so a refused or rolled-back change
    never appears in the log.
    """
    previous = _previous_status(instance, history_instance)
    if previous == history_instance.status:
        return
    fields = {
        "assignment_id": history_instance.id,
        "reference": history_instance.reference,
        "previous_status": previous,
        "status": history_instance.status,
        "user_id": history_instance.history_user_id,
        "actor": history_instance.history_user_name,
        "history_id": history_instance.history_id,
        "history_date": history_instance.history_date.isoformat(),
    }
    transaction.on_commit(
        lambda: status_log.info("status_changed", extra=fields), using=kwargs.get("using")
    )


def _previous_status(instance, history_instance):
    """The status before this save, from the values the instance was loaded with.

    Only an instance saved without being loaded (rare) costs a query.
    """
    if history_instance.history_type == "+":
        return None
    previous = instance.loaded_value("status")
    if previous is None:
        earlier = history_instance.prev_record
        previous = earlier.status if earlier else None
    return previous
