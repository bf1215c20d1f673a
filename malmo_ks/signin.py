"""Sign-in with the city's identity provider (OpenID Connect), on mozilla-django-oidc.

The library runs the authorization code flow with PKCE, state and nonce; this
module adds what the register needs around it:
- the provider's endpoints come from its discovery document, read from
  OIDC_ISSUER at the first sign-in and kept for OIDC_DISCOVERY_SECONDS;
- the ID token's signature, issuer, audience and expiry are all verified (the
  library leaves out the issuer and the audience);
- people are found by the provider's subject (`sub`), never by e-mail alone, and
  their roles are set from the groups claim at every sign-in (OIDC_ROLE_GROUPS);
  someone in none of the mapped groups is refused and gets no account;
- every refusal is shown in words, and logged, as are sign-ins and role changes
  (never a token).
"""

import logging
import time
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import checks
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from . import roles
from .models import SignInIdentity

auth_log = logging.getLogger("malmo_ks.auth")

ROLES = (roles.HANDLAGGARE, roles.FORTROENDEVALD, roles.ADMINISTRATOR)
SIGN_ALGORITHM = "RS256"
SCOPES = "openid email profile"
# Clocks differ a little between the provider and the register.
LEEWAY_SECONDS = 60

REFUSALS = {
    "no_role": _(
        "Your account at the city's identity provider is in none of the groups that give "
        "a role in the register. Ask the register's administrator for access."
    ),
    "inactive": _(
        "Your account in the register is deactivated. Ask the register's administrator."
    ),
    "state": _(
        "The answer from the identity provider does not belong to a sign-in started "
        "here (its state is unknown). Start again from the login page."
    ),
    "expired": _("The identity provider's token has expired. Start again from the login page."),
    "audience": _(
        "The identity provider's token was issued for another application. "
        "Start again from the login page."
    ),
    "issuer": _(
        "The token was issued by another identity provider than the city's. "
        "Start again from the login page."
    ),
    "token": _(
        "The identity provider's token could not be verified. Start again from the login page."
    ),
    "provider_error": _(
        "The identity provider did not complete the sign-in. Start again from the login page."
    ),
    "unavailable": _(
        "The city's identity provider could not be reached. Try again in a while."
    ),
}


class Refused(Exception):
    """A sign-in refused for a reason the person is told (a key of REFUSALS)."""

    def __init__(self, reason, **fields):
        super().__init__(reason)
        self.reason = reason
        self.fields = fields


def enabled():
    return bool(settings.OIDC_ISSUER)


_discovered = {}


def discovery():
    """The provider's discovery document, fetched once per OIDC_DISCOVERY_SECONDS."""
    issuer = settings.OIDC_ISSUER
    kept = _discovered.get(issuer)
    if kept and kept[0] > time.monotonic():
        return kept[1]
    try:
        response = requests.get(
            f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT
        )
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise Refused("unavailable", error=type(error).__name__) from error
    if not isinstance(document, dict) or document.get("issuer", "").rstrip("/") != issuer:
        # OpenID Connect Discovery 1.0, 4.3: the document must name the issuer asked.
        raise Refused("unavailable", error="discovery names another issuer")
    if missing := {"authorization_endpoint", "token_endpoint", "jwks_uri"} - document.keys():
        raise Refused("unavailable", error=f"discovery lacks {', '.join(sorted(missing))}")
    _discovered[issuer] = (time.monotonic() + settings.OIDC_DISCOVERY_SECONDS, document)
    return document


def role_groups():
    """OIDC_ROLE_GROUPS as (role, group) pairs; a role that does not exist is a mistake."""
    pairs = []
    for pair in settings.OIDC_ROLE_GROUPS:
        role, _sep, group = (part.strip() for part in pair.partition("="))
        if role not in ROLES or not group:
            raise ImproperlyConfigured(
                f"OIDC_ROLE_GROUPS: {pair!r} does not name one of the roles {', '.join(ROLES)}"
                " and a group."
            )
        pairs.append((role, group))
    return pairs


def check_role_groups(app_configs, **kwargs):
    try:
        role_groups()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="malmo_ks.E001")]
    return []


def roles_of(claims):
    """The register's roles that the groups in `claims` give."""
    groups = claims.get(settings.OIDC_GROUPS_CLAIM) or []
    if isinstance(groups, str):
        groups = [groups]
    return {role for role, group in role_groups() if group in groups}


def _setting(name, *default):
    """The library's settings, from the register's own names and the discovery document."""
    own = {
        "OIDC_RP_CLIENT_ID": lambda: settings.OIDC_CLIENT_ID,
        "OIDC_RP_CLIENT_SECRET": lambda: settings.OIDC_CLIENT_SECRET,
        "OIDC_RP_SIGN_ALGO": lambda: SIGN_ALGORITHM,
        "OIDC_RP_SCOPES": lambda: SCOPES,
        "OIDC_USE_PKCE": lambda: True,
        "OIDC_USE_NONCE": lambda: True,
        "OIDC_ALLOW_UNSECURED_JWT": lambda: False,
        "OIDC_VERIFY_KID": lambda: True,
        # Kept in the session for RP-initiated logout's id_token_hint.
        "OIDC_STORE_ID_TOKEN": lambda: True,
        "OIDC_STORE_ACCESS_TOKEN": lambda: False,
        "OIDC_TIMEOUT": lambda: settings.OIDC_TIMEOUT,
        "OIDC_AUTHENTICATION_CALLBACK_URL": lambda: "oidc_callback",
        "OIDC_OP_AUTHORIZATION_ENDPOINT": lambda: discovery()["authorization_endpoint"],
        "OIDC_OP_TOKEN_ENDPOINT": lambda: discovery()["token_endpoint"],
        "OIDC_OP_USER_ENDPOINT": lambda: discovery().get("userinfo_endpoint"),
        "OIDC_OP_JWKS_ENDPOINT": lambda: discovery()["jwks_uri"],
    }
    if name in own:
        return own[name]()
    return import_from_settings(name, *default)


def _refusal_log(request, refused):
    auth_log.warning(
        "oidc_login_refused", extra={"reason": refused.reason, **refused.fields}
    )
    request.signin_refusal = refused.reason


class OIDCBackend(OIDCAuthenticationBackend):
    """Answers only the callback of a sign-in started here; everything else passes it by."""

    get_settings = staticmethod(_setting)

    def __init__(self, *args, **kwargs):
        # The library reads the endpoints here; Django makes a backend for every
        # password login and every request's user too, which must not need the provider.
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        if request is None or "nonce" not in kwargs or not enabled():
            return None
        try:
            self.OIDC_OP_TOKEN_ENDPOINT = _setting("OIDC_OP_TOKEN_ENDPOINT")
            self.OIDC_OP_USER_ENDPOINT = _setting("OIDC_OP_USER_ENDPOINT")
            self.OIDC_OP_JWKS_ENDPOINT = _setting("OIDC_OP_JWKS_ENDPOINT")
            self.OIDC_RP_CLIENT_ID = settings.OIDC_CLIENT_ID
            self.OIDC_RP_CLIENT_SECRET = settings.OIDC_CLIENT_SECRET
            self.OIDC_RP_SIGN_ALGO = SIGN_ALGORITHM
            self.OIDC_RP_IDP_SIGN_KEY = None
            try:
                return super().authenticate(request, **kwargs)
            except requests.HTTPError as error:
                # The token endpoint's refusal of the code (RFC 6749 5.2), or a server error.
                status = getattr(error.response, "status_code", 0)
                reason = "provider_error" if 400 <= status < 500 else "unavailable"
                raise Refused(reason, error=f"HTTP {status}") from error
            except requests.RequestException as error:
                raise Refused("unavailable", error=type(error).__name__) from error
            except jwt.PyJWTError as error:
                # A token that is not a JWT at all, or a key that cannot be read.
                raise Refused("token", error=type(error).__name__) from error
            except SuspiciousOperation as error:
                # The nonce, the key, the algorithm: messages of the library, no token in them.
                raise Refused("token", error=str(error)) from error
        except Refused as refused:
            _refusal_log(request, refused)
            return None

    def _verify_jws(self, payload, key):
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[SIGN_ALGORITHM],
                audience=settings.OIDC_CLIENT_ID,
                issuer=settings.OIDC_ISSUER,
                leeway=LEEWAY_SECONDS,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.ExpiredSignatureError as error:
            raise Refused("expired") from error
        except jwt.InvalidAudienceError as error:
            raise Refused("audience") from error
        except jwt.InvalidIssuerError as error:
            raise Refused("issuer") from error
        except jwt.InvalidTokenError as error:
            raise Refused("token", error=type(error).__name__) from error

    def get_or_create_user(self, access_token, id_token, payload):
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            userinfo = self.get_userinfo(access_token, id_token, payload)
            if userinfo.get("sub") != payload["sub"]:
                raise Refused("token", error="userinfo names another subject")
            claims.update(userinfo)
        subject = payload["sub"]
        granted = roles_of(claims)
        identity = (
            SignInIdentity.objects.select_related("user")
            .filter(issuer=settings.OIDC_ISSUER, subject=subject)
            .first()
        )
        user = identity.user if identity else None
        if user is not None and not user.is_active:
            raise Refused("inactive", subject=subject, user_id=user.pk)
        if not granted:
            if user is not None:
                # Removed from every group: the roles go now, not at a later sign-in.
                set_roles(user, granted)
            raise Refused("no_role", subject=subject, user_id=getattr(user, "pk", None))
        if user is None:
            user = self._create(subject, claims)
        else:
            self._update(user, claims)
        set_roles(user, granted)
        return user

    def _create(self, subject, claims):
        """The account of someone signing in the first time, with the name and e-mail given."""
        for _attempt in range(3):
            try:
                with transaction.atomic():
                    user = self.UserModel.objects.create_user(
                        _free_username(claims, subject), **_person(claims)
                    )
                    SignInIdentity.objects.create(
                        user=user, issuer=settings.OIDC_ISSUER, subject=subject
                    )
                break
            except IntegrityError:
                # The same person's sign-in in another tab made the account first, or
                # someone else took the username at the same moment: look again.
                identity = SignInIdentity.objects.filter(
                    issuer=settings.OIDC_ISSUER, subject=subject
                ).first()
                if identity is not None:
                    return identity.user
        else:
            raise Refused("unavailable", subject=subject, error="no free username")
        auth_log.info(
            "oidc_account_created",
            extra={"user_id": user.pk, "username": user.get_username(), "subject": subject},
        )
        return user

    def _update(self, user, claims):
        person = _person(claims)
        changed = [field for field, value in person.items() if getattr(user, field) != value]
        if changed:
            for field in changed:
                setattr(user, field, person[field])
            user.save(update_fields=changed)


def _person(claims):
    first, last = claims.get("given_name"), claims.get("family_name")
    if not first and not last:
        first, _sep, last = (claims.get("name") or "").partition(" ")
    return {
        "first_name": (first or "")[:150],
        "last_name": (last or "")[:150],
        "email": (claims.get("email") or "")[:254],
    }


def _free_username(claims, subject):
    """A username nobody has: the provider's, or the e-mail, with a number if taken.

    A local account with the same name stays another person's account.
    """
    base = (claims.get("preferred_username") or claims.get("email") or f"oidc-{subject}")[:140]
    users = get_user_model().objects
    candidate, number = base, 1
    while users.filter(username=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def set_roles(user, granted):
    """Give `user` exactly the roles `granted` (of the three), logged when they change.

    Administrators use the admin, as local administrators do (is_staff).
    """
    current = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
    added, removed = granted - current, current - granted
    with transaction.atomic():
        if removed:
            user.groups.remove(*Group.objects.filter(name__in=removed))
        if added:
            user.groups.add(*Group.objects.filter(name__in=added))
        staff = roles.ADMINISTRATOR in granted
        if user.is_staff != staff:
            user.is_staff = staff
            user.save(update_fields=["is_staff"])
    if added or removed:
        auth_log.info(
            "roles_changed",
            extra={"user_id": user.pk, "added": sorted(added), "removed": sorted(removed)},
        )


def refused_page(request, reason, status=403):
    return render(
        request,
        "registration/signin_refused.html",
        {"message": REFUSALS[reason]},
        status=status,
    )


class SignInView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider, with state, nonce and the PKCE challenge."""

    # HEAD as GET, as every address of the register answers it.
    http_method_names = ["get", "head"]
    get_settings = staticmethod(_setting)

    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request):
        if not enabled():
            return redirect("login")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = _setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except Refused as refused:
            _refusal_log(request, refused)
            return refused_page(request, refused.reason, status=503)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_CLIENT_ID
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back; refusals are answered in words."""

    http_method_names = ["get", "head"]
    get_settings = staticmethod(_setting)

    def get(self, request):
        if not enabled():
            return redirect("login")
        answer = "error" in request.GET or "code" in request.GET
        if answer and request.GET.get("state") not in request.session.get("oidc_states", {}):
            # Not the answer to a sign-in started in this browser: a forged link must
            # neither sign anyone in nor (the library's way with errors) out.
            _refusal_log(request, Refused("state"))
            return refused_page(request, "state", status=400)
        if request.GET.get("error"):
            _refusal_log(request, Refused("provider_error", error=request.GET["error"][:100]))
        return super().get(request)

    def login_failure(self):
        reason = getattr(self.request, "signin_refusal", None)
        if reason is None:
            # A callback without code and state, or for an account that cannot sign in.
            reason = "inactive" if getattr(self, "user", None) else "provider_error"
        status = 503 if reason == "unavailable" else 403
        return refused_page(self.request, reason, status=status)


def provider_logout_url(request, id_token):
    """Where to end the provider's session too (RP-initiated logout), if it says where."""
    if not enabled() or not id_token:
        return None
    try:
        end_session = discovery().get("end_session_endpoint")
    except Refused:
        return None
    if not end_session:
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "client_id": settings.OIDC_CLIENT_ID,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
        }
    )
    return f"{end_session}?{query}"
