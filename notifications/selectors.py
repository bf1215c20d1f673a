"""Who follows which assignment: the one definition the pages, the feed and the messages share.

A person follows an assignment when they subscribed to it (a `Subscription` row)
or when they are its case officer (no row: the assignment is theirs for as long
as they handle it). Only people who may hear of it follow anything: an active
account that can read the register (`assignments.view_assignment`, through a
group, its own permissions or as a superuser). A deactivated account, or one
whose role no longer reads the register, keeps its rows but follows nothing, so
it is sent nothing and its calendar feed answers 404.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q

from assignments.models import Assignment

from .models import Subscription

READ_PERMISSION = ("assignments", "view_assignment")


def readers():
    """The active users who can read the register, as one queryset (subqueries, no join rows).

    Mirrors `User.has_perm("assignments.view_assignment")` for active users:
    superusers, and anyone given the permission directly or through a group.
    """
    app_label, codename = READ_PERMISSION
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    users = get_user_model().objects
    return users.filter(is_active=True).filter(
        Q(is_superuser=True)
        | Q(pk__in=users.filter(groups__permissions__in=permission).values("pk"))
        | Q(pk__in=users.filter(user_permissions__in=permission).values("pk"))
    )


def can_follow(user):
    """Whether `user` may follow anything at all (the Python side of `readers()`)."""
    return user.is_active and user.has_perm("assignments.view_assignment")


def followed_by(user):
    """The assignments `user` follows, each once, as a queryset to filter, order or annotate.

    Carries `is_case_officer` and `is_subscribed` (booleans from the same query), so a
    page can say why each one is followed without a query per row. Empty for a user who
    cannot follow (inactive, or no right to read the register).
    """
    if not can_follow(user):
        return Assignment.objects.none()
    subscribed = Subscription.objects.filter(user=user, assignment=OuterRef("pk"))
    # `pk__in` rather than a join on subscriptions: a join would repeat the case
    # officer's assignment once for every other subscriber of it.
    return Assignment.objects.filter(
        Q(case_officer=user)
        | Q(pk__in=Subscription.objects.filter(user=user).values("assignment"))
    ).annotate(
        is_case_officer=ExpressionWrapper(Q(case_officer=user), output_field=BooleanField()),
        is_subscribed=Exists(subscribed),
    )


def follower_pairs(assignment_ids=None):
    """Every (user_id, assignment_id) pair of a follower and what they follow, each pair once.

    One query (a UNION of the subscriptions and the case officers, both limited to
    `readers()`), however many assignments and people there are: no query per
    assignment. `assignment_ids` (a list, set or a values() queryset of ids) limits it
    to those assignments; None means the whole register. A case officer who also
    subscribed appears once. The result is a lazy queryset of tuples: iterate it
    once, or wrap it in `set()` to look pairs up; it cannot be filtered further.
    """
    subscribed = Subscription.objects.filter(user__in=readers())
    handled = Assignment.objects.filter(case_officer__in=readers())
    if assignment_ids is not None:
        subscribed = subscribed.filter(assignment_id__in=assignment_ids)
        handled = handled.filter(pk__in=assignment_ids)
    # Neither side may carry an ordering into the UNION (Assignment has a default one).
    return (
        subscribed.order_by()
        .values_list("user_id", "assignment_id")
        .union(handled.order_by().values_list("case_officer_id", "pk"))
    )
