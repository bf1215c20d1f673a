"""A bounded load test: several handläggare reading and editing at once through gunicorn.

Each simulated user has its own session and mixes page reads with edits of a
small set of shared assignments, through the real edit form with its version
field, so that they collide. Afterwards every accepted edit must be in the
history exactly once and each assignment must hold its last accepted title: no
lost writes. Refused edits (someone else saved first) are expected; errors
(5xx, timeouts, unexpected statuses) must be zero.
"""

import http.client
import random
import re
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.test import Client

from assignments.models import Assignment

USERS = 4
REQUESTS_PER_USER = 60
MAX_SECONDS = 90
TARGETS = 5
WRITE_SHARE = 0.3
VERSION = re.compile(r'name="version" value="(\d+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CONFLICT = "Någon annan har sparat uppdraget"


@dataclass
class Tally:
    reads: int = 0
    accepted: list = field(default_factory=list)  # (assignment id, title)
    refused: int = 0
    errors: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _session_cookie(user):
    """Log in in-process; gunicorn reads the same session table and secret key."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _form_data(assignment, title, version, token):
    return {
        "reference": assignment.reference,
        "title": title,
        "description": assignment.description,
        "area": assignment.area_id,
        "responsible_unit": assignment.responsible_unit_id,
        "case_officer": assignment.case_officer_id or "",
        "decided_on": assignment.decided_on.isoformat(),
        "decision_reference": assignment.decision_reference,
        "decision_paragraph": assignment.decision_paragraph or "",
        "version": version,
        "reason": "Lasttest",
        "csrfmiddlewaretoken": token,
    }


class SimulatedUser(threading.Thread):
    def __init__(self, number, port, cookie, targets, tally, deadline):
        super().__init__(name=f"load-user-{number}")
        self.number, self.port, self.targets, self.tally = number, port, targets, tally
        self.deadline = deadline
        self.cookies = {settings.SESSION_COOKIE_NAME: cookie}
        self.random = random.Random(number)

    def request(self, method, path, body=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        connection.close()
        return response.status, text

    def run(self):
        for step in range(REQUESTS_PER_USER):
            if time.monotonic() > self.deadline:
                return
            try:
                if self.random.random() < WRITE_SHARE:
                    self.edit(step)
                else:
                    self.read()
            except OSError as error:
                self.record_error(f"{type(error).__name__}: {error}")

    def read(self):
        path = self.random.choice(
            [
                "/uppdrag/",
                "/uppdrag/?status=pagaende",
                f"/uppdrag/{self.random.choice(self.targets).pk}/",
            ]
        )
        status, _ = self.request("GET", path)
        if status != 200:
            self.record_error(f"GET {path} answered {status}")
        with self.tally.lock:
            self.tally.reads += 1

    def edit(self, step):
        assignment = self.random.choice(self.targets)
        path = f"/uppdrag/{assignment.pk}/andra/"
        status, page = self.request("GET", path)
        if status != 200:
            return self.record_error(f"GET {path} answered {status}")
        version, token = VERSION.search(page).group(1), CSRF.search(page).group(1)
        title = f"Lasttest {self.number}-{step}"
        body = urlencode(_form_data(assignment, title, version, token))
        status, page = self.request("POST", path, body)
        with self.tally.lock:
            if status == 302:
                self.tally.accepted.append((assignment.pk, title))
            elif status == 200 and CONFLICT in page:
                self.tally.refused += 1
            else:
                self.tally.errors.append(f"POST {path} answered {status}")

    def record_error(self, text):
        with self.tally.lock:
            self.tally.errors.append(text)


def lost_writes(tally, targets):
    """Accepted edits missing from the history, or not the final state of their assignment."""
    History = Assignment.history.model
    problems = []
    for pk, title in tally.accepted:
        if History.objects.filter(id=pk, title=title).count() != 1:
            problems.append(f"assignment {pk}: '{title}' not in the history exactly once")
    for assignment in targets:
        latest = (
            History.objects.filter(id=assignment.pk)
            .order_by("-history_date", "-history_id")
            .first()
        )
        stored = Assignment.objects.get(pk=assignment.pk)
        if latest.title != stored.title:
            problems.append(f"assignment {assignment.pk}: stored title is not its latest version")
    return problems


def run_load(port, officer):
    """Drive the server at `port` as `officer`'s sessions; return the figures and any problems."""
    targets = list(
        Assignment.objects.exclude(status=Assignment.Status.CLOSED).order_by("pk")[:TARGETS]
    )
    tally = Tally()
    deadline = time.monotonic() + MAX_SECONDS
    users = [
        SimulatedUser(number, port, _session_cookie(officer), targets, tally, deadline)
        for number in range(USERS)
    ]
    started = time.monotonic()
    for user in users:
        user.start()
    for user in users:
        user.join()
    seconds = time.monotonic() - started
    lost = lost_writes(tally, targets)
    return {
        "users": USERS,
        "seconds": round(seconds, 1),
        "reads": tally.reads,
        "accepted_writes": len(tally.accepted),
        "refused_writes": tally.refused,
        "errors": tally.errors,
        "lost_writes": lost,
    }
