"""The test identity provider: tests/oidc_provider (Node's oidc-provider), started on 127.0.0.1.

Its packages are installed from package-lock.json (`npm ci`) the first time, as
`make test` runs on a clean clone. `sign_in()` drives the whole flow over HTTP:
the register's sign-in page, the provider's login page, and the register's callback,
which exchanges the code for the tokens at the provider (a real HTTP call).
"""

import contextlib
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from django.test import override_settings
from django.urls import reverse

PROVIDER_DIR = Path(__file__).resolve().parents[1] / "oidc_provider"
CLIENT_ID = "uppdragsregistret"
CLIENT_SECRET = "test-client-secret"
ROLE_GROUPS = [
    "Handläggare=grp-ks-handlaggare",
    "Förtroendevald=grp-ks-politiker",
    "Administratör=grp-ks-admin",
]


def _install():
    if (PROVIDER_DIR / "node_modules" / "oidc-provider").exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is missing: run `bash scripts/ensure-system-packages` (or `make test`).")
    subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--prefix", str(PROVIDER_DIR)],
        check=True,
        capture_output=True,
        timeout=600,
    )


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Provider:
    issuer: str

    def settings(self, **extra):
        """The register's settings for this provider, as override_settings takes them."""
        return override_settings(
            OIDC_ISSUER=self.issuer,
            OIDC_CLIENT_ID=CLIENT_ID,
            OIDC_CLIENT_SECRET=CLIENT_SECRET,
            OIDC_ROLE_GROUPS=ROLE_GROUPS,
            **extra,
        )

    def _post(self, path, payload):
        request = urllib.request.Request(
            f"{self.issuer}{path}",
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200

    def set_groups(self, person, groups):
        """IT moves `person` between groups at the provider."""
        self._post(f"/__test__/people/{person}", {"groups": groups})

    def change_next_id_token(self, **claims):
        """The next ID token is re-signed with the provider's key with these claims changed."""
        self._post("/__test__/next-id-token", claims)


@contextlib.contextmanager
def running_provider(site):
    """A provider whose client may return to `site` (e.g. http://testserver)."""
    _install()
    port = _free_port()
    environment = {
        **os.environ,
        "PORT": str(port),
        "REDIRECT_URIS": f"{site}/oidc/callback/",
        "POST_LOGOUT_REDIRECT_URIS": f"{site}/konto/logga-in/",
    }
    process = subprocess.Popen(
        ["node", "server.mjs"],
        cwd=PROVIDER_DIR,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    provider = Provider(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(
                    f"{provider.issuer}/.well-known/openid-configuration", timeout=2
                ).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    pytest.fail(f"the test provider did not start: {process.stderr.read()!r}")
                time.sleep(0.1)
        yield provider
    finally:
        process.terminate()
        process.wait(timeout=10)


def log_in_at_provider(authorize_url, person, site):
    """The person signs in at the provider; returns the callback URL it sends them back to."""
    browser = requests.Session()
    url = authorize_url
    for _ in range(10):
        if url.startswith(site):
            return url
        if urlsplit(url).path.startswith("/interaction/"):
            browser.get(url, timeout=10).raise_for_status()
            response = browser.post(url, data={"username": person}, allow_redirects=False)
        else:
            response = browser.get(url, allow_redirects=False, timeout=10)
        assert response.status_code in (302, 303), response.text
        url = urljoin(url, response.headers["Location"])
    raise AssertionError(f"the provider never sent the browser back: {url}")


def sign_in(client, person, *, next_url=None, change_state=None):
    """`person` signs in through the provider in `client`; returns the callback's response."""
    start = reverse("oidc_login") + (f"?next={next_url}" if next_url else "")
    response = client.get(start)
    assert response.status_code == 302, response
    callback = log_in_at_provider(response["Location"], person, "http://testserver")
    parts = urlsplit(callback)
    query = parts.query
    if change_state:
        query = query.replace("state=", f"state={change_state}", 1)
    return client.get(f"{parts.path}?{query}")


@pytest.fixture(scope="session")
def oidc_provider():
    with running_provider("http://testserver") as provider:
        yield provider


@pytest.fixture
def oidc(oidc_provider):
    """The register set up for the test provider, with local login off as in production."""
    from malmo_ks import signin

    signin._discovered.clear()
    with oidc_provider.settings(LOCAL_LOGIN=False):
        yield oidc_provider
