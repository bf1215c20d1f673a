"""Project-level views that belong to no app: the health check and the login page."""

import logging
from urllib.parse import urlsplit

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

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

    def get_redirect_url(self):
        url = super().get_redirect_url()
        return "" if urlsplit(url).path == reverse("login") else url
