"""Project-level views that belong to no app: the health check."""

import logging

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
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
