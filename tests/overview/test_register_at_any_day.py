"""The register at the end of any day, read through the interval tree of the history's
validity (malmo_ks.history.validity_fork): the overview's counts at a past day add up
the parts it gives (selectors.register_in_parts_at), on both databases."""

import functools
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import DateTimeField, Value
from django.urls import reverse
from django.utils import timezone

from assignments.models import Assignment, CommissionArea
from malmo_ks.history import (
    ActorHistory,
    ValidityFork,
    fork_path,
    in_fork_range,
    validity_fork,
)
from tests.factories import ks_treatment, make_area, make_assignment, make_status_report
from tests.overview.test_overview_page import assert_shows_count
from tests.register.test_list import shown_count

ZONE = "Europe/Stockholm"
MALMO = ZoneInfo(ZONE)
URL = reverse("reports:overview")


def held_at_the_end_of(day, began, ended):
    """The definition: begun before the day's end, not ended before it."""
    end = datetime.combine(day + timedelta(days=1), time.min, MALMO)
    return began < end and (ended is None or ended >= end)


@functools.cache
def path(day):
    return fork_path(day)


def found_in_the_parts(day, began, ended):
    """Whether versions_at_in_parts' conditions take the version, as written there."""
    end = datetime.combine(day + timedelta(days=1), time.min, MALMO)
    before, after = path(day)
    fork = validity_fork(began, ended, ZONE)
    if ended is None:
        return began < end
    return (fork in before and ended >= end) or (fork in after and began < end)


def intervals():
    """Versions begun at midnight, mid-morning and late evening of days around a new
    year and both changes of summer time, lasting from no time at all to years; and
    some before the tree's first day and after its last, where days are clamped."""
    starts = [
        datetime.combine(first + timedelta(days=offset), clock, MALMO)
        for first in (date(2015, 12, 20), date(2016, 3, 20), date(2016, 10, 25))
        for offset in range(12)
        for clock in (time(0, 0), time(0, 30), time(9, 0), time(23, 30))
    ]
    lengths = [timedelta(0), timedelta(hours=1), timedelta(days=1), timedelta(days=2),
               timedelta(days=40), timedelta(days=800)]
    for began in starts:
        yield began, None
        for length in lengths:
            yield began, began + length
    yield datetime(1990, 5, 1, 9, tzinfo=MALMO), datetime(1995, 5, 1, 9, tzinfo=MALMO)
    yield datetime(1999, 12, 30, 9, tzinfo=MALMO), datetime(2000, 1, 3, 9, tzinfo=MALMO)
    yield datetime(2088, 6, 1, 9, tzinfo=MALMO), datetime(2095, 6, 1, 9, tzinfo=MALMO)


def test_the_parts_take_exactly_the_versions_that_held_at_a_day_s_end():
    wrong = []
    for began, ended in intervals():
        first = began.astimezone(MALMO).date() - timedelta(days=3)
        last = (ended or began).astimezone(MALMO).date() + timedelta(days=3)
        for offset in range((last - first).days + 1):
            day = first + timedelta(days=offset)
            if in_fork_range(day) and (
                held_at_the_end_of(day, began, ended) != found_in_the_parts(day, began, ended)
            ):
                wrong.append((began, ended, day))
    assert wrong == []


@pytest.mark.django_db
def test_the_database_gives_each_version_the_node_the_rule_gives_it():
    """The node is computed in the write's UPDATE by the database's own function:
    PostgreSQL's SQL must agree with the rule, at every kind of interval."""
    make_area()
    sample = list(intervals())[::5]
    for began, ended in sample:
        computed = CommissionArea.objects.annotate(node=ValidityFork(
            Value(began, output_field=DateTimeField()), Value(ended, output_field=DateTimeField())
        )).values_list("node", flat=True).first()
        assert computed == validity_fork(began, ended, ZONE), (began, ended)


def test_a_version_begun_and_ended_far_apart_has_its_node_high_up_not_on_other_paths():
    """The tree chooses where to read: a week's version is not on the path of a day
    years away, so that day's parts do not read it."""
    began = datetime(2016, 3, 1, 9, tzinfo=MALMO)
    fork = validity_fork(began, began + timedelta(days=7), ZONE)
    assert fork not in [*fork_path(date(2019, 6, 30))[0], *fork_path(date(2019, 6, 30))[1]]
    assert validity_fork(began, None, ZONE) is None


@pytest.mark.django_db
def test_an_assignment_unchanged_for_seven_years_is_counted_on_every_day_between(
    client, politiker, handlaggare
):
    given = timezone.make_aware(datetime(2014, 3, 5, 10))
    reported = timezone.make_aware(datetime(2021, 2, 10, 14))
    assignment = make_assignment(user=handlaggare, at=given)
    assignment.report_status(
        ks_treatment(meeting_date=reported.date(), paragraph=44), user=handlaggare,
        reason="Lägesrapport", at=reported,
    )
    client.force_login(politiker)
    expected = {
        "2014-03-04": (0, 0),
        "2014-03-05": (1, 0),
        "2016-12-31": (1, 0),
        "2019-06-30": (1, 0),
        "2021-02-09": (1, 0),
        "2021-02-10": (0, 1),
        "2023-06-30": (0, 1),
    }
    for per, (ongoing, reported_count) in expected.items():
        html = client.get(URL, {"per": per}).content.decode()
        assert_shows_count(html, "pågående", "pagaende", ongoing, per=per)
        assert_shows_count(html, "lägesrapport", "lagesrapport", reported_count, per=per)
        # The list filtered at that day counts it too (AssignmentFilter.count_by_status).
        ongoing_list = client.get(reverse("assignments:list"), {"per": per, "status": "pagaende"})
        assert shown_count(ongoing_list) == ongoing


def assert_every_version_has_its_node():
    for model in apps.get_models():
        if not issubclass(model, ActorHistory):
            continue
        for history_id, began, ended, fork in model.objects.values_list(
            "history_id", "history_date", "valid_until", "valid_fork"
        ):
            assert fork == validity_fork(began, ended, ZONE), (model.__name__, history_id)


@pytest.mark.django_db
def test_every_write_keeps_the_node_of_every_version_it_ends_or_splits(client, politiker,
                                                                       handlaggare):
    """A new version ends the current one; a status report dated before the latest
    version splits an older one (assignments.models.keep_report_days_in_history)."""
    given = timezone.make_aware(datetime(2015, 1, 12, 10))
    assignment = make_assignment(user=handlaggare, at=given)
    assignment.title = "Översyn av barnens villkor"
    assignment.save_tracked(user=handlaggare, reason="Ny titel",
                            at=timezone.make_aware(datetime(2016, 5, 2, 9)))
    assignment.report_status(
        ks_treatment(meeting_date=date(2017, 3, 1), paragraph=12), user=handlaggare,
        reason="Lägesrapport", at=timezone.make_aware(datetime(2017, 3, 1, 15)),
    )
    # Registered now, dated 2015: the version that held then is split at that day.
    make_status_report(assignment, report_date=date(2015, 9, 1))
    assert Assignment.history.filter(id=assignment.pk).count() == 5
    assert_every_version_has_its_node()
    # The split is seen at a past day: the stale list at 2015-12-31 does not name it
    # (reported in September), at 2015-08-31 it does (given in January, no report).
    client.force_login(politiker)
    silent = client.get(URL, {"per": "2015-08-31", "utan_rapport": 6}).content.decode()
    reported = client.get(URL, {"per": "2015-12-31", "utan_rapport": 6}).content.decode()
    assert assignment.reference in silent.split('id="stale-heading"')[1].split("</section>")[0]
    assert assignment.reference not in reported.split('id="stale-heading"')[1].split(
        "</section>"
    )[0]


BEFORE = [("assignments", "0016_treatment_meeting_required"), ("budget", "0003_validity_intervals")]


@pytest.fixture
def migrated_back():
    """The database as it stood before 0017; the latest schema again afterwards."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_every_ended_version_recorded_before_it_its_node(migrated_back):
    state = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    History = state.get_model("assignments", "HistoricalCommissionArea")
    moments = [datetime(2014, 3, 5, 9, tzinfo=MALMO), datetime(2019, 6, 1, 9, tzinfo=MALMO),
               datetime(2019, 6, 1, 9, tzinfo=MALMO)]
    for number, moment in enumerate(moments):
        History.objects.create(
            id=1, number=1, name=f"Goda uppväxtvillkor {number}", history_date=moment,
            history_type="+" if number == 0 else "~", history_user_name="test",
            valid_until=moments[number + 1] if number + 1 < len(moments) else None,
        )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert_every_version_has_its_node()
    forks = list(
        apps.get_model("assignments", "HistoricalCommissionArea").objects
        .order_by("history_date", "history_id").values_list("valid_fork", flat=True)
    )
    assert forks[0] in fork_path(date(2016, 12, 31))[0]
    assert forks[2] is None
