"""The benchmark's tables, its verdict on the targets of issue 13, and the JSON file of a run.

Every request is computed afresh: the app keeps no page cache.
"""

import json
import os
import platform
from datetime import datetime
from pathlib import Path

import django
from django.db import connection

from .pages import FLOOR

RESULTS_DIR = Path(__file__).resolve().parent.parent / "bench-results"

# Issue 13's targets at the largest size: the highest allowed ratio to the floor.
FLOOR_LIMITS = {
    "list": 5, "list_filtered": 5, "list_search": 5, "list_sorted": 5, "list_last_page": 5,
    "list_as_of": 8, "detail": 8,
    "overview": 10, "overview_as_of": 10,
    "changes": 10, "compilation": 10,
    # Issue 17: the API's first page, today and as of a past day.
    "api_assignments": 5, "api_assignments_as_of": 5,
}
GROWTH_LIMIT = 1.5
# No page and no export may take longer than this at the largest size.
SLOWEST_MS = 2000
# Issue 15: one run of send_notifications (recording and sending) at the largest size.
NOTIFY_SECONDS = 60


def machine():
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gib = None
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory_gib = round(pages / 2**30, 1)
    except (ValueError, OSError):
        pass
    return {
        "cpu": cpu or platform.processor(),
        "cores": os.cpu_count(),
        "memory_gib": memory_gib,
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": postgres,
    }


def _median(result, channel="in_process"):
    timing = result.get(channel) or {}
    return timing.get("median_ms")


def _served(result):
    """The median a user meets: over HTTP from gunicorn, or in-process when HTTP was skipped.

    The test client also copies every template context for its own assertions,
    which costs a template-heavy page several milliseconds the server never spends.
    """
    return _median(result, "http") or _median(result)


def _served_floor(result, floor):
    """The floor as served while this page was timed (interleaved with its requests),
    or the floor's own row for the references and for results of older runs."""
    channel = "http" if _median(result, "http") else "in_process"
    return _median(result, f"{channel}_floor") or _served(floor)


def _ratio(value, base):
    if value is None or not base:
        return None
    return value / base


def _fmt(value, digits=1, suffix=""):
    return "—" if value is None else f"{value:.{digits}f}{suffix}"


def page_rows(pages):
    """Each page with its ratios to the floor and to its admin changelist, as served."""
    floor = pages.get(FLOOR, {})
    rows = []
    for name, result in pages.items():
        median = _served(result)
        admin = _served(pages.get(result["admin"], {})) if result["admin"] else None
        rows.append({
            "name": name,
            "result": result,
            "to_floor": _ratio(median, _served_floor(result, floor)),
            "to_admin": _ratio(median, admin),
        })
    return rows


def size_table(size, pages):
    header = (f"{'page':<34} {'SQL':>4} {'in-proc ms':>11} {'p95':>8} {'HTTP ms':>9} "
              f"{'p95':>8} {'×floor':>7} {'×admin':>7}")
    title = f"N = {size:,}".replace(",", " ") + (
        "  (×floor, ×admin: of the HTTP medians; ×floor against the floor timed between"
        " the page's own requests)"
    )
    lines = [title, header, "-" * len(header)]
    for row in page_rows(pages):
        result = row["result"]
        local, http = result["in_process"], result.get("http") or {}
        if local.get("error"):
            lines.append(f"{result['label']:<34} error: {local['error']}")
            continue
        lines.append(
            f"{result['label']:<34} {result['queries']:>4} {_fmt(local['median_ms']):>11} "
            f"{_fmt(local['p95_ms']):>8} {_fmt(http.get('median_ms')):>9} "
            f"{_fmt(http.get('p95_ms')):>8} {_fmt(row['to_floor'], 2):>7} "
            f"{_fmt(row['to_admin'], 2):>7}"
        )
    return "\n".join(lines)


def growth(first, last):
    """How each page's queries and medians change from the first size to the last."""
    rows = {}
    for name, before in first.items():
        after = last.get(name)
        if after is None:
            continue
        rows[name] = {
            "label": after["label"],
            "queries": [before["queries"], after["queries"]],
            "in_process_ms": [_median(before), _median(after)],
            "http_ms": [_median(before, "http"), _median(after, "http")],
            "in_process_growth": _ratio(_median(after), _median(before)),
            "http_growth": _ratio(_median(after, "http"), _median(before, "http")),
            "growth": _ratio(_served(after), _served(before)),
        }
    return rows


def growth_table(first_size, last_size, rows):
    def n(size):
        return f"{size // 1000}k" if size >= 1000 else str(size)

    a, b = n(first_size), n(last_size)
    header = (f"{'page':<34} {'SQL ' + a:>9} {'SQL ' + b:>9} {'ms ' + a:>9} {'ms ' + b:>9} "
              f"{'growth':>7} {'HTTP growth':>12}")
    lines = [f"Growth {a} → {b}", header, "-" * len(header)]
    for row in rows.values():
        lines.append(
            f"{row['label']:<34} {_fmt(row['queries'][0], 0):>9} {_fmt(row['queries'][1], 0):>9} "
            f"{_fmt(row['in_process_ms'][0]):>9} {_fmt(row['in_process_ms'][1]):>9} "
            f"{_fmt(row['in_process_growth'], 2, '×'):>7} {_fmt(row['http_growth'], 2, '×'):>12}"
        )
    return "\n".join(lines)


def _target(text, page, value, limit, met):
    return {"target": text, "page": page, "value": value, "limit": limit, "met": met}


def targets(results, growth_rows):
    """Issue 7's targets, each with the figure that meets or misses it."""
    largest = results[str(max(int(size) for size in results))]["pages"]
    verdicts = []
    for name, limit in FLOOR_LIMITS.items():
        row = next((r for r in page_rows(largest) if r["name"] == name), None)
        if row and row["to_floor"] is not None:
            verdicts.append(_target(f"within {limit}× the floor", name,
                                    round(row["to_floor"], 2), limit, row["to_floor"] <= limit))
    for name, row in growth_rows.items():
        if name.startswith("admin") or name == FLOOR:
            continue
        same = row["queries"][0] == row["queries"][1]
        verdicts.append(_target("query count constant in N", name, row["queries"],
                                "equal", same))
        if row["growth"] is not None:
            verdicts.append(_target(f"growth at most {GROWTH_LIMIT}×", name,
                                    round(row["growth"], 2), GROWTH_LIMIT,
                                    row["growth"] <= GROWTH_LIMIT))
    for name, result in largest.items():
        if name.startswith("admin") or _median(result) is None:
            continue
        slowest = max(filter(None, [_median(result), _median(result, "http")]))
        verdicts.append(_target(f"under {SLOWEST_MS / 1000:g} s", name, round(slowest),
                                SLOWEST_MS, slowest < SLOWEST_MS))
    return verdicts


def targets_table(verdicts):
    lines = ["Targets (issue 13), at the largest size, on the medians as served (HTTP),",
             "every request computed afresh"]
    for verdict in verdicts:
        mark = "met   " if verdict["met"] else "MISSED"
        lines.append(f"  {mark} {verdict['page']:<16} {verdict['target']:<44} "
                     f"{verdict['value']} (limit {verdict['limit']})")
    return "\n".join(lines)


def memory_table(results):
    lines = ["CSV export memory (peak Python allocations while streaming)"]
    for size, result in results.items():
        for probe in result.get("export_memory", []):
            lines.append(f"  N={size:>7}: {probe['rows']:>6} rows, {probe['bytes']:>9} bytes, "
                         f"peak {probe['peak_kib']} KiB")
    return "\n".join(lines)


def notifications_table(size, result):
    """The two runs of send_notifications (bench.notifications)."""
    lines = [f"send_notifications at N={size}, {result['people']} people (recording: queries "
             "constant in N; sending: one per message, a few per batch of 50)"]
    for number, run in enumerate(result["runs"], 1):
        lines.append(
            f"  run {number}: recorded {run['recorded']:>6} in {run['record_seconds']:>6.2f} s "
            f"({run['record_queries']} queries); sent {run['sent']:>6} in "
            f"{run['send_seconds']:>6.2f} s ({run['send_queries']} queries), "
            f"{run['failed']} failed"
        )
    return "\n".join(lines)


def notifications_target(result):
    """Issue 15: send_notifications at the largest size in under 60 s, per run."""
    return _target(f"under {NOTIFY_SECONDS} s per run", "send_notifications",
                   result["seconds"], NOTIFY_SECONDS, result["seconds"] < NOTIFY_SECONDS)


def write_json(document, directory=None):
    directory = Path(directory) if directory else RESULTS_DIR
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = directory / f"bench-{stamp}.json"
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False, default=str))
    return path


def text(document):
    """Everything a run prints: a table per size, the growth, CSV memory and the targets."""
    results, sizes = document["results"], document["sizes"]
    machine, load = document["machine"], document["load_average"]
    header = (
        f"{document['started']}  {machine['cpu']}, {machine['cores']} cores, "
        f"{machine['memory_gib']} GiB, PostgreSQL {machine['postgresql']}, "
        f"Django {machine['django']}; load average {load['start'][0]:.1f} → {load['end'][0]:.1f}"
    )
    tables = [
        header,
        *[size_table(int(size), result["pages"]) for size, result in results.items()],
    ]
    if len(sizes) > 1:
        tables.append(growth_table(sizes[0], sizes[-1], document["growth"]))
    if document.get("notifications"):
        tables.append(notifications_table(sizes[-1], document["notifications"]))
    tables += [memory_table(results), targets_table(document["targets"])]
    for size, result in results.items():
        for gap in result["missing"]:
            tables.append(f"Not timed at N={size}: {gap['page']} ({gap['error']})")
    return "\n\n".join(tables) + "\n"
