"""API tokens for named clients (a Power BI report, another system), and the throttle's counts."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# How stale `last_used_at` may be: a client that polls does not write on every request.
LAST_USED_PRECISION = timezone.timedelta(minutes=5)


def hash_key(key):
    """The key as stored: SHA-256 suffices for 43 random characters (nothing to guess)."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A read-only key for one client. Only its hash is kept: the key is shown once."""

    client = models.CharField(
        _("client"), max_length=200,
        help_text=_("Who uses the token, e.g. “Power BI: uppföljning KS”."),
    )
    prefix = models.CharField(_("beginning of the key"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        # Who gave a client access stays known: accounts are deactivated, not deleted.
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.client} ({self.prefix}…)"

    @classmethod
    def issue(cls, client, *, created_by):
        """A new token and its key; the key exists nowhere else after this call."""
        key = secrets.token_urlsafe(32)
        token = cls.objects.create(
            client=client, prefix=key[:8], key_hash=hash_key(key), created_by=created_by
        )
        return token, key

    @classmethod
    def find(cls, key):
        """The unrevoked token of `key`, or None."""
        return cls.objects.filter(key_hash=hash_key(key), revoked_at__isnull=True).first()

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    def revoke(self):
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    def mark_used(self):
        now = timezone.now()
        if self.last_used_at is None or now - self.last_used_at > LAST_USED_PRECISION:
            self.last_used_at = now
            ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)


class ThrottleCacheEntry(models.Model):
    """The table of Django's database cache `api` (settings.CACHES), made by migrate.

    Django's DatabaseCache reads and writes it by SQL with these column names;
    a migration rather than `createcachetable` keeps `migrate` the only step.
    """

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    # DatabaseCache culls expired entries by this column.
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "api_throttle_cache"
        managed = True
