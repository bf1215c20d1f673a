"""The assignment page says in words when the assignment is overdue, today or at a past day."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assignments.models import Assignment
from demo.register import moment
from tests.factories import make_assignment, make_closed_assignment

from .reading import visible_text
from .test_detail import busy_assignment, detail_url, live_through

NOTICE = re.compile(r'<p class="overdue-notice">(.*?)</p>', re.DOTALL)


def overdue_notice(response):
    """The sentence by the status that says the assignment is overdue, as markup; None without.

    """
    found = NOTICE.search(response.content.decode())
    return None if found is None else found[1]


@pytest.fixture
def reader(client, politiker):
    client.force_login(politiker)
    return client


def test_an_open_assignment_past_its_planned_completion_is_marked_overdue(reader):
    assignment = make_assignment(planned_completion=date(2017, 6, 30))
    response = reader.get(detail_url(assignment))
    assert "Planerat avslut 2017-06-30 Försenad" in visible_text(response)
    assert '<span class="flag-overdue">Försenad</span>' in overdue_notice(response)
    assert (
        "Det planerade avslutet har passerat och uppdraget är inte avslutat."
        in visible_text(response)
    )


def test_a_year_of_completion_is_overdue_once_the_year_is_over(reader):
    assignment = make_assignment(planned_completion=date(2017, 12, 31),
                                 planned_completion_is_year=True)
    text = visible_text(reader.get(detail_url(assignment)))
    assert "Planerat avslut under 2017 Försenad" in text


def test_an_assignment_due_today_or_later_is_not_overdue(reader):
    today = timezone.localdate()
    for planned in (today, today + timedelta(days=30)):
        assignment = make_assignment(planned_completion=planned)
        response = reader.get(detail_url(assignment))
        text = visible_text(response)
        assert f"Planerat avslut {planned:%Y-%m-%d}" in text
        assert "Försenad" not in text
        assert overdue_notice(response) is None


def test_a_closed_assignment_is_never_overdue(reader):
    assignment = make_closed_assignment(planned_completion=date(2015, 12, 31))
    response = reader.get(detail_url(assignment))
    text = visible_text(response)
    assert "Status avslutad" in text
    assert "Försenad" not in text
    assert overdue_notice(response) is None


def test_a_past_day_is_judged_at_that_day(reader):
    assignment = make_assignment(planned_completion=date(2016, 6, 30), at=moment(date(2015, 1, 1)))

    before = reader.get(detail_url(assignment), {"per": "2016-06-30"})
    assert "Planerat avslut 2016-06-30" in visible_text(before)
    assert "Försenad" not in visible_text(before)
    assert overdue_notice(before) is None

    after = reader.get(detail_url(assignment), {"per": "2016-07-01"})
    assert "Planerat avslut 2016-06-30 Försenad" in visible_text(after)
    assert "2016-07-01" in overdue_notice(after)
    assert (
        "Den 2016-07-01 hade det planerade avslutet passerat och uppdraget var inte avslutat."
        in visible_text(after)
    )


def test_a_past_day_before_it_was_closed_shows_it_overdue_then(reader):
    assignment = make_closed_assignment(planned_completion=date(2015, 12, 31),
                                        at=moment(date(2015, 1, 1)))
    assert assignment.status == Assignment.Status.CLOSED
    # Closed today: on a past day after its planned completion it was open and overdue.
    past = reader.get(detail_url(assignment), {"per": "2016-03-01"})
    assert "Status pågående" in visible_text(past)
    assert "Planerat avslut 2015-12-31 Försenad" in visible_text(past)
    assert "2016-03-01" in overdue_notice(past)


@pytest.mark.parametrize("per", [None, "2015-12-31"], ids=["today", "a past day"])
def test_the_flag_is_asked_in_the_queries_that_fetch_the_assignment(client, handlaggare, per):
    """No query of its own: the page's query count stays as it was (see test_detail)."""
    assignment = busy_assignment(handlaggare)
    live_through(assignment, handlaggare, range(3))  # moves the planned completion to 2016-01-04
    client.force_login(handlaggare)
    params = {"per": per} if per else {}
    with CaptureQueriesContext(connection) as queries:
        text = visible_text(client.get(detail_url(assignment), params))
    asking = [query for query in queries.captured_queries if '"is_overdue"' in query["sql"]]
    # Today's assignment (for the right to see it) and, at a past day, its version then.
    assert len(asking) == (1 if per is None else 2)
    assert ("Försenad" in text) is (per is None)
