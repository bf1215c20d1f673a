"""The Content-Security-Policy header, which Django 5.2 does not send by itself.

Django 6.0 brings a CSP middleware; until then these few lines do the one thing
we need, a fixed policy on every response, without another dependency.
"""

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    """Adds `settings.CONTENT_SECURITY_POLICY` to every response that has none yet.

    The policy forbids inline script and style, so an injected `<script>` or
    `style=` does nothing even if escaping were ever missed.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response
