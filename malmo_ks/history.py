"""Attribution of every history record to a named person or a named command."""

import contextvars
import getpass
from contextlib import contextmanager

from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

_actor_label: contextvars.ContextVar[str] = contextvars.ContextVar("history_actor", default="")


class UnattributedChange(RuntimeError):
    """A tracked write happened with neither a user nor a named command behind it."""


class ActorHistory(models.Model):
    """Base of every history table.

    The user foreign key is nulled when an account is deleted; the name kept here
    is what the timeline shows, so a public record never loses its author.

    Each record is one version of its object, valid from its `history_date` until
    the next version's (`valid_until`; null while it is the current one). "The
    object as it stood at instant T" is then one indexed range condition
    (`valid_at`) instead of finding the latest record before T per object.
    """

    history_user_name = models.CharField(_("changed by"), max_length=150, blank=True)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True


def valid_at(instant):
    """The versions that held at `instant`, removals included (filter on history_type)."""
    return Q(history_date__lt=instant) & (
        Q(valid_until__isnull=True) | Q(valid_until__gte=instant)
    )


def refresh_validity(records):
    """Set `valid_until` of the history `records`: the date of the next record of the
    same object, ordered as simple-history orders them (history_date, then history_id).

    One UPDATE with a correlated subquery, which PostgreSQL and SQLite both run. It
    recomputes the whole chain of the objects named, so a back-dated record (one
    dated before the object's latest) lands in its place as well as a new one.
    """
    later = records.model._default_manager.filter(
        Q(history_date__gt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__gt=OuterRef("history_id")),
        id=OuterRef("id"),
    ).order_by("history_date", "history_id").values("history_date")[:1]
    records.update(valid_until=Subquery(later))


def keep_validity(sender, history_instance, using=None, **kwargs):
    """A new record ends its object's previous version, in the write's own transaction.

    Only the records the new one can change are updated: itself, the current
    version, and those valid beyond its date (a back-dated record cuts one short).
    """
    refresh_validity(
        sender._default_manager.using(using).filter(
            Q(pk=history_instance.pk)
            | Q(valid_until__isnull=True)
            | Q(valid_until__gt=history_instance.history_date),
            id=history_instance.id,
        )
    )


@contextmanager
def attributed_to(label: str):
    """Attribute writes made without a request user (commands, imports) to `label`."""
    token = _actor_label.set(label)
    try:
        yield
    finally:
        _actor_label.reset(token)


def command_label(command: str) -> str:
    return f"{command} (kommando, {getpass.getuser()})"


def display_name(user) -> str:
    return name_of(user.first_name, user.last_name, user.get_username())


def name_of(first_name, last_name, username) -> str:
    """How the register names a person: the full name, else the user name (as
    `User.get_full_name()` would give it), from plain values read without a model instance."""
    return f"{first_name} {last_name}".strip() or username


def actor_name(user, what="history record"):
    """The name a history record keeps of who wrote it: the user, else the command's label.

    A write that nobody answers for is refused.
    """
    if user is not None:
        return display_name(user)
    if label := _actor_label.get():
        return label
    raise UnattributedChange(f"{what}: a tracked write needs a user or attributed_to(...)")


def record_actor(sender, history_instance, **kwargs):
    """Fill in the actor's name; refuse a write that nobody answers for."""
    history_instance.history_user_name = actor_name(history_instance.history_user, sender.__name__)
