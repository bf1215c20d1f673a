"""The admin index's line about messages that could not be delivered."""

from django import template
from django.urls import reverse

from notifications import sending
from notifications.admin import DELIVERY_PARAM, FAILED

register = template.Library()


@register.inclusion_tag("admin/notifications_failed.html")
def failed_notifications():
    url = reverse("admin:notifications_message_changelist")
    return {"count": sending.failed().count(), "url": f"{url}?{DELIVERY_PARAM}={FAILED}"}
