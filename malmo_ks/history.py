"""Attribution of every history record to a named person or a named command."""

import contextvars
import getpass
from contextlib import contextmanager

from django.db import models
from django.utils.translation import gettext_lazy as _

_actor_label: contextvars.ContextVar[str] = contextvars.ContextVar("history_actor", default="")


class UnattributedChange(RuntimeError):
    """A tracked write happened with neither a user nor a named command behind it."""


class ActorHistory(models.Model):
    """Base of every history table.

    The user foreign key is nulled when an account is deleted; the name kept here
    is what the timeline shows, so a public record never loses its author.
    """

    history_user_name = models.CharField(_("changed by"), max_length=150, blank=True)

    class Meta:
        abstract = True


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
    return user.get_full_name() or user.get_username()


def record_actor(sender, history_instance, **kwargs):
    """Fill in the actor's name; refuse a write that nobody answers for."""
    user = history_instance.history_user
    if user is not None:
        history_instance.history_user_name = display_name(user)
    elif label := _actor_label.get():
        history_instance.history_user_name = label
    else:
        raise UnattributedChange(
            f"{sender.__name__}: a tracked write needs a user or attributed_to(...)"
        )
