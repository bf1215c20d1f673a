"""The app's own settings as production runs them, plus the benchmark's reference pages.

DEBUG is off (Django would otherwise keep every SQL statement in memory), the
floor view is routed by `bench.urls`, the secret key is a fixed one because
the in-process client and gunicorn must read the same session cookie, and
HTTPS is not demanded of a server that only 127.0.0.1 talks to.
"""

import os
import warnings

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-not-for-any-real-register")
# gunicorn listens on plain HTTP at 127.0.0.1, where no proxy ends TLS.
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_COOKIES", "false")
# The benchmark loads 100 000 assignments in a few statements and times pages
# that may take longer than production allows (gunicorn runs with --timeout 120).
os.environ.setdefault("DB_STATEMENT_TIMEOUT", "0")

from malmo_ks.settings import *  # noqa: E402,F403
from malmo_ks.settings import INSTALLED_APPS  # noqa: E402

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
ROOT_URLCONF = "bench.urls"
# The benchmark's users are made once per run; their passwords are never typed.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Request logs of every timed request would only add noise to the figures.
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# Production serves hashed names from a manifest that `collectstatic` writes; the
# benchmark asks for no static file, and a run should not need that build step.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# whitenoise looks for the collected files at start-up and warns once per process.
warnings.filterwarnings("ignore", message="No directory at")
