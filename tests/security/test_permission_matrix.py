"""Who may open and who may post every URL of the project, checked against one table.

The URLs come from the resolver, not from a list kept by hand: a view added later
without a line in PERMISSIONS fails here until someone decides who may use it.
"""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from budget.models import AccountClass, BudgetRow
from tests.factories import make_assignment, make_meeting, set_up
from tests.notifications.people import calendar_token_of_a_reader
from tests.security.state import row_counts

pytestmark = pytest.mark.django_db

ANONYMOUS, POLITICIAN, OFFICER, ADMIN = "anonym", "politiker", "handläggare", "administratör"
SIGNED_IN = frozenset({POLITICIAN, OFFICER, ADMIN})
READERS = SIGNED_IN
WRITERS = frozenset({OFFICER, ADMIN})
ADMINS = frozenset({ADMIN})
NOBODY = frozenset()
EVERYONE = SIGNED_IN | {ANONYMOUS}
# The method is refused with 405 for everyone who gets past the login.
GET_ONLY = "GET only"
POST_ONLY = "POST only"

# url name -> (who may GET, who may POST). Everyone else is refused: anonymous
# visitors are sent to the login, signed-in people get 403 (the admin sends
# non-staff to its own login page instead). An empty POST by someone allowed
# is answered with the form and its errors: it must never write either.
# list, detail and changes are GET only like every other read page: a POST there
# is not a request the app understands (they answered it with the page).
PERMISSIONS = {
    "health": (EVERYONE, GET_ONLY),
    "login": (EVERYONE, EVERYONE),
    "logout": (NOBODY, EVERYONE),
    # Sign-in with the city's identity provider; without one set up (as here) both send
    # everyone to the login page (tests/signin walk them with a provider).
    "oidc_login": (EVERYONE, GET_ONLY),
    "oidc_callback": (EVERYONE, GET_ONLY),
    "admin:index": (ADMINS, ADMINS),
    "admin:assignments_assignment_changelist": (ADMINS, ADMINS),
    "admin:assignments_assignment_change": (ADMINS, ADMINS),
    # Registered records are corrected, never deleted: not even by an administrator.
    "admin:assignments_assignment_delete": (NOBODY, NOBODY),
    "reports:overview": (READERS, GET_ONLY),
    "assignments:list": (READERS, GET_ONLY),
    "assignments:detail": (READERS, GET_ONLY),
    "reports:changes": (READERS, GET_ONLY),
    "assignments:export": (READERS, GET_ONLY),
    "reports:compilation": (READERS, GET_ONLY),
    "reports:compilation_xlsx": (READERS, GET_ONLY),
    "reports:compilation_pdf": (READERS, GET_ONLY),
    "reports:compilation_docx": (READERS, GET_ONLY),
    "assignments:create": (WRITERS, WRITERS),
    "assignments:edit": (WRITERS, WRITERS),
    "assignments:change_status": (WRITERS, WRITERS),
    "assignments:add_report": (WRITERS, WRITERS),
    "assignments:add_treatment": (WRITERS, WRITERS),
    "assignments:move_deadline": (WRITERS, WRITERS),
    "assignments:reopen": (ADMINS, ADMINS),
    "imports:upload": (ADMINS, ADMINS),
    "imports:preview": (ADMINS, ADMINS),
    # The meeting plan: everyone reads it; administrators enter it, by hand or from a file.
    "assignments:meetings": (READERS, GET_ONLY),
    "assignments:meeting": (READERS, GET_ONLY),
    "assignments:create_meeting": (ADMINS, ADMINS),
    # A held meeting's decisions for several assignments at once, as the status page's.
    "assignments:meeting_decisions": (WRITERS, WRITERS),
    "imports:meeting_plan": (ADMINS, ADMINS),
    "imports:meeting_plan_preview": (ADMINS, ADMINS),
    "budget:index": (READERS, GET_ONLY),
    "budget:export": (READERS, GET_ONLY),
    "budget:create_row": (WRITERS, WRITERS),
    "budget:edit_row": (WRITERS, WRITERS),
    # Following an assignment needs no more than reading it; a button, so POST only.
    "notifications:subscribe": (POST_ONLY, READERS),
    "notifications:preferences": (READERS, READERS),
    "notifications:renew_calendar": (POST_ONLY, READERS),
    # Outlook fetches the feed without a session: the token in its address is the key.
    "notifications:calendar": (EVERYONE, GET_ONLY),
    # The read-only API (issue 17): readers of the register (and token clients,
    # tests/api/); no session is sent to a login page, it gets 401 in JSON. Open data
    # (OPEN_DATA) is off here; tests/api/test_api_access.py covers it.
    "api:documentation": (EVERYONE, GET_ONLY),
    "api:schema": (EVERYONE, GET_ONLY),
    "api:assignments": (READERS, GET_ONLY),
    "api:assignments_csv": (READERS, GET_ONLY),
    "api:assignment": (READERS, GET_ONLY),
    "api:meetings": (READERS, GET_ONLY),
    "api:budget_rows": (READERS, GET_ONLY),
    "api:budget_rows_csv": (READERS, GET_ONLY),
    "api:counts": (READERS, GET_ONLY),
    "api:changes": (READERS, GET_ONLY),
}

# Not walked, and why:
# - the rest of admin/: Django's own admin machinery (login, password change,
#   jsi18n, autocomplete, history, the other models' pages) is Django's, tested by
#   Django; tests/foundation/test_admin.py covers every model's admin pages. The
#   admin index and the assignment's changelist, change and delete pages stand
#   for the admin here.
# - set_language: Django's language switch; it writes no data, only sets the
#   language cookie (tests/interface/test_languages.py).
# - static files: served by WhiteNoise outside the URL resolver.
WALKED_ADMIN = {
    "admin:index",
    "admin:assignments_assignment_changelist",
    "admin:assignments_assignment_change",
    "admin:assignments_assignment_delete",
}
SKIPPED = {"set_language"}
# Open without signing in.
OPEN = {
    "health", "login", "notifications:calendar", "oidc_login", "oidc_callback",
    "api:documentation", "api:schema",
}
SIGN_IN = {"oidc_login", "oidc_callback"}
# The API answers those it does not know with 401 in JSON, not with the login page.
API = "api:"

LOGIN_URL = "/konto/logga-in/"
ADMIN_LOGIN_URL = "/admin/login/"


def _url_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in [namespace, pattern.namespace] if part)
            yield from _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
            yield name, set(getattr(pattern.pattern, "converters", {}))


def walked_urls():
    """Every URL name of the project with its path parameters, minus admin internals and SKIPPED."""
    return {
        name: parameters
        for name, parameters in _url_names(get_resolver().url_patterns)
        if name not in SKIPPED and (not name.startswith("admin:") or name in WALKED_ADMIN)
    }


def _world():
    """The objects path parameters point at: one assignment, one budget row, one meeting,
    and the calendar token of a reader (whose feed anyone holding the address may fetch)."""
    assignment = make_assignment()
    row = BudgetRow(
        year=2016, name="Projekt", account_class=AccountClass.COSTS, budget=Decimal(1000)
    )
    with set_up():
        row.save()
    return {
        "pk": assignment.pk,
        "row": row.pk,
        "meeting": make_meeting().pk,
        "token": calendar_token_of_a_reader(),
    }


def concrete_urls(name, parameters, world):
    """The URLs of `name` with real objects; exports in each of their formats."""
    if "fmt" in parameters:
        return [reverse(name, kwargs={"fmt": fmt}) for fmt in ("csv", "xlsx")]
    objects = {"pk": world["row"] if name.startswith("budget:") else world["pk"]}
    if name in ("assignments:meeting", "assignments:meeting_decisions"):
        objects["pk"] = world["meeting"]
    objects["object_id"] = world["pk"]
    objects["token"] = world["token"]
    unknown = parameters - objects.keys()
    assert not unknown, f"{name}: say which object fills {unknown}"
    return [reverse(name, kwargs={key: objects[key] for key in parameters})]


def expected(name, role, method):
    """What `role` should get: "allowed", "login", "admin login", "403" or "405"."""
    may_get, may_post = PERMISSIONS[name]
    allowed = may_get if method == "GET" else may_post
    if role == ANONYMOUS and name.startswith(API) and name not in OPEN:
        return "401"
    if role == ANONYMOUS and name not in OPEN:
        # Django's admin index guards itself and sends visitors to the admin's login.
        return "admin login" if name == "admin:index" else "login"
    if name == "logout":
        # Signing out is a POST, and its answer is the login page.
        return "login" if method == "POST" else "405"
    if name in SIGN_IN and method == "GET":
        return "login"
    if allowed in (GET_ONLY, POST_ONLY):
        return "405"
    if role in allowed:
        return "allowed"
    if name.startswith("admin:") and role != ADMIN:
        return "admin login"
    return "403"


def outcome(response):
    if response.status_code == 200:
        return "allowed"
    if response.status_code == 302:
        target = response.headers["Location"]
        if target.startswith(LOGIN_URL):
            return "login"
        if target.startswith(ADMIN_LOGIN_URL):
            return "admin login"
        return "allowed"
    return str(response.status_code)


@pytest.fixture
def personas(politiker, handlaggare, administrator):
    return {ANONYMOUS: None, POLITICIAN: politiker, OFFICER: handlaggare, ADMIN: administrator}


def test_every_url_of_the_project_is_in_the_table():
    walked = set(walked_urls())
    assert walked - PERMISSIONS.keys() == set(), "new views need a line in PERMISSIONS"
    assert PERMISSIONS.keys() - walked == set(), "the table names URLs that are gone"


@pytest.mark.parametrize(("name", "parameters"), walked_urls().items(), ids=list(walked_urls()))
def test_each_url_answers_each_role_as_the_table_says_and_writes_nothing(
    name, parameters, personas
):
    assert name in PERMISSIONS, f"{name} is not in PERMISSIONS"
    wrong, writes = [], []
    for url in concrete_urls(name, parameters, _world()):
        for role, user in personas.items():
            for method in ("GET", "POST"):
                client = Client()
                if user is not None:
                    client.force_login(user)
                before = row_counts()
                response = getattr(client, method.lower())(url)
                got, want = outcome(response), expected(name, role, method)
                if got != want:
                    wrong.append(f"{method} {url} as {role}: {got}, expected {want}")
                if row_counts() != before:
                    writes.append(f"{method} {url} as {role} changed the database")
    assert wrong == []
    assert writes == []
