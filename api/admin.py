"""API tokens in the admin: created for a named client, the key shown once, revoked, never deleted."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("client", "prefix", "created_by", "created_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("client", "prefix")
    readonly_fields = ("prefix", "created_by", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        # The client's name is given once; a revoked token's row is a record.
        return self.readonly_fields + (("client",) if obj else ())

    def has_delete_permission(self, request, obj=None):
        # Revoked, not deleted: the list keeps who had access and when.
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        token, key = ApiToken.issue(obj.client, created_by=request.user)
        # The admin's log and redirect read the saved row through `obj`.
        for field in ("id", "prefix", "key_hash", "created_by_id", "created_at"):
            setattr(obj, field, getattr(token, field))
        request._api_token_key = key

    def response_add(self, request, obj, post_url_continue=None):
        """The key on this one page: never in a redirect, a message or the session."""
        key = getattr(request, "_api_token_key", None)
        if key is None:
            return super().response_add(request, obj, post_url_continue)
        return TemplateResponse(request, "admin/api/token_created.html", {
            **self.admin_site.each_context(request),
            "title": _("API token created"),
            "token": ApiToken.objects.get(pk=obj.pk),
            "key": key,
            "opts": self.opts,
        }, headers={"Cache-Control": "private, no-store"})

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        # The admin's history names a change by the field's label, as a form's change does.
        revoked = str(ApiToken._meta.get_field("revoked_at").verbose_name)
        for token in queryset.filter(revoked_at__isnull=True):
            token.revoke()
            # Who took a client's access away, and when, stays in the admin's history.
            self.log_change(request, token, [{"changed": {"fields": [revoked]}}])
        messages.success(request, _("The tokens are revoked: they no longer give access."))
