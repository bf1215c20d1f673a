"""The production server as the container runs it: gunicorn with docker/gunicorn.conf.py.

Two replicas on two ports share one database, as behind the compose file's
proxy; static files are the hashed, compressed copies collectstatic made.
Only Docker itself is left out.
"""

import http.client
import json
import re
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import Group

from malmo_ks import roles

from .processes import REPO, database_url_of_tests, manage, production_env

pytestmark = pytest.mark.postgresql_only(
    "the container's gunicorn serves from PostgreSQL; its processes cannot reach the "
    "in-memory SQLite test database"
)

GUNICORN = [sys.executable, "-m", "gunicorn", "--config", "docker/gunicorn.conf.py"]
VIA_PROXY = {"Host": "localhost", "X-Forwarded-Proto": "https"}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(port, path, method="GET", headers=None, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(
            method, path, body=body, headers={"Host": "localhost", **(headers or {})}
        )
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def wait_until_serving(server, port, log):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn stopped:\n{log.read_text()}")
        try:
            if fetch(port, "/halsa/")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer within 30 s:\n{log.read_text()}")


def cookies(headers):
    jar = SimpleCookie()
    for header in headers.get_all("Set-Cookie", []):
        jar.load(header)
    return jar


class Replica:
    def __init__(self, port, log):
        self.port, self.log = port, log

    def get(self, path, **headers):
        return fetch(self.port, path, headers={**VIA_PROXY, **headers})

    def log_lines(self):
        return self.log.read_text().splitlines()


@pytest.fixture(scope="module")
def production(django_db_setup, tmp_path_factory):
    """Collected static files and the environment both replicas start with."""
    static_root = tmp_path_factory.mktemp("staticfiles")
    env = production_env(
        DATABASE_URL=database_url_of_tests(),
        ALLOWED_HOSTS="localhost",
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
        STATIC_ROOT=str(static_root),
        WEB_CONCURRENCY="1",
        PYTHONUNBUFFERED="1",
    )
    collected = manage("collectstatic", "--noinput", env=env, timeout=120)
    assert collected.returncode == 0, collected.stderr
    return env


@pytest.fixture(scope="module")
def replicas(production, tmp_path_factory):
    """Two gunicorn servers, each as one container would start it."""
    servers, serving = [], []
    try:
        for name in ("web-1", "web-2"):
            port = free_port()
            log = tmp_path_factory.mktemp(name) / "stdout.log"
            with log.open("w") as out:
                servers.append(
                    subprocess.Popen(
                        [*GUNICORN, "--bind", f"127.0.0.1:{port}", "malmo_ks.wsgi"],
                        cwd=REPO,
                        env={**production, "PORT": str(port)},
                        stdout=out,
                        stderr=subprocess.STDOUT,
                    )
                )
            wait_until_serving(servers[-1], port, log)
            serving.append(Replica(port, log))
        yield serving
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)


@pytest.fixture
def replica(replicas):
    return replicas[0]


def test_the_health_check_answers_over_plain_http_for_load_balancers(replica):
    status, _headers, body = fetch(replica.port, "/halsa/")
    assert status == 200
    assert json.loads(body) == {"status": "ok"}


def test_pages_asked_for_over_plain_http_are_sent_to_https(replica):
    status, headers, _body = fetch(replica.port, "/konto/logga-in/")
    assert status == 301
    assert headers["Location"] == "https://localhost/konto/logga-in/"


def test_pages_over_https_carry_the_security_headers(replica):
    status, headers, _body = replica.get("/konto/logga-in/")
    assert status == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    csrf = cookies(headers)["csrftoken"]
    assert csrf["secure"] and csrf["httponly"]


def test_static_files_are_hashed_compressed_and_cached_for_good(replica):
    _status, _headers, page = replica.get("/konto/logga-in/")
    stylesheet = re.search(rb'href="(/static/css/register\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "the page links the hashed stylesheet"
    status, headers, _body = replica.get(stylesheet[1].decode(), **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"]


def test_a_user_logged_in_on_one_replica_carries_on_on_the_other(replicas, transactional_db):
    user = get_user_model().objects.create_user("replikan", first_name="Rita", last_name="Replik")
    # The servers use Django's default hasher; the tests' fast one is unknown to them.
    user.password = PBKDF2PasswordHasher().encode("ett långt lösenord", "saltsalt")
    user.save()
    user.groups.add(Group.objects.get(name=roles.HANDLAGGARE))
    first, second = replicas

    _status, headers, page = first.get("/konto/logga-in/")
    csrf_cookie = cookies(headers)["csrftoken"].value
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1].decode()
    status, headers, _body = fetch(
        first.port,
        "/konto/logga-in/",
        method="POST",
        headers={
            **VIA_PROXY,
            "Cookie": f"csrftoken={csrf_cookie}",
            "Referer": "https://localhost/konto/logga-in/",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body=urlencode(
            {"csrfmiddlewaretoken": token, "username": "replikan", "password": "ett långt lösenord"}
        ),
    )
    assert status == 302
    session = cookies(headers)["sessionid"]
    assert session["secure"] and session["httponly"] and not session["max-age"]

    status, _headers, page = second.get("/uppdrag/", Cookie=f"sessionid={session.value}")
    assert status == 200
    assert "Rita Replik" in page.decode()


def test_the_containers_health_check_passes_against_a_serving_replica(replica, production):
    check = [sys.executable, "docker/healthcheck.py"]
    serving = subprocess.run(
        check, check=False, cwd=REPO, env={**production, "PORT": str(replica.port)}, timeout=30
    )
    silent = subprocess.run(
        check,
        check=False,
        cwd=REPO,
        env={**production, "PORT": str(free_port())},
        capture_output=True,
    )
    assert serving.returncode == 0
    assert silent.returncode == 1


def test_everything_the_server_prints_is_a_json_line(replica):
    replica.get("/halsa/")
    entries = [json.loads(line) for line in replica.log_lines()]
    assert {"gunicorn.error", "malmo_ks.requests"} <= {entry["logger"] for entry in entries}
    health = [e for e in entries if e["event"] == "request" and e["path"] == "/halsa/"]
    assert health[-1]["status"] == 200


def test_the_server_refuses_to_start_with_debug_on(production):
    def check_config(**env):
        return subprocess.run(
            [*GUNICORN, "--check-config", "malmo_ks.wsgi"],
            check=False,
            cwd=REPO,
            env={**production, **env},
            capture_output=True,
            text=True,
            timeout=60,
        )

    assert check_config().returncode == 0
    refused = check_config(DEBUG="true")
    assert refused.returncode != 0
    assert "DEBUG is on: the container serves production only." in refused.stderr + refused.stdout
