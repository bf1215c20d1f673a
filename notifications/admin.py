"""The outbox in the admin: what was sent, what waits, what could not be delivered."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import sending
from .models import Message

DELIVERY_PARAM = "leverans"
FAILED = "misslyckade"


class DeliveryFilter(admin.SimpleListFilter):
    title = _("delivery")
    parameter_name = DELIVERY_PARAM

    def lookups(self, request, model_admin):
        return [
            ("skickade", _("already sent")),
            ("vantande", _("waiting to be sent")),
            (FAILED, _("failed, no longer tried")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "skickade":
            return queryset.filter(sent_at__isnull=False)
        if self.value() == "vantande":
            return queryset.filter(pk__in=sending.unsent()).exclude(pk__in=sending.failed())
        if self.value() == FAILED:
            return queryset.filter(pk__in=sending.failed())
        return queryset


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Read only: a message is written by `send_notifications`; an administrator may
    only send a failed one again (after mending the address or the server)."""

    list_display = ("created_at", "recipient", "kind", "subject", "sent_at", "attempts",
                    "last_error")
    list_filter = (DeliveryFilter, "kind")
    list_select_related = ("recipient",)
    search_fields = ("subject", "key", "recipient__username", "recipient__email")
    ordering = ("-created_at", "-id")
    actions = ["try_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Try the chosen unsent messages again"), permissions=["view"])
    def try_again(self, request, queryset):
        count = queryset.filter(pk__in=sending.unsent()).update(
            attempts=0, next_attempt_at=timezone.now()
        )
        self.message_user(request, ngettext(
            "%(count)s message will be sent by the next run.",
            "%(count)s messages will be sent by the next run.",
            count,
        ) % {"count": count})
