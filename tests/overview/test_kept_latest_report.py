"""The latest status report kept on the assignment and on each history version.

What a reader notices: a report added through its page takes the assignment off the
"no status report" list and overview at once; a past day shows what held then, even
for a report registered later with an earlier date; and a colleague's open edit form
is not made stale by a report.
"""

from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assignments.models import Assignment
from assignments.querysets import months_before
from tests.factories import make_assignment, make_status_report, make_unit
from tests.query_counts import assert_queries_do_not_grow
from tests.register.test_list import listed, shown_count

LIST = reverse("assignments:list")
OVERVIEW = reverse("reports:overview")
pytestmark = pytest.mark.django_db


def report_url(assignment):
    return reverse("assignments:add_report", args=[assignment.pk])


def stale_section(html):
    start = html.index('id="stale-heading"')
    return html[start:html.index("</section>", start)]


def test_a_report_added_on_its_page_takes_the_assignment_off_the_stale_list(officer):
    today = timezone.localdate()
    silent = make_assignment(reference="STK-2014-1", decided_on=date(2014, 3, 5))
    assert listed(officer.get(LIST, {"utan_rapport": "6"})) == ["STK-2014-1"]
    assert "STK-2014-1" in stale_section(officer.get(OVERVIEW).content.decode())

    officer.post(report_url(silent), {"report_date": today.isoformat(), "text": "Läget."})

    assert listed(officer.get(LIST, {"utan_rapport": "6"})) == []
    overview = stale_section(officer.get(OVERVIEW).content.decode())
    assert "STK-2014-1" not in overview
    assert "0 öppna uppdrag saknar lägesrapport under perioden." in overview


def test_an_older_report_added_later_does_not_hide_the_newer_one(officer):
    today = timezone.localdate()
    assignment = make_assignment(reference="STK-2014-1")
    make_status_report(assignment, report_date=months_before(today, 1))
    make_status_report(assignment, report_date=date(2015, 5, 1))

    assert listed(officer.get(LIST, {"utan_rapport": "3"})) == []
    assert Assignment.objects.get(pk=assignment.pk).last_report_on == months_before(today, 1)


def test_a_past_day_reads_the_report_dated_by_then_even_if_registered_later(officer):
    """An assignment registered (back-dated) in 2015, its report dated 2016-03-01
    registered today: the list at 2016-02-29 still misses it, the list at 2016-03-31
    has it, as before the date was kept."""
    at = timezone.make_aware(datetime(2015, 1, 1, 12))
    assignment = make_assignment(reference="STK-2014-1", at=at)
    make_status_report(assignment, report_date=date(2016, 3, 1))

    before = officer.get(LIST, {"per": "2016-02-29", "utan_rapport": "6"})
    after = officer.get(LIST, {"per": "2016-03-31", "utan_rapport": "6"})

    assert listed(before) == ["STK-2014-1"]
    assert listed(after) == []
    # Today it has been silent since 2016.
    assert listed(officer.get(LIST, {"utan_rapport": "6"})) == ["STK-2014-1"]
    # The version from the report's day is the only one the report added to the past.
    days = [
        timezone.localdate(record.history_date)
        for record in Assignment.history.filter(id=assignment.pk).order_by("history_date")
    ]
    assert days == [date(2015, 1, 1), date(2016, 3, 1), timezone.localdate()]


def test_the_timeline_does_not_tell_the_kept_date_as_an_edit(officer):
    assignment = make_assignment(reference="STK-2014-1")
    officer.post(report_url(assignment), {"report_date": "2016-09-30", "text": "Läget."})

    page = officer.get(reverse("assignments:detail", args=[assignment.pk])).content.decode()

    assert "Uppdraget ändrades" not in page
    assert "Lägesrapporten daterad 2016-09-30 registrerades" in page


def test_a_report_does_not_make_a_colleagues_open_edit_form_stale(officer, handlaggare):
    assignment = make_assignment(reference="STK-2014-1", title="Gammal titel")
    loaded_version = Assignment.objects.get(pk=assignment.pk).version

    officer.post(report_url(assignment), {"report_date": "2016-09-30", "text": "Läget."})
    response = officer.post(
        reverse("assignments:edit", args=[assignment.pk]),
        {
            "reference": assignment.reference,
            "title": "Ny titel",
            "description": "",
            "area": assignment.area_id,
            "responsible_unit": assignment.responsible_unit_id,
            "case_officer": "",
            "decided_on": assignment.decided_on.isoformat(),
            "decision_reference": assignment.decision_reference,
            "decision_paragraph": "",
            "version": loaded_version,
            "reason": "",
        },
    )

    assert response.status_code == 302
    stored = Assignment.objects.get(pk=assignment.pk)
    # The edit is saved, and the report registered meanwhile is still the latest.
    assert (stored.title, stored.last_report_on) == ("Ny titel", date(2016, 9, 30))
    assert stored.version == loaded_version + 1


def test_an_instance_loaded_before_a_report_cannot_write_back_an_older_date(handlaggare):
    assignment = make_assignment(reference="STK-2014-1")
    loaded_earlier = Assignment.objects.get(pk=assignment.pk)
    make_status_report(assignment, report_date=date(2016, 9, 30))

    loaded_earlier.title = "Ändrad i admin"
    loaded_earlier.save_tracked(user=handlaggare, reason="Rättelse")

    assert Assignment.objects.get(pk=assignment.pk).last_report_on == date(2016, 9, 30)
    current = Assignment.history.filter(id=assignment.pk).latest("history_date", "history_id")
    assert current.last_report_on == date(2016, 9, 30)


@pytest.mark.parametrize("per", [None, "2016-12-31"])
def test_the_stale_list_and_its_count_take_as_many_queries_for_many_assignments(
    client, politiker, per
):
    at = timezone.make_aware(datetime(2015, 1, 1, 12))
    unit = make_unit()

    def add(serials):
        for serial in serials:
            assignment = make_assignment(
                reference=f"TST-2014-{500 + serial}", responsible_unit=unit, at=at
            )
            make_status_report(assignment, report_date=date(2015, 2, 1))

    client.force_login(politiker)
    params = {"per": per} if per else {}
    response = assert_queries_do_not_grow(lambda: client.get(OVERVIEW, params), add)
    assert "50 öppna uppdrag saknar lägesrapport under perioden." in stale_section(
        response.content.decode()
    )
    assert shown_count(client.get(LIST, {**params, "utan_rapport": "6"})) == 50
