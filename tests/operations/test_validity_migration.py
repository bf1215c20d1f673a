"""Migration 0009 gives the history already recorded its validity intervals.

The migration carries its own copy of the rule, so a later change to the app's
code cannot change what it does to a register migrated from before it.
"""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("assignments", "0008_no_page_cache")]
AFTER = [("assignments", "0009_validity_intervals")]


def at(hour):
    return datetime(2016, 3, 1, hour, tzinfo=UTC)


@pytest.fixture
def migrated_back():
    """The database as it stood before 0009; the latest schema again afterwards."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    yield executor
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_each_recorded_version_is_valid_until_the_next_one(migrated_back):
    History = migrated_back.loader.project_state(BEFORE).apps.get_model(
        "assignments", "HistoricalCommissionArea"
    )

    def record(area_id, when, name, kind="~"):
        return History.objects.create(
            id=area_id, number=area_id, name=name, history_date=when, history_type=kind,
            history_user_name="test",
        ).history_id

    first = record(1, at(9), "Goda uppväxtvillkor", kind="+")
    # Two records at the same instant: the later id is the later version.
    second = record(1, at(10), "Goda uppväxtvillkor för barn")
    third = record(1, at(10), "Goda uppväxtvillkor för alla barn")
    other = record(2, at(11), "Arbete och inkomst", kind="+")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    History = executor.loader.project_state(AFTER).apps.get_model(
        "assignments", "HistoricalCommissionArea"
    )
    valid_until = dict(History.objects.values_list("history_id", "valid_until"))

    assert valid_until == {first: at(10), second: at(10), third: None, other: None}
