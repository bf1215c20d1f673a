"""Project-level views that belong to no app: the health check, the login and logout pages."""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import signin

logger = logging.getLogger("malmo_ks.health")


@login_not_required
@never_cache
@require_safe
def health(request):
    """200 when the database answers, 503 when not; no details for strangers.

    Load balancers and the container's health check poll it; the reason for a
    failure goes to the log, where operators look.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.exception("health_check_failed")
        return JsonResponse({"status": "fel"}, status=503)
    return JsonResponse({"status": "ok"})


class LoginView(auth_views.LoginView):
    """Django's login page; someone already logged in is sent on to where they were going.

    A `next` that leads back to the login page is dropped for the start page:
    Django would refuse to redirect a logged-in person there with an error.
    """

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        # Password login is refused by the backend itself when off; the page only reflects it.
        return super().get_context_data(
            **kwargs,
            local_login=settings.LOCAL_LOGIN,
            oidc_label=settings.OIDC_LOGIN_LABEL if signin.enabled() else "",
        )

    def get_redirect_url(self):
        url = super().get_redirect_url()
        return "" if urlsplit(url).path == reverse("login") else url


class LogoutView(auth_views.LogoutView):
    """Ends the register's session and, after a sign-in through the provider, the provider's.

    The provider's end_session_endpoint (RP-initiated logout) is given the ID token
    as a hint and sends the browser back to the login page; a provider that names
    no such endpoint leaves its own session as it is.
    """

    def post(self, request, *args, **kwargs):
        id_token = request.session.get("oidc_id_token")
        response = super().post(request, *args, **kwargs)
        if provider_url := signin.provider_logout_url(request, id_token):
            return redirect(provider_url)
        return response
