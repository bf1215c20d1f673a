"""Timing pages in-process (Django's test client) and over HTTP (gunicorn), with query counts.

Every loop is bounded twice, by a number of requests and by seconds, so a slow
page costs the run a known amount of time. The first request of each page is
not timed: it fills Django's template and translation caches and PostgreSQL's
buffers, which a running server has long since done.
"""

import socket
import statistics
import time
import tracemalloc
from dataclasses import dataclass, field

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .pages import Page


@dataclass(frozen=True)
class Budget:
    """How many timed requests a page gets, and for how long at most."""

    requests: int
    seconds: float


@dataclass
class Timing:
    """Latencies of one page in milliseconds; `error` when the page could not be timed."""

    samples: list[float] = field(default_factory=list)
    error: str = ""

    @property
    def median(self):
        return statistics.median(self.samples) if self.samples else None

    @property
    def p95(self):
        if len(self.samples) < 2:
            return self.median
        return statistics.quantiles(self.samples, n=20, method="inclusive")[18]

    def summary(self):
        return {
            "n": len(self.samples),
            "median_ms": _round(self.median),
            "p95_ms": _round(self.p95),
            "error": self.error,
        }


def _round(value):
    return None if value is None else round(value, 2)


def _timed(budget, request_once, floor_once=None):
    """Call `request_once` until the budget's requests are made or its seconds spent.

    A page gets at least two requests when the budget allows two, however slow it is.
    With `floor_once`, the floor is requested twice before each of the page's requests
    and the second timed apart: the page and its floor then meet the same moments of
    a shared machine, so their ratio holds when the machine's speed drifts during a
    run. The first, untimed, takes what the page's previous request left behind
    (its garbage to collect, caches it emptied), which is the page's cost, not the
    floor's: timed right after a page, the floor took up to half as long again.
    """
    timing, floor = Timing(), Timing()
    started = time.perf_counter()
    while len(timing.samples) < budget.requests:
        if floor_once is not None:
            floor_once()
            before = time.perf_counter()
            floor_once()
            floor.samples.append((time.perf_counter() - before) * 1000)
        before = time.perf_counter()
        request_once()
        timing.samples.append((time.perf_counter() - before) * 1000)
        if len(timing.samples) >= 2 and time.perf_counter() - started > budget.seconds:
            break
    return timing, floor


class PageFailed(RuntimeError):
    pass


def _body_size(response):
    """Read the whole body as a browser would and return its size in bytes.

    A streamed export is read chunk by chunk and not kept, so that its memory
    measures the app's, not the reader's.
    """
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def _get(client, path):
    response = client.get(path)
    size = _body_size(response)
    if response.status_code != 200:
        raise PageFailed(f"{path} answered {response.status_code}")
    return size


class InProcess:
    """The app called through Django's test client: no network, no server, same process."""

    def __init__(self, users):
        self.clients = {}
        for persona, user in users.items():
            client = Client(raise_request_exception=True)
            client.force_login(user)
            self.clients[persona] = client

    def session_cookies(self):
        return {persona: client.cookies["sessionid"].value
                for persona, client in self.clients.items()}

    def warm_up(self, page):
        """One untimed request per address; returns the size of the first answer in bytes."""
        client = self.clients[page.persona]
        return min(_get(client, path) for path in page.paths)

    def queries(self, page):
        """SQL statements one request of the page runs (the first address)."""
        with CaptureQueriesContext(connection) as captured:
            _get(self.clients[page.persona], page.paths[0])
        return len(captured.captured_queries)

    def time(self, page, budget, floor=None):
        """The page's timing and, with `floor`, the floor's timed between its requests."""
        client = self.clients[page.persona]
        turn = iter(range(10**9))

        def request_once():
            _get(client, page.paths[next(turn) % len(page.paths)])

        def floor_once():
            _get(self.clients[floor.persona], floor.paths[0])

        return _timed(budget, request_once, floor_once if floor else None)

    def peak_memory(self, page, path):
        """Peak Python memory (KiB) while one request of `path` is made and its body read."""
        client = self.clients[page.persona]
        tracemalloc.start()
        try:
            size = _get(client, path)
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        return {"path": path, "bytes": size, "peak_kib": round(peak / 1024)}


class OverHttp:
    """The same pages from gunicorn on 127.0.0.1, one connection per request.

    The requests are HTTP/1.0, so a streamed export comes back as one plain
    stream rather than ten thousand chunks for Python to decode: the time is
    the server's, as a browser reading at full speed would see it.
    """

    def __init__(self, port, cookies, timeout=120):
        self.port = port
        self.cookies = cookies
        self.timeout = timeout

    def get(self, path, persona="handlaggare"):
        request = (
            f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{self.port}\r\n"
            f"Cookie: sessionid={self.cookies[persona]}\r\n\r\n"
        )
        received = []
        with socket.create_connection(("127.0.0.1", self.port), timeout=self.timeout) as conn:
            conn.sendall(request.encode("ascii"))
            while chunk := conn.recv(65536):
                received.append(chunk)
        answer = b"".join(received)
        status_line = answer.split(b"\r\n", 1)[0].decode("latin-1")
        status = int(status_line.split()[1]) if len(status_line.split()) > 1 else 0
        if status != 200:
            raise PageFailed(f"{path} answered {status} over HTTP")
        return len(answer)

    def warm_up(self, page):
        for path in page.paths:
            self.get(path, page.persona)

    def time(self, page, budget, floor=None):
        """The page's timing and, with `floor`, the floor's timed between its requests."""
        turn = iter(range(10**9))

        def request_once():
            self.get(page.paths[next(turn) % len(page.paths)], page.persona)

        def floor_once():
            self.get(floor.paths[0], floor.persona)

        return _timed(budget, request_once, floor_once if floor else None)


@dataclass
class Measured:
    """One page's figures at one size: its SQL statements, its answer and its timings."""

    page: Page
    queries: int
    size_bytes: int
    in_process: Timing
    http: Timing | None = None
    # The floor timed between this page's requests (empty for the references).
    in_process_floor: Timing = field(default_factory=Timing)
    http_floor: Timing = field(default_factory=Timing)

    def result(self):
        return {
            "label": self.page.label,
            "paths": list(self.page.paths),
            "persona": self.page.persona,
            "admin": self.page.admin,
            "reference": self.page.reference,
            "queries": self.queries,
            "bytes": self.size_bytes,
            "in_process": self.in_process.summary(),
            "http": self.http.summary() if self.http else None,
            "in_process_floor": self.in_process_floor.summary(),
            "http_floor": self.http_floor.summary(),
        }
