"""Who calls the API: a client's token in `Authorization: Bearer …`, or a signed-in browser."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .models import ApiToken


class TokenClient:
    """What `request.user` is for a token: not a person, no session, only reading."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    pk = None

    def __init__(self, token):
        self.token = token

    def has_perm(self, perm, obj=None):
        return perm == "assignments.view_assignment"

    def has_perms(self, perms, obj=None):
        return all(self.has_perm(perm) for perm in perms)

    def __str__(self):
        return self.token.client


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """The token only in the header: an address with a key would end up in logs and history."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Write the header as “Authorization: Bearer <token>”.")
            )
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("The API token is not valid or has been revoked."))
        token = ApiToken.find(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("The API token is not valid or has been revoked."))
        token.mark_used()
        return TokenClient(token), token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """The token as the OpenAPI description names it."""

    target_class = "api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer"}
