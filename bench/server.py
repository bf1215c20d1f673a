"""gunicorn on a free port of 127.0.0.1, started for the HTTP timings and always stopped."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
# The timings send one request at a time: one sync worker serves them all, and
# every page's untimed first request warms the very process that is then timed.
WORKERS = 1
START_SECONDS = 30
STOP_SECONDS = 10


class ServerFailed(RuntimeError):
    pass


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(port):
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("GET", "/halsa/")
        status = conn.getresponse().status
        conn.close()
        return status == 200
    except OSError:
        return False


@contextmanager
def gunicorn(workers=WORKERS):
    """Yield the port of a running gunicorn serving `bench.wsgi`; stop it on the way out."""
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "bench.wsgi:application",
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers),
        "--chdir", str(PROJECT_DIR),
        "--timeout", "120",
        "--log-level", "warning",
    ]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    process = subprocess.Popen(command, env=env, cwd=PROJECT_DIR)
    try:
        deadline = time.monotonic() + START_SECONDS
        while not _answers(port):
            if process.poll() is not None:
                raise ServerFailed(f"gunicorn exited with {process.returncode}")
            if time.monotonic() > deadline:
                raise ServerFailed(f"gunicorn did not answer within {START_SECONDS} s")
            time.sleep(0.2)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
