"""Operational records: login attempts, kept for throttling, and who signs in through the city."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models.functions import Now

# The first key of the login throttle's advisory locks (PostgreSQL), one per client address.
LOGIN_LOCK_CLASS = 7_100_001


class LoginFailure(models.Model):
    """A login attempt, written down before its password is checked; what stays are failures.

    Stored in the database, so every web replica sees every attempt, and timed by
    the database's clock, so that every replica counts on the same one. The rules
    are here; `malmo_ks.throttle` applies them to every login.
    """

    username = models.CharField(max_length=150)
    # The client's address (an IPv6 client's /64 network); null when not known.
    address = models.GenericIPAddressField(null=True)
    failed_at = models.DateTimeField(db_default=Now())

    class Meta:
        indexes = [
            # refusal(): the failures of one address, and of one username from it, since a moment.
            models.Index(fields=["address", "username", "failed_at"], name="loginfailure_client"),
            # forget_expired(): everything before a moment.
            models.Index(fields=["failed_at"], name="loginfailure_expiry"),
        ]

    def __str__(self):
        return f"{self.username} {self.address} {self.failed_at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def attempt(cls, username, address):
        """Write down an attempt, counted as a failure until its password proves right.

        Returns the attempt and its refusal(); a refused attempt is not kept.
        The attempts of one client address are written one at a time, each
        committed before the next is counted: of attempts made at once, the
        first a limit's worth go on to the password check and all the others
        wait. (Counted in parallel, every attempt could see all the others and
        all be refused, or see none and all go on.)
        """
        with transaction.atomic():
            cls._queue_client(address)
            attempt = cls.objects.create(username=username[:150], address=address)
            refusal = attempt.refusal()
            if refusal:
                attempt.delete()
        return attempt, refusal

    @staticmethod
    def _queue_client(address):
        """Wait for the attempts of this client address being written; held until commit.

        PostgreSQL: an advisory lock keyed by the address (the two-key form, whose
        keys never meet the migration lock's single key). SQLite writes one
        transaction at a time anyway, and attempt() writes before it counts.
        """
        if connection.vendor != "postgresql":
            return
        digest = hashlib.blake2b((address or "").encode(), digest_size=4).digest()
        key = int.from_bytes(digest, "big", signed=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOGIN_LOCK_CLASS, key])

    def refusal(self):
        """Why this attempt must wait, if it must: (until when, "username" or "client"), else None.

        Counts the committed attempts of others, those still being checked
        included, so no more than a limit's worth of them reach the password
        check (attempt() counts them one at a time).
        - Username and address: after LOGIN_FAILURE_LIMIT failures remembered,
          the next attempt waits 2 seconds after the last failure, and each
          further failure doubles the wait, up to LOGIN_DELAY_MAX_SECONDS.
        - Address, over all usernames: LOGIN_CLIENT_FAILURE_LIMIT failures within
          LOGIN_CLIENT_WINDOW_SECONDS, and the next attempt waits until the
          earliest of them has left the window.
        """
        now = self.failed_at
        others = LoginFailure.objects.filter(address=self.address).exclude(pk=self.pk)
        waits = []

        memory = timedelta(seconds=settings.LOGIN_FAILURE_MEMORY_SECONDS)
        mine = others.filter(username=self.username, failed_at__gt=now - memory).aggregate(
            count=models.Count("pk"), last=models.Max("failed_at")
        )
        beyond_limit = mine["count"] - settings.LOGIN_FAILURE_LIMIT
        if beyond_limit >= 0:
            seconds = min(2 ** (beyond_limit + 1), settings.LOGIN_DELAY_MAX_SECONDS)
            waits.append((mine["last"] + timedelta(seconds=seconds), "username"))

        window = timedelta(seconds=settings.LOGIN_CLIENT_WINDOW_SECONDS)
        limit = settings.LOGIN_CLIENT_FAILURE_LIMIT
        oldest_counted = (
            others.filter(failed_at__gt=now - window)
            .order_by("-failed_at")
            .values_list("failed_at", flat=True)[limit - 1 : limit]
        )
        waits.extend((failed_at + window, "client") for failed_at in oldest_counted)

        return max((wait for wait in waits if wait[0] > now), default=None)

    def forget_failures(self):
        """The password was right: this username's failures from this address no longer count."""
        LoginFailure.objects.filter(username=self.username, address=self.address).delete()

    @classmethod
    def forget_expired(cls):
        """Delete the attempts no limit counts any longer."""
        kept = max(settings.LOGIN_FAILURE_MEMORY_SECONDS, settings.LOGIN_CLIENT_WINDOW_SECONDS)
        cls.objects.filter(failed_at__lt=Now() - timedelta(seconds=kept)).delete()


class SignInIdentity(models.Model):
    """Who a person is at the city's identity provider: its issuer and subject (`sub`).

    An account signing in through OpenID Connect is found by these two, never by
    its e-mail address, which can change hands (malmo_ks.signin). The account is
    protected: accounts are deactivated, never deleted.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sign_in_identity"
    )
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)

    class Meta:
        constraints = [
            # The look-up at every sign-in, and one account per person.
            models.UniqueConstraint(fields=["issuer", "subject"], name="signinidentity_unique"),
        ]

    def __str__(self):
        return f"{self.subject} ({self.issuer})"
