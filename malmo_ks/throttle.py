"""Login throttling: guessing passwords is slowed down, and nobody can lock anyone else out.

Every login, the register's and the admin's, goes through ThrottledModelBackend.
An attempt is written down (a LoginFailure) and committed before its password is
checked, and the committed attempts decide whether it may go on (the rules are
`LoginFailure.refusal()`): however many guesses arrive at once, exactly the
limit's worth reach the password check. The limits are per username *and* client
address, so that a guesser elsewhere never delays the real user (OWASP ASVS
2.2.1), and per client address over all usernames, against password spraying. A
refused attempt leaves no row behind, so trying again early does not move the
time on; a right password clears the failures of its username and address.
"""

import ipaddress
import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import LoginFailure

logger = logging.getLogger("malmo_ks.auth")

# One IPv6 subscriber gets a whole /64: its addresses are one client.
IPV6_CLIENT_PREFIX = 64


class LoginThrottled(ValidationError):
    """A login refused before its password was checked; says when to try again, nothing else.

    A ValidationError, because Django's authenticate() stops only at
    PermissionDenied (and then reports a wrong password): this passes through it
    to the login form, which shows it, on the admin's login page too. The words
    are the same whether the account exists or not.
    """

    def __init__(self, until):
        local = timezone.localtime(until)
        if local.microsecond:
            # Rounded up: trying at the named second is never too early.
            local = local.replace(microsecond=0) + timedelta(seconds=1)
        super().__init__(
            _("Too many failed logins. Try again at %(time)s."),
            code="throttled",
            params={"time": local.strftime("%H:%M:%S")},
        )


def client_address(request):
    """The address a login came from: the connection's, or the one a trusted proxy saw.

    X-Forwarded-For counts only with LOGIN_TRUST_X_FORWARDED_FOR, and then only
    its last entry, the one the proxy in front appended (nginx's
    $proxy_add_x_forwarded_for): whatever comes before it, the client wrote.
    An IPv6 address stands for its /64 network.
    """
    if request is None:
        return None
    candidates = [request.META.get("REMOTE_ADDR", "")]
    if settings.LOGIN_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        candidates.insert(0, forwarded.rsplit(",", 1)[-1].strip())
    for candidate in candidates:
        try:
            address = ipaddress.ip_address(candidate)
        except ValueError:
            continue
        if address.version == 6 and address.ipv4_mapped:
            return str(address.ipv4_mapped)
        if address.version == 6:
            network = ipaddress.ip_network((address, IPV6_CLIENT_PREFIX), strict=False)
            return str(network.network_address)
        return str(address)
    return None


class LocalLoginOff(ValidationError):
    """A password login while LOCAL_LOGIN is off: refused before anything is checked.

    A ValidationError for the reason LoginThrottled is one: the login form shows
    it, on the admin's login page too.
    """

    def __init__(self):
        super().__init__(
            _("Logging in with a password is turned off. Log in with the city's account."),
            code="local_login_off",
        )


class ThrottledModelBackend(ModelBackend):
    """Django's username and password check, behind the throttle; only while LOCAL_LOGIN is on."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        if not settings.LOCAL_LOGIN:
            logger.warning("local_login_refused", extra={"username": str(username)[:150]})
            raise LocalLoginOff()
        LoginFailure.forget_expired()
        attempt, refusal = LoginFailure.attempt(str(username), client_address(request))
        if refusal:
            until, limit = refusal
            logger.warning(
                "login_locked_out",
                extra={
                    "username": attempt.username,
                    "client": attempt.address,
                    "limit": limit,
                    "until": until.isoformat(),
                },
            )
            raise LoginThrottled(until)
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None:
            attempt.forget_failures()
        return user
