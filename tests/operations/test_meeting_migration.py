"""Migrations 0015–0016 move every treatment, and every version in its history, onto its meeting.

A register from before: treatments that name body, committee and date
themselves, and history rows of which one said something else before it was
corrected. After the migration each says the same through its meeting, one
meeting per body (nämnd) and date, each with a history record; going back gives
the treatments their own body and date again.
"""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("assignments", "0012_overview_indexes")]
AFTER = [("assignments", "0016_treatment_meeting_required")]


def at(day, hour=10):
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@pytest.fixture
def migrated_back():
    """The database as it stood before 0015; the latest schema again afterwards."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    yield executor
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def models_at(executor, target):
    apps = executor.loader.project_state(target).apps
    return {name: apps.get_model("assignments", name) for name in (
        "Unit", "CommissionArea", "Assignment", "Treatment", "HistoricalTreatment",
        "Meeting", "HistoricalMeeting",
    ) if _exists(apps, name)}


def _exists(apps, name):
    try:
        apps.get_model("assignments", name)
    except LookupError:
        return False
    return True


def old_register(models):
    """Three treatments at two meetings, and an earlier version naming a third meeting."""
    unit = models["Unit"].objects.create(name="Grundskolenämnden", valid_from=date(2000, 1, 1))
    area = models["CommissionArea"].objects.create(number=1, name="Område 1")
    assignments = [
        models["Assignment"].objects.create(
            reference=f"STK-2014-{n}", title=f"Uppdrag {n}", area=area, responsible_unit=unit,
            decided_on=date(2014, 3, 5), decision_reference="STK-2013-145",
        )
        for n in (1, 2)
    ]
    Treatment, History = models["Treatment"], models["HistoricalTreatment"]
    rows = [
        # (assignment, body, committee, date, §); the first's history said KSAU 2016-10-10.
        (assignments[0], "KS", None, date(2016, 11, 2), 312),
        (assignments[1], "KS", None, date(2016, 11, 2), 313),
        (assignments[1], "namnd", unit, date(2016, 12, 1), 45),
    ]
    treatments = []
    for assignment, body, committee, day, paragraph in rows:
        treatment = Treatment.objects.create(
            assignment=assignment, body=body, body_unit=committee, meeting_date=day,
            paragraph=paragraph, kind="beslut",
        )
        treatments.append(treatment)
        History.objects.create(
            id=treatment.id, assignment_id=assignment.id, body=body, body_unit=committee,
            meeting_date=day, paragraph=paragraph, kind="beslut", history_type="+",
            history_date=at(day), history_user_name="test",
        )
    first = History.objects.get(id=treatments[0].id)
    first.body, first.meeting_date, first.history_date = "KSAU", date(2016, 10, 10), at(
        date(2016, 10, 10))
    first.save()
    History.objects.create(
        id=treatments[0].id, assignment_id=assignments[0].id, body="KS",
        meeting_date=date(2016, 11, 2), paragraph=312, kind="beslut", history_type="~",
        history_date=at(date(2016, 11, 3)), history_user_name="test",
        history_change_reason="Fel organ rättat",
    )
    return unit, treatments


def said(record):
    """What a treatment (or a version of it) says of its meeting, through the meeting."""
    meeting = record.meeting
    return (meeting.body, meeting.committee_id, meeting.date)


@pytest.mark.django_db(transaction=True)
def test_every_treatment_and_every_version_keeps_its_meeting(migrated_back):
    unit, treatments = old_register(models_at(migrated_back, BEFORE))
    before = models_at(migrated_back, BEFORE)["HistoricalTreatment"]
    history_before = {
        record.history_id: (record.body, record.body_unit_id, record.meeting_date)
        for record in before.objects.all()
    }

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    models = models_at(executor, AFTER)

    assert {t.id: said(t) for t in models["Treatment"].objects.select_related("meeting")} == {
        treatments[0].id: ("KS", None, date(2016, 11, 2)),
        treatments[1].id: ("KS", None, date(2016, 11, 2)),
        treatments[2].id: ("namnd", unit.id, date(2016, 12, 1)),
    }
    history_after = {
        record.history_id: said(record)
        for record in models["HistoricalTreatment"].objects.select_related("meeting")
    }
    assert history_after == history_before
    assert len(history_after) == 4
    meetings = models["Meeting"].objects.order_by("date")
    assert [(m.body, m.date) for m in meetings] == [
        ("KSAU", date(2016, 10, 10)), ("KS", date(2016, 11, 2)), ("namnd", date(2016, 12, 1)),
    ]
    records = models["HistoricalMeeting"].objects.order_by("date")
    assert [(r.id, r.history_type, r.history_user_name) for r in records] == [
        (m.id, "+", "migrering") for m in meetings
    ]
    # Dated with the first record that named it: "the register at a day" finds it then.
    assert [r.history_date for r in records] == [
        at(date(2016, 10, 10)), at(date(2016, 11, 2)), at(date(2016, 12, 1))
    ]
    assert all("migrering 0015" in r.history_change_reason for r in records)


@pytest.mark.django_db(transaction=True)
def test_going_back_gives_each_treatment_its_own_meeting_again(migrated_back):
    _unit, _treatments = old_register(models_at(migrated_back, BEFORE))
    models = models_at(migrated_back, BEFORE)
    treatments_before = set(models["Treatment"].objects.values_list(
        "id", "body", "body_unit_id", "meeting_date", "paragraph"))
    history_before = set(models["HistoricalTreatment"].objects.values_list(
        "history_id", "body", "body_unit_id", "meeting_date"))

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    models = models_at(executor, BEFORE)

    assert set(models["Treatment"].objects.values_list(
        "id", "body", "body_unit_id", "meeting_date", "paragraph")) == treatments_before
    assert set(models["HistoricalTreatment"].objects.values_list(
        "history_id", "body", "body_unit_id", "meeting_date")) == history_before
