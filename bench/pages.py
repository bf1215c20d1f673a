"""The pages the benchmark times at a register of N assignments, and what each is compared with."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

from assignments.models import Assignment

from . import data

PAGE_SIZE = 50
EXPORT_ROWS = 10_000
AS_OF = "2016-12-31"
# A day late in the synthetic history (2014-2025): most versions had begun by then, and
# most assignments were given. "The register at a day" must not grow with the history
# before the day (malmo_ks.history.versions_at_in_parts); no target of its own.
AS_OF_LATER = "2021-06-30"
FILTER = {"status": "lagesrapport", "omrade": 3}
ADMIN_FILTER = {"status__exact": "lagesrapport", "area__id__exact": 3}

FLOOR = "floor"
ADMIN_LIST, ADMIN_FILTERED, ADMIN_SEARCH = "admin_list", "admin_filtered", "admin_search"
EXPORT_CSV, EXPORT_XLSX = "export_csv", "export_xlsx"


@dataclass(frozen=True)
class Page:
    """One address to time; `admin` names the admin changelist it is held against."""

    name: str
    label: str
    paths: tuple[str, ...]
    persona: str = "handlaggare"
    admin: str | None = ADMIN_SEARCH
    reference: bool = False
    export: bool = False

    @classmethod
    def at(cls, name, label, path, **options):
        return cls(name, label, (path,), **options)


def _url(path, params=None):
    return f"{path}?{urlencode(params)}" if params else path


def detail_ids():
    """Three closed assignments whose deadline moved (the longest timelines), spread out."""
    ids = list(
        Assignment.objects.filter(status=Assignment.Status.CLOSED, deadline_changes__isnull=False)
        .order_by("id")
        .values_list("id", flat=True)
    ) or list(Assignment.objects.order_by("id").values_list("id", flat=True)[:1])
    return [ids[len(ids) * part // 4] for part in (1, 2, 3)]


def export_filter(size):
    """A filter that leaves 10 000 rows (or the whole register when it is smaller)."""
    return {} if size <= EXPORT_ROWS else {"beslutsar": data.EXPORT_YEAR}


def export_rows(size):
    return size if size <= EXPORT_ROWS else size // 10


def csv_memory_paths(size):
    """Two CSV exports, of 30 % and of all the export's rows: streaming keeps their peaks equal."""
    path = reverse("assignments:export", kwargs={"fmt": "csv"})
    rows = export_rows(size)
    return [
        (rows * 3 // 10, _url(path, {**export_filter(size), "status": "avslutad"})),
        (rows, _url(path, export_filter(size))),
    ]


def exports_exist():
    """The export URLs came with another issue; the benchmark times them when they are there."""
    try:
        reverse("assignments:export", kwargs={"fmt": "csv"})
    except NoReverseMatch:
        return False
    return True


def pages(size):
    admin = reverse("admin:assignments_assignment_changelist")
    register = reverse("assignments:list")
    last_page = (size + PAGE_SIZE - 1) // PAGE_SIZE
    search = {"q": data.SEARCH_WORD}
    result = [
        Page.at(FLOOR, "Floor (1 query, 50 rows)", reverse("bench_floor"), admin=None,
                reference=True),
        Page.at(ADMIN_LIST, "Admin changelist", admin, persona="admin", admin=None,
                reference=True),
        Page.at(ADMIN_FILTERED, "Admin, filtered", _url(admin, ADMIN_FILTER), persona="admin",
                admin=None, reference=True),
        Page.at(ADMIN_SEARCH, "Admin, search", _url(admin, search), persona="admin", admin=None,
                reference=True),
        Page.at("list", "List", register, admin=ADMIN_LIST),
        Page.at("list_filtered", "List, filtered", _url(register, FILTER), admin=ADMIN_FILTERED),
        Page.at("list_search", "List, text search", _url(register, search), admin=ADMIN_SEARCH),
        Page.at("list_sorted", "List, sorted by title", _url(register, {"sortering": "titel"}),
                admin=ADMIN_LIST),
        Page.at("list_last_page", "List, last page", _url(register, {"sida": last_page}),
                admin=ADMIN_LIST),
        Page.at("list_as_of", f"List as of {AS_OF}", _url(register, {"per": AS_OF}),
                admin=ADMIN_LIST),
        # Three assignments in turn, so that no single row is always in cache.
        Page("detail", "Detail with timeline",
             tuple(reverse("assignments:detail", args=[pk]) for pk in detail_ids())),
        Page.at("overview", "Overview", reverse("reports:overview")),
        Page.at("overview_as_of", f"Overview as of {AS_OF}",
                _url(reverse("reports:overview"), {"per": AS_OF})),
        Page.at("overview_as_of_later", f"Overview as of {AS_OF_LATER}",
                _url(reverse("reports:overview"), {"per": AS_OF_LATER})),
        # Without parameters: since the last KS meeting, and the compilation of today.
        Page.at("changes", "Changes since the last KS meeting", reverse("reports:changes"),
                admin=None),
        Page.at("compilation", "Compilation (first page)", reverse("reports:compilation"),
                admin=None),
        Page.at("budget", "Budget", reverse("budget:index"), admin=None),
        # Issue 17: the API's first page of 50 (a signed-in session, as a browser
        # would), today and as of a past day; the cursor keeps the query count flat.
        Page.at("api_assignments", "API assignments (first page)",
                _url(reverse("api:assignments"), {"antal": PAGE_SIZE}), admin=ADMIN_LIST),
        Page.at("api_assignments_as_of", f"API assignments as of {AS_OF}",
                _url(reverse("api:assignments"), {"antal": PAGE_SIZE, "per": AS_OF}),
                admin=ADMIN_LIST),
    ]
    if exports_exist():
        # The CSV streams every row; the XLSX holds at most tables.XLSX_MAX_ROWS, so it
        # is timed at the closed of the same filter (30 %, 3 000 rows), as large as it goes.
        rows = export_rows(size)
        closed = {**export_filter(size), "status": "avslutad"}
        for name, fmt, params, count in (
            (EXPORT_CSV, "csv", export_filter(size), rows),
            (EXPORT_XLSX, "xlsx", closed, rows * 3 // 10),
        ):
            path = reverse("assignments:export", kwargs={"fmt": fmt})
            result.append(Page.at(name, f"Export {fmt.upper()}, {count} rows",
                                  _url(path, params), admin=None, export=True))
    return result
