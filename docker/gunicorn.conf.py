"""gunicorn in the container: production only, configured from the environment."""

from malmo_ks.settings import DEBUG, LOGGING, envint

if DEBUG:
    # Importing the settings has already refused the development secret key.
    raise SystemExit("DEBUG is on: the container serves production only. Set DEBUG=false.")

bind = f"0.0.0.0:{envint('PORT', 8000)}"
workers = envint("WEB_CONCURRENCY", 2)
# The app logs every request itself (malmo_ks.middleware); gunicorn adds only its
# error log, in the same JSON lines on stdout.
accesslog = None
logconfig_dict = LOGGING
