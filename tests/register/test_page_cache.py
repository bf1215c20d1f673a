"""The page cache: repeated reads are served from it, and no reader ever sees a page out of date.

Each test turns on the production cache (the database cache of malmo_ks.settings)
and runs the commit callbacks of its writes, as a committed request would: the
register version moves on only when a write commits.
"""

import re
from datetime import date, datetime, timedelta

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assignments import page_cache
from assignments.models import Assignment, StatusReport, Treatment, Unit
from assignments.views import detail as detail_view
from budget.models import BudgetRow
from malmo_ks import settings as project_settings
from tests.factories import ks_treatment, make_assignment, make_unit, set_up

from .reading import visible_text

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("reports:overview")
LIST = reverse("assignments:list")
# Session, user, user and group permissions, demo banner, the register version and
# the cached page; the detail also fetches the assignment (and checks the right to it).
CACHED_QUERIES = {"overview": 7, "list": 7, "detail": 8}


@pytest.fixture
def cached_pages(settings):
    settings.CACHES = project_settings.CACHES
    settings.REGISTER_CACHE_SECONDS = 600


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a block's commit callbacks, as the end of a committed request would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def assignment(committed):
    with committed():
        return make_assignment(title="Trygghet i Rosengård")


@pytest.fixture
def reader(client, handlaggare):
    client.force_login(handlaggare)
    return client


def main_html(response):
    """The page's main content: the header around it carries a fresh CSRF token each time."""
    return re.search(r"<main.*</main>", response.content.decode(), re.S)[0]


def detail_url(assignment):
    return reverse("assignments:detail", args=[assignment.pk])


def page_urls(assignment):
    return {"overview": OVERVIEW, "list": LIST, "detail": detail_url(assignment)}


@pytest.mark.parametrize("page", ["overview", "list", "detail"])
def test_the_second_reader_gets_the_same_page_from_the_cache(
    cached_pages, assignment, reader, django_assert_num_queries, page
):
    url = page_urls(assignment)[page]
    first = reader.get(url)

    with django_assert_num_queries(CACHED_QUERIES[page]):
        again = reader.get(url)

    assert main_html(again) == main_html(first)


def test_a_status_change_shows_at_once_on_overview_list_and_detail(
    cached_pages, committed, assignment, reader
):
    urls = page_urls(assignment)
    before = {page: visible_text(reader.get(url)) for page, url in urls.items()}
    assert "pågående 1" in before["list"]
    assert "lägesrapport 0" in before["list"]

    with committed():
        response = reader.post(reverse("assignments:change_status", args=[assignment.pk]), {
            "status": Assignment.Status.STATUS_REPORT,
            "body": "KS",
            "meeting_date": "2016-11-02",
            "paragraph": "312",
            "version": assignment.version,
        })
    assert response.status_code == 302

    after = {page: visible_text(reader.get(url)) for page, url in urls.items()}
    assert "pågående 0" in after["list"]
    assert "lägesrapport 1" in after["list"]
    assert "KS 2016-11-02 § 312" in after["detail"]
    assert "KS 2016-11-02 § 312" not in before["detail"]
    assert after["overview"] != before["overview"]


def test_a_new_status_report_shows_on_the_detail_page_at_once(
    cached_pages, committed, assignment, reader
):
    url = detail_url(assignment)
    assert "Halvvägs genom kartläggningen" not in visible_text(reader.get(url))

    with committed():
        reader.post(reverse("assignments:add_report", args=[assignment.pk]),
                    {"report_date": "2016-11-30", "text": "Halvvägs genom kartläggningen."})

    assert "Halvvägs genom kartläggningen" in visible_text(reader.get(url))


def test_links_that_depend_on_the_readers_rights_are_never_shared(
    cached_pages, assignment, client, handlaggare, politiker
):
    edit = reverse("assignments:edit", args=[assignment.pk])
    create = reverse("assignments:create")
    client.force_login(handlaggare)
    assert edit in client.get(detail_url(assignment)).content.decode()
    assert create in client.get(LIST).content.decode()

    client.force_login(politiker)
    assert edit not in client.get(detail_url(assignment)).content.decode()
    assert create not in client.get(LIST).content.decode()

    client.force_login(handlaggare)
    assert edit in client.get(detail_url(assignment)).content.decode()


def test_each_language_has_its_own_page(cached_pages, assignment, reader):
    assert "Uppdrag per status i dag" in visible_text(reader.get(OVERVIEW))

    reader.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    english = visible_text(reader.get(OVERVIEW))

    assert "Assignments by status today" in english
    assert "Uppdrag per status i dag" not in english


def test_a_new_day_is_a_new_page_overdue_flags_turn_at_midnight(
    cached_pages, committed, reader, handlaggare, monkeypatch
):
    with committed():
        make_assignment(planned_completion=timezone.localdate())
    assert 'class="overdue"' not in reader.get(LIST).content.decode()

    tomorrow = timezone.now() + timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    reader.force_login(handlaggare)  # yesterday's session has run out by now

    assert 'class="overdue"' in reader.get(LIST).content.decode()


def test_without_a_version_nothing_is_cached(cached_pages, reader):
    """A register emptied by hand (or between transactional tests) has no version row:
    no page cached for the register it was before can serve it."""
    page_cache.RegisterVersion.objects.all().delete()
    reader.get(LIST)

    with CaptureQueriesContext(connection) as again:
        reader.get(LIST)

    assert any("FILTER (WHERE" in query["sql"] for query in again.captured_queries)


def version_after(committed, write):
    before = page_cache.current_version()
    with committed(), set_up():
        write()
    return before, page_cache.current_version()


def _report(assignment):
    StatusReport(assignment=assignment, report_date=date(2016, 3, 1), text="Läget.").save()


def _deadline(assignment):
    assignment.move_deadline(date(2018, 6, 30), user=None, reason="Mer tid behövs")


def _treatment(assignment):
    assignment.add_treatment(ks_treatment(kind=Treatment.Kind.DECISION), user=None,
                             reason="Anmält")


def _unit_renamed(assignment):
    unit = Unit.objects.get(pk=assignment.responsible_unit_id)
    unit.name = "Stadsbyggnadsnämnden"
    unit.save()


def _budget_row(assignment):
    BudgetRow(year=2016, name="Utredningar", account_class=4, budget=10, outcome=9).save()


@pytest.mark.parametrize("write", [
    _report, _deadline, _treatment, _unit_renamed, _budget_row,
    lambda assignment: make_unit(),
    lambda assignment: make_assignment(),
])
def test_every_tracked_write_moves_the_version_on(committed, assignment, write):
    before, after = version_after(committed, lambda: write(assignment))

    assert before is not None
    assert after != before


def test_linking_a_budget_row_to_an_assignment_moves_the_version_on(committed, assignment):
    with committed(), set_up():
        row = BudgetRow(year=2016, name="Utredningar", account_class=4, budget=10, outcome=9)
        row.save()

    before, after = version_after(committed, lambda: row.assignments.add(assignment))

    assert after != before


def test_a_missing_version_is_made_again_by_the_next_write(cached_pages, committed, reader):
    page_cache.RegisterVersion.objects.all().delete()
    with committed():
        make_assignment()

    assert page_cache.current_version() is not None
    reader.get(LIST)
    with CaptureQueriesContext(connection) as again:
        reader.get(LIST)
    assert not any("FILTER (WHERE" in query["sql"] for query in again.captured_queries)


def test_a_write_that_never_commits_leaves_the_version(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_assignment()
    before = page_cache.current_version()

    with django_capture_on_commit_callbacks(execute=False):
        make_assignment()

    assert page_cache.current_version() == before


def test_a_renamed_case_officer_moves_the_version_on_but_a_login_does_not(
    committed, assignment, client, handlaggare
):
    before, after_login = version_after(committed, lambda: client.force_login(handlaggare))
    assert after_login == before

    def rename():
        handlaggare.first_name = "Åsa"
        handlaggare.save()

    _unchanged, after_rename = version_after(committed, rename)
    assert after_rename != before

    _renamed, after_delete = version_after(committed, handlaggare.delete)
    assert after_delete != after_rename


def history_walks(queries):
    """The statements that read the whole assignment history for the status over time.

    On either database the walk pairs each version with the next (`WITH versions AS`).
    """
    return [query for query in queries if "WITH versions AS" in query["sql"]]


def ongoing_at_end_of_2015_q1(response):
    link = re.escape('href="/uppdrag/?status=pagaende&amp;per=2015-03-31">')
    return int(re.search(link + r"(\d+)</a>", response.content.decode())[1])


QUARTER_ENDS = {(3, 31), (6, 30), (9, 30), (12, 31)}


def test_ended_quarters_are_counted_once_until_a_back_dated_write(
    cached_pages, committed, reader, monkeypatch
):
    if (timezone.localdate().month, timezone.localdate().day) in QUARTER_ENDS:
        # On a quarter's last day that quarter is still open and counted afresh.
        yesterday = timezone.now() - timedelta(days=1)
        monkeypatch.setattr(timezone, "now", lambda: yesterday)
    given = timezone.make_aware(datetime(2015, 3, 2, 10))
    with committed():
        make_assignment(at=given)
    assert ongoing_at_end_of_2015_q1(reader.get(OVERVIEW)) == 1

    with committed():
        make_assignment()  # dated now: no ended quarter changes
    with CaptureQueriesContext(connection) as today:
        response = reader.get(OVERVIEW)
    assert "pågående 2" in visible_text(response).lower()
    assert history_walks(today.captured_queries) == []

    with committed():
        make_assignment(at=given)  # back-dated, as the demo history is
    with CaptureQueriesContext(connection) as after_import:
        response = reader.get(OVERVIEW)
    assert len(history_walks(after_import.captured_queries)) == 1
    assert ongoing_at_end_of_2015_q1(response) == 2


def test_other_pages_and_orderings_of_a_list_reuse_its_counts(cached_pages, committed, reader):
    with committed():
        for _ in range(3):
            make_assignment()
    reader.get(LIST, {"sortering": "titel"})

    with CaptureQueriesContext(connection) as resorted:
        response = reader.get(LIST, {"sortering": "-titel"})

    assert "3 uppdrag" in visible_text(response)
    assert not any("FILTER (WHERE" in query["sql"] for query in resorted.captured_queries)


def test_each_address_has_its_own_page(cached_pages, committed, reader, assignment):
    with committed():
        make_assignment(title="Arbetsmarknad för unga")
    titles = ["Arbetsmarknad för unga", "Trygghet i Rosengård"]

    ascending = visible_text(reader.get(LIST, {"sortering": "titel"}))
    descending = visible_text(reader.get(LIST, {"sortering": "-titel"}))

    assert ascending.index(titles[0]) < ascending.index(titles[1])
    assert descending.index(titles[1]) < descending.index(titles[0])


def test_each_filter_has_its_own_counts(cached_pages, committed, reader, assignment):
    assert "1 uppdrag" in visible_text(reader.get(LIST))

    closed = visible_text(reader.get(LIST, {"status": Assignment.Status.CLOSED}))

    assert "0 uppdrag" in closed


def test_a_write_committed_while_a_page_is_read_is_shown_to_the_next_reader(
    cached_pages, committed, reader, assignment, monkeypatch
):
    """The view reads the version first: data read before it could be older than it."""
    fetch = detail_view.get_assignment_for_user

    def fetch_then_someone_edits(request, pk):
        fetched = fetch(request, pk)
        with committed(), set_up():
            edited = Assignment.objects.get(pk=pk)
            edited.description = "Utvidgat till hela Malmö."
            edited.save_tracked(user=None, reason="Ändrat under tiden")
        return fetched

    shown = "<dd>Utvidgat till hela Malmö.</dd>"
    monkeypatch.setattr(detail_view, "get_assignment_for_user", fetch_then_someone_edits)
    assert shown not in reader.get(detail_url(assignment)).content.decode()
    monkeypatch.undo()

    assert shown in reader.get(detail_url(assignment)).content.decode()
