"""Migration 0013 keeps the latest status report on the assignments and history already there.

Every past day must answer as before the value was kept: each version carries the
latest report dated on or before its day, and a report dated inside a version gets a
version of its own from the start of its day. The migration carries its own copy of
the rule, so a later change to the app's code cannot change what it does.
"""

from datetime import date, datetime, time

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("assignments", "0012_overview_indexes")]
AFTER = [("assignments", "0013_latest_report_and_assessment")]


def at(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def migrated_back():
    """The database as it stood before 0013; the latest schema again afterwards."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    yield executor
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_each_version_gets_the_report_dated_by_its_day_and_each_report_day_a_version(
    migrated_back,
):
    apps = migrated_back.loader.project_state(BEFORE).apps
    area = apps.get_model("assignments", "CommissionArea").objects.create(number=1, name="Barn")
    unit = apps.get_model("assignments", "Unit").objects.create(
        name="Stadskontoret", valid_from=date(2000, 1, 1)
    )
    fields = {
        "reference": "STK-2014-1", "title": "Första titeln", "description": "",
        "area_id": area.pk, "responsible_unit_id": unit.pk, "decided_on": date(2014, 3, 5),
        "decision_reference": "STK-2013-145", "status": "pagaende", "outcome": "",
        "planned_completion_is_year": False, "version": 1,
    }
    assignment = apps.get_model("assignments", "Assignment").objects.create(
        **{**fields, "title": "Andra titeln", "version": 2}
    )
    History = apps.get_model("assignments", "HistoricalAssignment")
    History.objects.create(
        id=assignment.pk, **fields, history_date=at(date(2015, 1, 1)), history_type="+",
        history_user_name="Anna", valid_until=at(date(2016, 6, 1)),
    )
    History.objects.create(
        id=assignment.pk, **{**fields, "title": "Andra titeln", "version": 2},
        history_date=at(date(2016, 6, 1)), history_type="~", history_user_name="Anna",
    )
    reports = apps.get_model("assignments", "StatusReport").objects
    for day in (date(2014, 12, 1), date(2015, 5, 1), date(2016, 6, 1)):
        reports.create(assignment_id=assignment.pk, report_date=day, text="Läget.")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    History = apps.get_model("assignments", "HistoricalAssignment")

    versions = [
        (timezone.localtime(record.history_date), record.title, record.version,
         record.last_report_on, record.history_user_name, record.valid_until)
        for record in History.objects.filter(id=assignment.pk).order_by("history_date")
    ]
    start_of_report_day = timezone.make_aware(datetime(2015, 5, 1))
    assert versions == [
        # Its day's latest report was dated before the assignment was registered.
        (at(date(2015, 1, 1)), "Första titeln", 1, date(2014, 12, 1), "Anna",
         start_of_report_day),
        # The report of 2015-05-01 fell inside that version: a version from its day.
        (start_of_report_day, "Första titeln", 1, date(2015, 5, 1),
         "assignments 0013 (migrering)", at(date(2016, 6, 1))),
        # A report dated on a version's own day needs no version of its own.
        (at(date(2016, 6, 1)), "Andra titeln", 2, date(2016, 6, 1), "Anna", None),
    ]
    stored = apps.get_model("assignments", "Assignment").objects.get(pk=assignment.pk)
    assert (stored.last_report_on, stored.last_assessment) == (date(2016, 6, 1), "")
    # No assessment is invented for the reports written before it existed.
    assessments = set(
        apps.get_model("assignments", "StatusReport").objects.values_list("assessment", flat=True)
    )
    assert assessments == {""}
