"""Requests a minute per token, and per client address for callers without one: then 429."""

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle

from malmo_ks.throttle import client_address


class _PerMinute(SimpleRateThrottle):
    # The database cache: every gunicorn worker counts in the same table.
    cache = None
    setting = ""

    def __init__(self):
        self.cache = caches["api"]
        super().__init__()

    def get_rate(self):
        # Read at each request, so a changed setting (and a test's override) applies.
        return f"{getattr(settings, self.setting)}/min"

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class TokenThrottle(_PerMinute):
    scope = "token"
    setting = "API_RATE_PER_MINUTE"

    def get_cache_key(self, request, view):
        if request.auth is None or not hasattr(request.auth, "key_hash"):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class AddressThrottle(_PerMinute):
    scope = "address"
    setting = "API_ANONYMOUS_RATE_PER_MINUTE"

    def get_cache_key(self, request, view):
        if request.auth is not None:
            return None
        if request.user.is_authenticated:
            # A signed-in person counts as themself, wherever they are.
            ident = f"user-{request.user.pk}"
            rate = settings.API_RATE_PER_MINUTE
            self.num_requests = rate
        else:
            ident = client_address(request) or "unknown"
        return self.cache_format % {"scope": self.scope, "ident": ident}
