"""Random and hostile input to every form and query parameter: refused or saved, never a 500.

A refused post writes nothing (all row counts unchanged), and a script typed
anywhere is shown as text, never as markup, on the answer and on the assignment's page.
"""

from datetime import date

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from assignments.models import Meeting
from budget.models import AccountClass, BudgetRow
from tests.factories import make_assignment, set_up
from tests.register.test_workflow import edit_data, status_data
from tests.security.state import row_counts

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('xss')</script>"
HOSTILE = [
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "' OR 1=1 --",
    "'; DROP TABLE assignments_assignment; --",
    "\x00",
    "STK-2014-\x00501",
    "\x01\x07\x1b[31m\x7f",
    "0000-00-00",
    "99999-01-01",
    "2016-02-30",
    "-1",
    "1e309",
    "9" * 40,
    "-" + "9" * 40,
    "NaN",
    "x" * 5000,
    "\u202eevil",
    "%00",
    "[]",
    "{}",
    "",
]
# Text as a form can send it: anything but lone surrogates, which no browser encodes.
ANY_TEXT = st.text(st.characters(blacklist_categories=["Cs"]), max_size=200)
VALUE = st.one_of(
    st.sampled_from(HOSTILE),
    ANY_TEXT,
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.tuples(st.sampled_from(HOSTILE), ANY_TEXT).map("".join),
)
# A wrong type as HTML forms know it: the field sent twice.
VALUES = st.one_of(VALUE, st.lists(VALUE, min_size=2, max_size=3))
# What once gave 500 in an address: digits other than ASCII ("²".isdigit() is
# true, int("²") fails) and real days at the ends of the calendar.
UNICODE_DIGITS = st.text(st.characters(whitelist_categories=["Nd", "No"]), min_size=1, max_size=4)
CALENDAR_DAYS = st.one_of(
    st.sampled_from(["0001-01-01", "1999-12-31", "9999-12-31"]), st.dates().map(date.isoformat)
)
QUERY_VALUES = st.one_of(VALUES, UNICODE_DIGITS, CALENDAR_DAYS)
FAST = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def hostile(fields, values=VALUES):
    """Between one and four of `fields` (or unknown ones) with hostile values."""
    return st.dictionaries(st.sampled_from([*fields, "okand"]), values, min_size=1, max_size=4)


@pytest.fixture
def signed_in(client, administrator):
    """An administrator may use every form, so no answer is a 403 that tests nothing."""
    client.force_login(administrator)
    return client


@pytest.fixture
def assignment(db):
    return make_assignment(title="Uppdrag under angrepp")


def assert_safe(response):
    """Answered or refused (400 is how the exports refuse bad filters), and no live script.

    A streamed export is read to its end: a failure half-way is a 500 the status hides.
    """
    assert response.status_code in (200, 302, 400), response.status_code
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.headers.get("Content-Type", "").startswith("text/html"):
        assert SCRIPT.encode() not in body


def post_hostile(client, url, data, assignment):
    """Post `data`; a refusal writes nothing, an acceptance shows the input escaped."""
    before = row_counts()
    response = client.post(url, data)
    assert_safe(response)
    if response.status_code != 302:
        assert row_counts() == before, "a refused post wrote to the database"
    elif assignment is not None:
        assert_safe(client.get(reverse("assignments:detail", args=[assignment.pk])))


def new_assignment_data(assignment):
    data = edit_data(assignment, reference="STK-2016-901", planned_completion="2017-12-31")
    del data["version"]
    return data


def deadline_data(assignment):
    return {"new_date": "2018-12-31", "reason": "Försenat", "version": assignment.version}


def report_data(assignment):
    return {"report_date": "2016-10-01", "text": "Arbetet pågår.", "reason": ""}


def treatment_data(assignment):
    return {
        "body": Meeting.Body.KS,
        "meeting_date": "2016-11-02",
        "paragraph": "312",
        "reference": "",
        "summary": "",
        "reason": "",
    }


def meeting_data(assignment):
    return {"body": "KS", "committee": "", "date": "2016-11-02", "protocol_reference": "",
            "reason": ""}


def budget_row_data(assignment, version=1):
    return {
        "version": version,
        "year": "2016",
        "name": "Projekt",
        "account_class": AccountClass.COSTS,
        "budget": "1000",
        "outcome": "",
        "assignments": [assignment.pk],
        "reason": "",
    }


# url name -> what the form posts back for the stored assignment.
FORMS = {
    "assignments:create": new_assignment_data,
    "assignments:edit": edit_data,
    "assignments:change_status": status_data,
    "assignments:add_report": report_data,
    "assignments:add_treatment": treatment_data,
    "assignments:move_deadline": deadline_data,
    "assignments:reopen": lambda assignment: {"reason": "Fel", "version": assignment.version},
    "budget:create_row": budget_row_data,
    "assignments:create_meeting": meeting_data,
}
EXTRA_FIELDS = {
    "assignments:change_status": ["outcome", "follow_up_owner", "report", "body_unit"],
    "assignments:move_deadline": ["new_is_year"],
}


def form_url(name, assignment):
    if name in {"assignments:create", "budget:create_row", "assignments:create_meeting"}:
        return reverse(name)
    return reverse(name, args=[assignment.pk])


@pytest.mark.parametrize("name", FORMS)
def test_a_hostile_post_to_a_form_is_refused_cleanly_or_saved_escaped(name, signed_in, assignment):
    valid = FORMS[name]

    # Every form has a reason: NUL and script are tried there on every run, not by chance.
    @FAST
    @given(data=hostile([*valid(assignment), *EXTRA_FIELDS.get(name, [])]))
    @example(data={"reason": f"Orsak\x00{SCRIPT}"})
    def post(data):
        assignment.refresh_from_db()
        post_hostile(signed_in, form_url(name, assignment), valid(assignment) | data, assignment)

    post()


def test_a_hostile_post_to_the_budget_row_edit_form_is_refused_cleanly(signed_in, assignment):
    row = BudgetRow(year=2016, name="Projekt", account_class=AccountClass.COSTS, budget=1000)
    with set_up():
        row.save_tracked(user=None)
    url = reverse("budget:edit_row", args=[row.pk])

    @FAST
    @given(data=hostile(list(budget_row_data(assignment))))
    @example(data={"name": SCRIPT, "reason": f"Orsak\x00{SCRIPT}"})
    def post(data):
        row.refresh_from_db()
        post_hostile(signed_in, url, budget_row_data(assignment, row.version) | data, None)
        assert_safe(signed_in.get(reverse("budget:index") + "?ar=2016"))

    post()


def test_a_hostile_meeting_is_refused_cleanly_or_shown_escaped_in_the_plan(
    signed_in, assignment
):
    @FAST
    @given(data=hostile(list(meeting_data(assignment))))
    @example(data={"protocol_reference": SCRIPT, "reason": f"Orsak\x00{SCRIPT}"})
    def post(data):
        post_hostile(signed_in, reverse("assignments:create_meeting"),
                     meeting_data(assignment) | data, None)
        assert_safe(signed_in.get(reverse("assignments:meetings") + "?ar=2016"))

    post()


LIST_PARAMS = [
    "q",
    "status",
    "enhet",
    "omrade",
    "beslutsar",
    "avslutsar",
    "forsenade",
    "utan_rapport",
    "bedomning",
    "sortering",
    "sida",
    "per",
]
# url name (and its arguments) -> the query parameters it reads.
PAGES = {
    ("assignments:list", ()): LIST_PARAMS,
    ("assignments:export", ("csv",)): LIST_PARAMS,
    ("assignments:export", ("xlsx",)): LIST_PARAMS,
    ("reports:overview", ()): ["utan_rapport", "per"],
    ("assignments:detail", ("pk",)): ["per"],
    ("reports:changes", ()): ["sedan", "till"],
    ("reports:compilation", ()): ["per", "jamfor"],
    ("reports:compilation_xlsx", ()): ["per", "jamfor"],
    ("reports:compilation_pdf", ()): ["per", "jamfor"],
    ("reports:compilation_docx", ()): ["per", "jamfor"],
    ("budget:index", ()): ["ar"],
    ("budget:export", ("csv",)): ["ar"],
    ("budget:export", ("xlsx",)): ["ar"],
    ("budget:create_row", ()): ["ar"],
}


@pytest.mark.parametrize(("page", "params"), PAGES.items(), ids=lambda p: str(p))
def test_hostile_query_parameters_never_break_a_page_or_write(page, params, signed_in, assignment):
    name, args = page
    url = reverse(name, args=[assignment.pk if arg == "pk" else arg for arg in args])

    @FAST
    @given(query=hostile(params, QUERY_VALUES))
    @example(query={params[0]: f"\x00{SCRIPT}"})
    @example(query=dict.fromkeys(params, "²"))
    @example(query=dict.fromkeys(params, "0001-01-01"))
    @example(query=dict.fromkeys(params, "9999-12-31"))
    def visit(query):
        before = row_counts()
        response = signed_in.get(url, query)
        if response.status_code == 404 and name == "assignments:detail":
            # A day of the register's era before the assignment was registered: the
            # page's own answer (tests/register/test_detail.py), never a broken one.
            assert "Uppdraget var inte registrerat" in response.content.decode()
        else:
            assert_safe(response)
        assert row_counts() == before

    visit()
