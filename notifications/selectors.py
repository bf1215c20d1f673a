"""Who follows which assignment: the one definition every notification reads.

PLACEHOLDER on branch h-deliver, to be replaced by helper "subscribe"'s version
(same name, signature and meaning).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q

from assignments.models import Assignment

from .models import Subscription


def readers():
    """Active users who may read the register (the view permission, through a group,
    directly or as superuser)."""
    view = Permission.objects.filter(
        content_type__app_label="assignments", codename="view_assignment"
    )
    return get_user_model().objects.filter(is_active=True).filter(
        Q(is_superuser=True) | Q(groups__permissions__in=view) | Q(user_permissions__in=view)
    )


def follower_pairs(assignment_ids=None):
    """(user_id, assignment_id) of every follower: the subscribers and the case officer,
    active users with read access; of `assignment_ids` only, when given."""
    allowed = readers().values("pk")
    subscriptions = Subscription.objects.filter(user__in=allowed)
    handled = Assignment.objects.filter(case_officer__in=allowed)
    if assignment_ids is not None:
        subscriptions = subscriptions.filter(assignment_id__in=assignment_ids)
        handled = handled.filter(id__in=assignment_ids)
    return set(subscriptions.values_list("user_id", "assignment_id")) | set(
        handled.values_list("case_officer_id", "id")
    )


def followed_by(user):
    """The assignments `user` follows."""
    return Assignment.objects.filter(
        id__in=[pk for user_id, pk in follower_pairs() if user_id == user.pk]
    )
