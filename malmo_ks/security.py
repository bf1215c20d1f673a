"""The Content-Security-Policy header, which Django 5.2 does not send by itself.

Django 6.0 brings a CSP middleware; until then these few lines do the one thing
we need, a fixed policy on every response, without another dependency.
"""

from urllib.parse import urlsplit

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    """Adds `settings.CONTENT_SECURITY_POLICY` to every response that has none yet.

    The policy forbids inline script and style, so an injected `<script>` or
    `style=` does nothing even if escaping were ever missed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", policy())
        return response


def policy():
    """The policy; with a sign-in provider, forms may also lead to the provider's origin.

    Logging out is a form whose answer sends the browser on to the provider's
    end_session_endpoint (RP-initiated logout), and browsers hold a form's
    redirects to form-action too.
    """
    if not settings.OIDC_ISSUER:
        return settings.CONTENT_SECURITY_POLICY
    issuer = urlsplit(settings.OIDC_ISSUER)
    return settings.CONTENT_SECURITY_POLICY.replace(
        "form-action 'self'", f"form-action 'self' {issuer.scheme}://{issuer.netloc}"
    )
