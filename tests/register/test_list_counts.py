"""The list's counts per status: the whole register's from the daily counts, a filter's exact."""

import re
from datetime import date, datetime, time

import pytest
from django.utils import timezone

from assignments.daily_counts import forget_from
from assignments.models import Assignment, DailyStatusCount
from assignments.querysets import count_by_status
from assignments.selectors import register_at
from tests.factories import ks_treatment, make_assignment
from tests.query_counts import queries_made

from .reading import visible_text

URL = "/uppdrag/"
COUNTS = re.compile(r"pågående (\d+) lägesrapport (\d+) avslutad (\d+)")
PAST_DAYS = [date(2016, 6, 30), date(2016, 12, 31), date(2017, 6, 30)]


@pytest.fixture
def staff_client(client, handlaggare):
    client.force_login(handlaggare)
    return client


def shown_counts(response):
    """{status: count} as the page shows them, and the total it says it found."""
    text = visible_text(response)
    counts = dict(zip(Assignment.Status.values, map(int, COUNTS.search(text).groups())))
    total = int(re.search(r"(\d+) uppdrag", text)[1])
    return counts, total


def the_register(day=None):
    """The counts by an aggregate over the register itself: today's table, or the history."""
    if day is None:
        return Assignment.objects.count_by_status()
    return count_by_status(register_at(day))


def assert_the_list_shows_the_register(client):
    for day in [None, *PAST_DAYS]:
        response = client.get(URL, {"per": day.isoformat()} if day else {})
        expected = the_register(day)
        assert shown_counts(response) == (expected, sum(expected.values())), day


def back_dated_status_change(user):
    """An assignment ongoing in the autumn of 2016 reported on at KS 2016-11-02, registered now."""
    ongoing_then = register_at(date(2016, 10, 1)).filter(status="pagaende").values("id")
    assignment = Assignment.objects.filter(status="pagaende", id__in=ongoing_then).first()
    assignment.report_status(
        ks_treatment(date(2016, 11, 2), paragraph=999), user=user, reason="Efterregistrerad",
        at=timezone.make_aware(datetime.combine(date(2016, 11, 2), time(10))),
    )


def test_the_unfiltered_list_counts_the_register_today_and_at_past_days(staff_client, demo):
    assert DailyStatusCount.objects.exists()
    assert_the_list_shows_the_register(staff_client)
    counts, _total = shown_counts(staff_client.get(URL, {"per": "2016-12-31"}))
    assert counts == {"pagaende": 4, "lagesrapport": 8, "avslutad": 19}


def test_a_back_dated_status_change_shows_at_once_today_and_at_its_day(
    staff_client, demo, handlaggare
):
    before = shown_counts(staff_client.get(URL, {"per": "2016-12-31"}))[0]
    back_dated_status_change(handlaggare)
    after = shown_counts(staff_client.get(URL, {"per": "2016-12-31"}))[0]
    assert after["lagesrapport"] == before["lagesrapport"] + 1
    assert_the_list_shows_the_register(staff_client)


def test_an_empty_daily_table_gives_the_same_counts(staff_client, demo, handlaggare):
    DailyStatusCount.objects.all().delete()
    back_dated_status_change(handlaggare)
    assert_the_list_shows_the_register(staff_client)


def test_a_daily_table_that_stops_early_gives_the_same_counts(staff_client, demo, handlaggare):
    """Nightly rebuilds missed since mid-2016, then new assignments registered today."""
    forget_from(date(2016, 7, 1))
    make_assignment(reference="STK-2026-1")
    make_assignment(reference="STK-2026-2")
    assert_the_list_shows_the_register(staff_client)


def test_the_unfiltered_list_reads_no_aggregate_over_the_assignments(staff_client, demo):
    for params in [{}, {"per": "2016-12-31"}, {"sortering": "-titel"}, {"beslutsar": "tjugo"}]:
        _response, queries = queries_made(lambda: staff_client.get(URL, params))
        assert not [sql for sql in queries if "FILTER (WHERE" in sql], params


@pytest.mark.parametrize(
    "params",
    [{"status": "avslutad"}, {"q": "barn"}, {"per": "2016-12-31", "q": "barn"},
     {"per": "2017-12-31", "forsenade": "ja"}, {"per": "2016-12-31", "beslutsar": "2014"}],
)
def test_a_filtered_list_counts_exactly_the_rows_it_shows(staff_client, demo, params):
    """The demo register fits on one page: every row the filter finds is shown."""
    response = staff_client.get(URL, params)
    badges = re.findall(r'<td><span class="badge badge-(\w+)">', response.content.decode())
    counts, total = shown_counts(response)
    assert total == len(badges) > 0
    assert counts == {status: badges.count(status) for status in Assignment.Status.values}
