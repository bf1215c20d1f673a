"""The sender: claims recorded messages that are due, sends them, marks each sent.

Two senders at once never send the same message: a message is claimed before it
is sent by an UPDATE that counts the attempt and moves `next_attempt_at` past
now, on the condition that it is unsent and due. On PostgreSQL the candidates
are read with `SELECT ... FOR UPDATE SKIP LOCKED` in the claim's short
transaction, so two senders take different rows instead of waiting for each
other, and one UPDATE claims a batch; SQLite runs one write at a time, and the
row count of each row's UPDATE says which sender has it.

The claim's `next_attempt_at` is also the retry: a send that fails (server down,
address refused) keeps it and records the error; a sender that dies before it
marks a claimed message sent leaves it to be sent again once that time has
passed. That is the one window in which a message can go out twice: after the
SMTP server accepted it and before `sent_at` is written, a single UPDATE later.
SMTP has no way to ask whether a message was already taken, so no design can
close it; it is kept to that one statement.

After NOTIFY_MAX_ATTEMPTS failed tries a message is left unsent and shown to the
administrators (notifications.admin).
"""

import logging
import smtplib
from collections import defaultdict
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from .models import Message

logger = logging.getLogger(__name__)

BATCH_SIZE = 50
FIRST_RETRY = timedelta(minutes=5)
LONGEST_RETRY = timedelta(hours=6)
# What a failed send raises: the socket's errors and the SMTP protocol's.
SEND_ERRORS = (OSError, smtplib.SMTPException)


def retry_delay(attempt):
    """How long after its `attempt`th try a message is tried again: 5 min, 10, 20, ... 6 h."""
    return min(FIRST_RETRY * 2 ** (attempt - 1), LONGEST_RETRY)


def unsent():
    return Message.objects.filter(sent_at__isnull=True)


def failed():
    """Messages given up on: every try failed. The administrators see them."""
    return unsent().filter(attempts__gte=settings.NOTIFY_MAX_ATTEMPTS)


def sendable(now):
    return unsent().filter(next_attempt_at__lte=now, attempts__lt=settings.NOTIFY_MAX_ATTEMPTS)


@dataclass
class Sent:
    sent: int = 0
    failed: int = 0


def send_due(now=None):
    """Send every recorded message that is due, batch by batch; return what happened.

    A message that fails is not tried again in the same run: its next attempt lies ahead.
    """
    result = Sent()
    while batch := claim(now or timezone.now()):
        outcome = deliver(batch)
        result.sent += outcome.sent
        result.failed += outcome.failed
    return result


def claim(now, size=BATCH_SIZE):
    """Take up to `size` due messages for this sender, counting the attempt on each."""
    due = sendable(now)
    # SQLite has no row locks to hold: a transaction around the read and the
    # updates would only make two senders' upgrades to a write lock collide.
    locking = connection.features.has_select_for_update
    with transaction.atomic() if locking else nullcontext():
        candidates = list(
            due.select_for_update(skip_locked=True)
            .order_by("next_attempt_at", "id")
            .values_list("pk", "attempts")[:size]
        )
        by_attempts = defaultdict(list)
        for pk, attempts in candidates:
            by_attempts[attempts].append(pk)
        claimed = []
        for attempts, pks in by_attempts.items():
            taken = {
                "attempts": F("attempts") + 1,
                "next_attempt_at": now + retry_delay(attempts + 1),
            }
            if locking:
                # The rows are locked by this transaction: the UPDATE takes them all.
                due.filter(pk__in=pks).update(**taken)
                claimed += pks
            else:
                # One write at a time: the row count says whether this sender came first.
                claimed += [pk for pk in pks if due.filter(pk=pk).update(**taken)]
    return list(
        Message.objects.filter(pk__in=claimed).select_related("recipient").order_by("id")
    )


def deliver(messages):
    """Send `messages` over one connection; mark each sent at once, or record its error."""
    outcome = Sent()
    mail = get_connection()
    try:
        mail.open()
    except SEND_ERRORS as error:
        for message in messages:
            _failed(message, error)
        outcome.failed = len(messages)
        return outcome
    try:
        for message in messages:
            recipient = message.recipient
            if not recipient.is_active or not recipient.email:
                # Deactivated (or the address removed) since it was recorded.
                _given_up(message, "The account is deactivated or has no e-mail address.")
                outcome.failed += 1
                continue
            try:
                _email(message, mail).send()
            except SEND_ERRORS as error:
                _failed(message, error)
                outcome.failed += 1
                continue
            Message.objects.filter(pk=message.pk).update(sent_at=timezone.now(), last_error="")
            outcome.sent += 1
    finally:
        try:
            mail.close()
        except SEND_ERRORS:
            pass
    return outcome


def _email(message, mail):
    email = EmailMultiAlternatives(
        message.subject, message.body_text, to=[message.recipient.email], connection=mail,
        # An automatic message: vacation responders do not answer it (RFC 3834).
        headers={"Auto-Submitted": "auto-generated"},
    )
    email.attach_alternative(message.body_html, "text/html")
    return email


def _failed(message, error):
    logger.warning("notification %s not sent: %s", message.pk, error)
    Message.objects.filter(pk=message.pk).update(last_error=f"{type(error).__name__}: {error}")


def _given_up(message, reason):
    Message.objects.filter(pk=message.pk).update(
        last_error=reason, attempts=settings.NOTIFY_MAX_ATTEMPTS
    )
