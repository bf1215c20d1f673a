"""The follow button other apps' pages show: `{% subscribe_button assignment %}`."""

from django import template

from ..models import Subscription

register = template.Library()


@register.inclusion_tag("notifications/subscribe_button.html", takes_context=True)
def subscribe_button(context, assignment):
    """"Bevaka" or "Sluta bevaka" for the signed-in reader; for its case officer, a sentence.

    One query (none for the case officer). The page that shows it has already
    checked that the person may read the assignment.
    """
    user = context["request"].user
    is_case_officer = assignment.case_officer_id == user.pk
    return {
        "assignment": assignment,
        "is_case_officer": is_case_officer,
        "is_subscribed": not is_case_officer
        and Subscription.objects.filter(user=user, assignment_id=assignment.pk).exists(),
        "csrf_token": context.get("csrf_token"),
    }
