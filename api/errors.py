"""The API's errors: JSON with a message in the caller's language (Accept-Language)."""

from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler


class BadParameter(exceptions.APIException):
    """A query parameter the API cannot use: 400, naming it."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "bad_parameter"

    def __init__(self, parameter, message, errors=None):
        super().__init__(message)
        self.parameter = parameter
        self.errors = errors


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, BadParameter):
        response.data = {"detail": str(exc.detail), "parameter": exc.parameter}
        if exc.errors:
            response.data["errors"] = exc.errors
    elif not isinstance(response.data, dict) or "detail" not in response.data:
        response.data = {"detail": str(exc), "errors": response.data}
    response["Cache-Control"] = "private, no-store"
    return response
