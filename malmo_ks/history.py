"""Attribution of every history record to a named person or a named command."""

import contextvars
import getpass
from contextlib import contextmanager
from datetime import UTC, date
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.backends.utils import typecast_timestamp
from django.db.models import Func, OuterRef, Q, Subquery, Value
from django.utils.translation import gettext_lazy as _
from simple_history.manager import HistoricalQuerySet
from simple_history.manager import HistoryManager as SimpleHistoryManager

_actor_label: contextvars.ContextVar[str] = contextvars.ContextVar("history_actor", default="")


class HistoryManager(SimpleHistoryManager.from_queryset(HistoricalQuerySet)):
    """django-simple-history's manager of `Model.history`, built once.

    Its descriptor builds the manager class anew on every read of `Model.history`
    (`from_queryset`, which walks QuerySet's members with inspect.getmembers): about
    0.3 ms each, and the compilation reads nine histories a request. This class is
    already that class, so building it again returns it.
    """

    @classmethod
    def from_queryset(cls, queryset_class, class_name=None):
        if queryset_class is HistoricalQuerySet:
            return cls
        return super().from_queryset(queryset_class, class_name)


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

    `valid_fork` places an ended version's days in an interval index (see
    `validity_fork`), so that the versions that held at the end of a day can be read
    from a few short index ranges (`versions_at_in_parts`).
    """

    history_user_name = models.CharField(_("changed by"), max_length=150, blank=True)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True, editable=False)
    valid_fork = models.IntegerField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True


def valid_at(instant):
    """The versions that held at `instant`, removals included (filter on history_type)."""
    return Q(history_date__lt=instant) & (
        Q(valid_until__isnull=True) | Q(valid_until__gte=instant)
    )


# --- Which versions held at the end of a day: an interval index -------------------------
#
# "Held at the end of day D" is a stabbing query on intervals (begun before D's end,
# ended after it). A B-tree on either end reads every version begun before D, or every
# one ended after it: most of a long history for a day in its middle. The relational
# interval tree (Kriegel, Pötke and Seidl, VLDB 2000) needs only B-trees and integers:
# each ended version's days [first, last] (the day it began, the day it ended) get the
# node `validity_fork` of a virtual binary tree over day numbers (the node in the
# interval with the most trailing zero bits). A version that held at the end of D has
# its node on the path from the root down to D (`fork_path`); with its node at or
# before D it began by D, so it held if it ended after D's end; with its node after D
# it ended after D, so it held if it began by D's end. Each is one short index range
# per node of the path, on (node, end) and (node, start).

# Day numbers count from this day (day 1 is 2000-01-01); those outside 1 ... FORK_TOP
# (about 2089) are clamped, which keeps every interval's node on the path of its days.
FORK_EPOCH = date(1999, 12, 31)
FORK_LEVELS = 15
FORK_TOP = 2**FORK_LEVELS - 1
FORK_FUNCTION = "validity_fork"
# The node is computed in the database, in the write's own UPDATE, by a function of
# this name on both databases: PostgreSQL's is SQL (assignments migration 0017, the
# same rule as below, which the tests hold it to); SQLite's is `validity_fork` below,
# given to each connection (`register_on_sqlite`).


def fork_day_number(day):
    return min(max((day - FORK_EPOCH).days, 1), FORK_TOP)


def in_fork_range(day):
    """Whether `day`'s number is its own, not clamped: the parts answer only such days."""
    return 1 <= (day - FORK_EPOCH).days <= FORK_TOP


def validity_fork(history_date, valid_until, zone):
    """The interval-tree node of a version valid from `history_date` until `valid_until`
    (None while it is the current version: current versions are read by their own index),
    with days counted in the time zone named `zone` (the register's, as `end_of_day`'s).
    """
    if valid_until is None:
        return None
    local = ZoneInfo(zone)
    first = fork_day_number(history_date.astimezone(local).date())
    last = fork_day_number(valid_until.astimezone(local).date())
    # The highest bit where first - 1 and last differ is the level of the node; above
    # it they share the path from the root.
    level = ((first - 1) ^ last).bit_length() - 1
    return (last >> level) << level


def _sqlite_validity_fork(history_date, valid_until, zone):
    """`validity_fork` of the UTC timestamps SQLite keeps as text."""
    if history_date is None or valid_until is None:
        return None
    return validity_fork(
        typecast_timestamp(history_date).replace(tzinfo=UTC),
        typecast_timestamp(valid_until).replace(tzinfo=UTC),
        zone,
    )


def register_on_sqlite(sender, connection, **kwargs):
    """connection_created: give each new SQLite connection `validity_fork`."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            FORK_FUNCTION, 3, _sqlite_validity_fork, deterministic=True
        )


class ValidityFork(Func):
    """The node of the version from `history_date` to `valid_until`, in SQL."""

    function = FORK_FUNCTION
    output_field = models.IntegerField()

    def __init__(self, history_date, valid_until):
        super().__init__(history_date, valid_until, Value(settings.TIME_ZONE))


def fork_path(day):
    """The nodes on the path from the root to `day`: (those at or before it, those after)."""
    number = fork_day_number(day)
    nodes = [
        ((number >> (level + 1)) << (level + 1)) + (1 << level) for level in range(FORK_LEVELS)
    ]
    return [node for node in nodes if node <= number], [node for node in nodes if node > number]


def versions_at_in_parts(history, instant, day):
    """The records of `history` that held at `instant` (the end of `day`), as disjoint
    querysets, each read from one index: the current versions begun before it, and the
    ended ones whose interval-tree node lies on `day`'s path before and after it.

    Their union is `history.filter(valid_at(instant))`, which is the one part of a day
    outside the tree's range; an aggregate adds up the parts.
    """
    if not in_fork_range(day):
        return [history.filter(valid_at(instant))]
    before, after = fork_path(day)
    return [
        history.filter(history_date__lt=instant, valid_until__isnull=True),
        # Begun by the day: the node is the day or earlier.
        history.filter(valid_fork__in=before, valid_until__gte=instant),
        # Ended after the day: the node is later.
        history.filter(valid_fork__in=after, history_date__lt=instant),
    ]


def refresh_validity(records):
    """Set `valid_until` of the history `records`: the date of the next record of the
    same object, ordered as simple-history orders them (history_date, then history_id);
    and the interval-tree node of each (`valid_fork`).

    One UPDATE with a correlated subquery, which PostgreSQL and SQLite both run. It
    recomputes the whole chain of the objects named, so a back-dated record (one
    dated before the object's latest) lands in its place as well as a new one.
    """
    later = records.model._default_manager.filter(
        Q(history_date__gt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__gt=OuterRef("history_id")),
        id=OuterRef("id"),
    ).order_by("history_date", "history_id").values("history_date")[:1]
    records.update(
        valid_until=Subquery(later), valid_fork=ValidityFork("history_date", Subquery(later))
    )


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
