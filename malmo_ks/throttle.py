"""Login throttling: too many failed logins for a username lock it for a while.

The lock is per username, so guessing one account's password from many
addresses is stopped too. It lifts when LOGIN_LOCKOUT_SECONDS pass without a
failed attempt; a lock refuses even the right password, since it may be the
guesser's.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from .models import LoginFailure

logger = logging.getLogger("malmo_ks.auth")


def _window_start():
    return timezone.now() - timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)


def is_locked_out(username):
    recent = LoginFailure.objects.filter(username=username, failed_at__gte=_window_start())
    return recent.count() >= settings.LOGIN_FAILURE_LIMIT


class ThrottledModelBackend(ModelBackend):
    """Django's username and password check, refused while the username is locked."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username and is_locked_out(username):
            logger.warning("login_locked_out", extra={"username": username})
            # Stops authenticate() at once and counts as one more failed login.
            raise PermissionDenied
        return super().authenticate(request, username=username, password=password, **kwargs)


def record_failure(sender, credentials, **kwargs):
    """Receiver of `user_login_failed`: remember the failure, forget expired ones."""
    LoginFailure.objects.filter(failed_at__lt=_window_start()).delete()
    LoginFailure.objects.create(username=str(credentials.get("username", ""))[:150])


def forget_failures(sender, user, **kwargs):
    """Receiver of `user_logged_in`: a successful login starts the count afresh."""
    LoginFailure.objects.filter(username=user.get_username()).delete()
