"""Running the project in a separate process, configured only through the environment."""

import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from django.conf import settings

REPO = Path(__file__).resolve().parents[2]


# Only these come from the test run's own environment: whatever else it holds (a
# DEBUG of the developer's, DJANGO_ALLOW_ASYNC_UNSAFE set for the browser tests)
# is not what a production start would see.
INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "DATABASE_URL")


def production_env(**extra):
    """The environment of a production start: DEBUG off, a real secret, one host."""
    env = {name: os.environ[name] for name in INHERITED if name in os.environ}
    env.update(
        {
            "PYTHONPATH": str(REPO),
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "x",
        }
    )
    env.update(extra)
    return {name: value for name, value in env.items() if value is not None}


def database_url_of_tests():
    """The URL of the test database pytest-django made, for a process of our own."""
    db = settings.DATABASES["default"]
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    host = db["HOST"] or "localhost"
    port = db["PORT"] or 5432
    return f"postgres://{quote(db['USER'])}{password}@{host}:{port}/{db['NAME']}"


def manage(*args, env, timeout=60):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        check=False,
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
