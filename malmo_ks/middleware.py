"""Request middleware of the project: a log line per request, private answers, slow queries told."""

import logging
import time

from django.db import OperationalError
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.functional import empty
from psycopg.errors import QueryCanceled

logger = logging.getLogger("malmo_ks.requests")


class RequestLogMiddleware:
    """Logs method, path, status, duration and user (or API token) of every request.

    The path is logged without its query string, which can hold search terms,
    and without a secret it carries (`_loggable_path`). Placed first, so the
    duration covers every other middleware too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        fields = {
            "method": request.method,
            "path": _loggable_path(request),
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            "user_id": _user_id(request),
        }
        # A client of the API answers with its token, which is no user: the log names
        # the token (its id, never its key), so that operations can tell clients apart.
        if (api_token := getattr(request, "auth", None)) is not None:
            fields["api_token_id"] = api_token.pk
        logger.info("request", extra=fields)
        return response


def _loggable_path(request):
    """The path, with the value of a URL argument named `token` replaced by "[token]".

    A calendar feed's address is its only key (it is fetched without a session),
    so the log, kept for months and read by others, must not hold it.
    """
    match = getattr(request, "resolver_match", None)
    token = match.kwargs.get("token") if match else None
    return request.path.replace(token, "[token]") if token else request.path


class PrivateResponseMiddleware:
    """Tells browsers and proxies to keep no copy of what a signed-in user was sent.

    Pages and exports hold the register as one user may see it; a shared
    computer's back button or a proxy must not show it to the next person
    (OWASP ASVS 8.2.1). Static files are answered before the user is known
    (WhiteNoise, after this middleware) and keep their long caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _user_id(request) is not None:
            patch_cache_control(response, private=True, no_store=True)
        return response


class StatementTimeoutMiddleware:
    """A query the database cancelled (DB_STATEMENT_TIMEOUT): 503 and a page in words.

    The read pages refuse what they know to be too large before asking; this is
    for what they could not foresee. The user learns to ask for less, not that
    the register is broken; the log still has the full error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError) and isinstance(
            exception.__cause__, QueryCanceled
        ):
            logger.warning("statement_timeout", exc_info=exception, extra={"path": request.path})
            return render(request, "503.html", status=503)
        return None


def _user_id(request):
    """The id of the user the request ran as, without a query just to find out.

    `request.user` is lazy: when nothing in the request needed it (static files,
    a 404 before any view), it is still unevaluated and the request had no user.
    """
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk
