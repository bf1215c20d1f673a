"""Operational records: failed logins, kept for throttling."""

from django.db import models
from django.utils import timezone


class LoginFailure(models.Model):
    """One failed login. Stored in the database, so every web replica sees every failure."""

    username = models.CharField(max_length=150)
    failed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # throttle.is_locked_out(): failures of one username since a moment.
            models.Index(fields=["username", "failed_at"], name="loginfailure_recent"),
        ]

    def __str__(self):
        return f"{self.username} {self.failed_at:%Y-%m-%d %H:%M:%S}"
