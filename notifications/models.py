"""Who follows what, how each person wants to hear of it, and every message due to them.

Not register records: a subscription or a preference is a person's own setting,
so these models keep no history. A `Message` is written down before it is sent,
under a unique key, which is what makes delivery exactly once (README, "Notifications").
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from assignments.models import Assignment


def new_calendar_token():
    return secrets.token_urlsafe(32)


class Subscription(models.Model):
    """A person follows an assignment (bevakar). A case officer follows theirs without one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="subscriptions"
    )
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["user", "assignment"], name="subscription_once"),
        ]

    def __str__(self):
        return f"{self.user} → {self.assignment_id}"

    @classmethod
    def follow(cls, user, assignment):
        """`user` follows `assignment` from now on; True when a row was made.

        Asking twice, even in two requests at the same moment, leaves one row:
        the unique constraint refuses the second insert and get_or_create then
        reads the first one's row. A case officer follows their own assignment
        without a row (notifications.selectors), so none is made for them.
        """
        if assignment.case_officer_id == user.pk:
            return False
        _subscription, created = cls.objects.get_or_create(user=user, assignment=assignment)
        return created

    @classmethod
    def unfollow(cls, user, assignment):
        """`user` no longer subscribes to `assignment`; True when there was a row to remove.

        A subscription is the person's own setting, not a register record, so it is
        deleted, not versioned. A case officer still follows the assignment they handle.
        """
        deleted, _by_model = cls.objects.filter(user=user, assignment=assignment).delete()
        return deleted > 0


class Preferences(models.Model):
    """How one person wants to be told; a person without a row has the defaults."""

    class ChangeDelivery(models.TextChoices):
        EACH = "each", _("one message per change")
        DAILY = "daily", _("one summary a day")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preferences",
    )
    change_delivery = models.CharField(
        _("changes to what I follow"),
        max_length=10,
        choices=ChangeDelivery.choices,
        default=ChangeDelivery.EACH,
    )
    # Subscribers get the digest before each KS meeting; anyone else (a politician
    # following the whole register) asks for it here.
    wants_digest = models.BooleanField(_("the digest before each KS meeting"), default=False)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="sv"
    )
    # The calendar feed's address carries this; renewing it makes the old address a 404.
    calendar_token = models.CharField(max_length=64, unique=True, default=new_calendar_token)

    class Meta:
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return str(self.user)

    @classmethod
    def of(cls, user):
        """`user`'s preferences: their row, or the defaults (unsaved) before their first save."""
        try:
            return cls.objects.get(user=user)
        except cls.DoesNotExist:
            return cls(user=user)

    @classmethod
    def renew_calendar_token(cls, user):
        """A new secret for `user`'s calendar address, from now on the only one that answers.

        Makes the row (with the default choices) for someone who had none yet; at
        once, two renewals leave one row (update_or_create locks it or retries).
        """
        preferences, _created = cls.objects.update_or_create(
            user=user, defaults={"calendar_token": new_calendar_token()}
        )
        return preferences


class Message(models.Model):
    """One e-mail due to one person, recorded before it is sent.

    `key` names what it is about and for which period (an assignment and a
    reminder day, a history record, a meeting), so that the unique constraint
    on (recipient, kind, key) lets any number of schedulers, reruns and crashes
    record it only once.
    """

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("planned completion in 14 days")
        DUE_TOMORROW = "due_tomorrow", _("planned completion tomorrow")
        OVERDUE = "overdue", _("planned completion passed")
        STALE = "stale", _("no status report")
        CHANGE = "change", _("a change")
        DAILY = "daily", _("daily summary")
        DIGEST = "digest", _("digest before a meeting")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_messages"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=200)
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField()
    body_html = models.TextField()
    created_at = models.DateTimeField(db_default=Now())
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(db_default=Now())
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "key"], name="message_once"),
        ]
        indexes = [
            # The sender's queue: unsent messages whose next attempt is due.
            models.Index(
                fields=["next_attempt_at"],
                name="message_unsent",
                condition=models.Q(sent_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.key} → {self.recipient}"
