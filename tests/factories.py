"""Small builders for test data, made through the same model verbs as the app.

The guard in malmo_ks.history refuses a tracked write that names no one, in the
tests as in production. The data a test starts from is written like an import's,
in the name of `SET_UP`, and only inside the builder or a `with set_up():` block:
the views, forms and commands a test then exercises must name their user
themselves.
"""

import itertools
from datetime import date

from assignments.models import (
    Assignment,
    CommissionArea,
    Meeting,
    StatusReport,
    Treatment,
    Unit,
)
from malmo_ks.history import attributed_to

SET_UP = "testdata"

_serial = itertools.count(1)


def set_up():
    """Attribute the writes in the block to the test's set-up, not to a person."""
    return attributed_to(SET_UP)


def make_unit(name=None, **fields):
    unit = Unit(name=name or f"Testnämnden {next(_serial)}", valid_from=date(2000, 1, 1), **fields)
    unit.full_clean()
    with set_up():
        unit.save()
    return unit


def make_area(number=1, name=None):
    with set_up():
        area, _created = CommissionArea.objects.get_or_create(
            number=number, defaults={"name": name or f"Område {number}"}
        )
    return area


def make_assignment(user=None, at=None, **fields):
    """An ongoing assignment decided 2014-03-05, saved with history by `user` or the set-up.

    `at` back-dates its history record, as an import of old records would.
    """
    serial = next(_serial)
    values = {
        # A förvaltning prefix the demo never uses, so the two never collide.
        "reference": f"TST-2014-{serial}",
        "title": f"Testuppdrag {serial}",
        "description": "",
        "decided_on": date(2014, 3, 5),
        "decision_reference": "STK-2013-145",
        "planned_completion": date(2015, 12, 31),
    }
    values.update(fields)
    if "area" not in values:
        values["area"] = make_area()
    if "responsible_unit" not in values:
        values["responsible_unit"] = make_unit()
    assignment = Assignment(**values)
    with set_up():
        assignment.save_tracked(user=user, reason="Testdata", at=at)
    return assignment


def make_closed_assignment(paragraph=312, **fields):
    """An assignment KS closed as implemented (KS 2016-11-02 § `paragraph`)."""
    assignment = make_assignment(**fields)
    with set_up():
        assignment.close(
            ks_treatment(paragraph=paragraph), outcome=Assignment.Outcome.IMPLEMENTED, user=None
        )
    return assignment


def make_status_report(assignment, report_date=date(2016, 10, 1), text="Läget.", **fields):
    """An untreated status report on `assignment`."""
    report = StatusReport(assignment=assignment, report_date=report_date, text=text, **fields)
    report.full_clean()
    with set_up():
        report.save()
    return report


def make_assignments(count, **fields):
    unit = fields.pop("responsible_unit", None) or make_unit()
    return [make_assignment(responsible_unit=unit, **fields) for _ in range(count)]


def ks_treatment(meeting_date=date(2016, 11, 2), paragraph=312, **fields):
    """An unsaved KS treatment, to hand to report_status() or close().

    Its meeting is named by body and date, as the form names it: the verb finds it
    in the plan or registers it.
    """
    meeting = Meeting(body=Meeting.Body.KS, date=meeting_date)
    return Treatment(meeting=meeting, paragraph=paragraph, **fields)


def make_meeting(body=Meeting.Body.KS, date=date(2016, 11, 2), **fields):
    """A meeting of the plan, registered as an administrator's set-up would."""
    meeting = Meeting(body=body, date=date, **fields)
    with set_up():
        meeting.save_tracked(user=None, reason="Testdata")
    return meeting
