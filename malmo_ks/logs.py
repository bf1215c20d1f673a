"""Structured logs: one JSON object per line on stdout, for the log shipper to collect.

Imports only the standard library, so the settings and gunicorn's configuration
can both use it before Django is set up.
"""

import json
import logging
from datetime import UTC, datetime

# Attributes every LogRecord has; anything else came in through `extra=` and is a field.
_RECORD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON line: time, level, logger, event and its fields.

    Fields are passed with `extra=`, e.g.
    `logger.info("login", extra={"user_id": 7})`; values JSON cannot hold are
    written as their `str()`.
    """

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
        }
        entry.update(fields(record))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=_plain)


def _plain(value):
    """A value JSON cannot hold, as text; a request (Django logs 4xx answers with it) without
    its query string, which can hold search terms or a sign-in's authorization code."""
    method, path = getattr(value, "method", None), getattr(value, "path", None)
    if isinstance(method, str) and isinstance(path, str):
        return f"{method} {path}"
    return str(value)


def fields(record):
    """The structured fields a record was logged with."""
    return {key: value for key, value in vars(record).items() if key not in _RECORD_ATTRIBUTES}


def config(level="INFO"):
    """A `logging.config.dictConfig` that sends every logger, as JSON lines, to stdout."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "json",
            }
        },
        "root": {"level": level, "handlers": ["stdout"]},
        "loggers": {
            # Django's own loggers print to stderr in DEBUG and mail admins; here every
            # record takes the one path through the root handler instead.
            "django": {"handlers": [], "level": level, "propagate": True},
            # gunicorn's access log would repeat the app's request log; its error log
            # joins the JSON stream.
            "gunicorn.access": {"handlers": [], "propagate": False},
            "gunicorn.error": {"handlers": [], "level": level, "propagate": True},
            # WeasyPrint logs each step of every PDF at INFO ("Step 2 - Fetching and
            # parsing CSS"); only its warnings, such as a missing font, are news.
            "weasyprint.progress": {"handlers": [], "level": "WARNING", "propagate": True},
        },
    }
