"""The API answers what the register's pages answer: counts, filters, past days, changes."""

import re
from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assignments.models import Assignment, CommissionArea
from reports.changes import changes_between
from tests.factories import make_assignment, make_assignments, make_status_report, set_up
from tests.query_counts import assert_queries_do_not_grow

ASSIGNMENTS = reverse("api:assignments")
COUNTS = reverse("api:counts")


def all_rows(client, url, params=None):
    """Every row of a cursor-paged list, following `next`."""
    rows, response = [], client.get(url, params or {})
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        rows.extend(body["results"])
        if not body["next"]:
            return rows
        response = client.get(body["next"])


def test_the_counts_at_the_end_of_2016_are_the_annual_reports_19_8_4(api, demo):
    body = api.get(COUNTS, {"per": "2016-12-31"}).json()
    assert {item["status"]: item["count"] for item in body["statuses"]} == {
        "avslutad": 19, "lagesrapport": 8, "pagaende": 4,
    }
    assert body["total"] == 31
    rows = all_rows(api, ASSIGNMENTS, {"per": "2016-12-31", "antal": 7})
    assert len(rows) == 31 == len({row["id"] for row in rows})
    assert sum(row["status"] == "avslutad" for row in rows) == 19


def _list_page_ids(client, params):
    html = client.get(reverse("assignments:list"), params).content.decode()
    return {int(pk) for pk in re.findall(r'href="/uppdrag/(\d+)/', html)}


@pytest.mark.parametrize("params", [
    {"status": "lagesrapport", "per": "2016-12-31"},
    {"bedomning": "at_risk_or_deviates"},
    {"q": "barn", "beslutsar": "2014"},
    {"forsenade": "ja"},
    {"utan_rapport": "6", "per": "2016-12-31"},
])
def test_a_filter_gives_the_rows_of_the_list_page(client, politiker, demo, params):
    client.force_login(politiker)
    api_ids = {row["id"] for row in all_rows(client, ASSIGNMENTS, params)}
    assert api_ids == _list_page_ids(client, params)
    assert api_ids  # the filter leaves something to compare


def test_an_area_filter_counts_as_the_list(api, demo):
    area = CommissionArea.objects.get(number=1)
    rows = all_rows(api, ASSIGNMENTS, {"omrade": area.pk, "per": "2016-12-31"})
    body = api.get(COUNTS, {"omrade": area.pk, "per": "2016-12-31"}).json()
    assert body["total"] == len(rows) > 0


def test_sedan_gives_what_the_changes_page_gives(client, politiker, demo):
    client.force_login(politiker)
    params = {"sedan": "2016-06-01", "till": "2016-12-31"}
    page = client.get(reverse("reports:changes"), params).content.decode()
    page_ids = {int(pk) for pk in re.findall(r'href="/uppdrag/(\d+)/', page)}
    rows = all_rows(client, ASSIGNMENTS, params)
    assert {row["id"] for row in rows} == page_ids != set()

    changes = client.get(reverse("api:changes"), params).json()
    expected = changes_between(date(2016, 6, 1), date(2016, 12, 31))
    for kind in ("status_changes", "new_reports", "deadline_moves", "new_treatments"):
        assert [c["reference"] for c in changes[kind]] == [
            c.assignment.reference for c in getattr(expected, kind)
        ], kind


def test_the_detail_has_treatments_reports_deadlines_and_a_timeline_at_a_past_day(api, demo):
    closed = Assignment.objects.filter(status="avslutad", deadline_changes__isnull=False).first()
    today = api.get(reverse("api:assignment", args=[closed.pk])).json()
    assert today["status"] == "avslutad" and today["outcome"]
    assert today["treatments"] and today["timeline"]
    assert today["case_officer"] is not None
    before = api.get(reverse("api:assignment", args=[closed.pk]), {"per": "2014-06-30"}).json()
    assert before["status"] == "pagaende"
    assert len(before["timeline"]) < len(today["timeline"])


def test_a_page_never_skips_or_repeats_a_row_while_the_register_changes(api, db):
    first = make_assignments(6)
    page = api.get(ASSIGNMENTS, {"antal": 3}).json()
    # Meanwhile: a new assignment, and one of the first page's rows changes.
    make_assignment(reference="AAA-2014-1")
    first[0].title = "Ändrad titel"
    with set_up():
        first[0].save_tracked(user=None, reason="Test")
    rest = all_rows(api, page["next"])
    ids = [row["id"] for row in page["results"]] + [row["id"] for row in rest]
    assert len(ids) == len(set(ids)) == 7
    assert ids == sorted(ids)


def test_the_query_count_as_of_a_day_does_not_grow_with_the_page_size(api, db):
    # 5 rows and a page of 5 (twice: the first fills caches), then 50 rows and a page of 50.
    sizes = iter([5, 5, 50])

    def fetch():
        response = api.get(ASSIGNMENTS, {"antal": next(sizes), "per": "2016-01-01"})
        assert len(response.json()["results"]) in (5, 50)
        return response

    back_then = timezone.make_aware(datetime(2015, 1, 1, 12))
    assert_queries_do_not_grow(fetch, lambda serials: make_assignments(len(serials), at=back_then))


def test_the_query_count_of_today_does_not_grow_with_the_page_size(api, db):
    sizes = iter([5, 5, 50])

    def fetch():
        return api.get(ASSIGNMENTS, {"antal": next(sizes)})

    assert_queries_do_not_grow(fetch, lambda serials: make_assignments(len(serials)))


def test_budget_rows_and_meetings_are_listed(api, demo):
    rows = all_rows(api, reverse("api:budget_rows"), {"ar": "2016"})
    assert rows and all(row["year"] == 2016 for row in rows)
    assert any(row["assignments"] for row in rows)
    meetings = all_rows(api, reverse("api:meetings"))
    assert meetings


def test_the_csv_holds_every_row_for_excel(api, demo):
    response = api.get(reverse("api:assignments_csv"), {"per": "2016-12-31"})
    text = b"".join(response.streaming_content).decode()
    assert text.startswith("\ufeffid;reference;")
    assert len(text.strip().splitlines()) == 32


def test_the_detail_query_count_does_not_grow_with_its_history(api, db):
    assignment = make_assignment()

    def fetch():
        response = api.get(reverse("api:assignment", args=[assignment.pk]))
        assert response.status_code == 200
        return response

    def add(serials):
        for serial in serials:
            make_status_report(assignment, text=f"Rapport {serial}")
            assignment.title = f"Titel {serial}"
            with set_up():
                assignment.save_tracked(user=None, reason="Test")

    body = assert_queries_do_not_grow(fetch, add, few=2, many=8).json()
    assert len(body["status_reports"]) == 8
