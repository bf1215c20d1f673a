"""One benchmark run: grow the register size by size, time every page at each, report."""

import os
import sys
import time
from datetime import UTC, datetime

from django.db import connections, transaction

from assignments.daily_counts import rebuild_daily_counts

from . import data, database, notifications, report
from . import pages as page_list
from .load import USERS, run_load
from .measure import Budget, InProcess, Measured, OverHttp, PageFailed, Timing
from .server import gunicorn


def log(message):
    print(message, file=sys.stderr, flush=True)


def _in_process(local, size, args):
    """Every page through the test client; pages that do not answer 200 are listed as missing."""
    page_budget = Budget(args.requests, args.seconds)
    # An export of 10 000 rows takes seconds: fewer of them, with more time each.
    export_budget = Budget(max(1, args.requests // 3), args.seconds * 3)
    measured, missing = {}, []
    pages = page_list.pages(size)
    floor = next(page for page in pages if page.name == page_list.FLOOR)
    for page in pages:
        budget = export_budget if page.export else page_budget
        try:
            size_bytes = local.warm_up(page)
            timing, floor_timing = local.time(page, budget, _floor_for(page, floor))
            measured[page.name] = Measured(
                page, local.queries(page), size_bytes, timing, in_process_floor=floor_timing
            )
        except PageFailed as error:
            missing.append({"page": page.name, "error": str(error)})
            log(f"  {page.label}: {error}")
            continue
        log(f"  {page.label}: {measured[page.name].in_process.median:.1f} ms in-process")
    return measured, missing, page_budget, export_budget


def _floor_for(page, floor):
    """The floor to time between a page's requests: none for the references themselves."""
    return None if page.reference else floor


def _over_http(measured, cookies, page_budget, export_budget):
    floor = measured[page_list.FLOOR].page if page_list.FLOOR in measured else None
    with gunicorn() as port:
        http = OverHttp(port, cookies)
        for entry in measured.values():
            try:
                http.warm_up(entry.page)
                entry.http, entry.http_floor = http.time(
                    entry.page, export_budget if entry.page.export else page_budget,
                    _floor_for(entry.page, floor),
                )
            except PageFailed as error:
                entry.http = Timing(error=str(error))
            log(f"  {entry.page.label}: {entry.http.median or 0:.1f} ms over HTTP")


def measure_size(size, args, users):
    local = InProcess(users)
    measured, missing, page_budget, export_budget = _in_process(local, size, args)
    if not args.no_http:
        _over_http(measured, local.session_cookies(), page_budget, export_budget)
    memory = []
    if page_list.EXPORT_CSV in measured:
        export = measured[page_list.EXPORT_CSV].page
        for rows, path in page_list.csv_memory_paths(size):
            memory.append({"rows": rows, **local.peak_memory(export, path)})
    return {name: entry.result() for name, entry in measured.items()}, missing, memory


def run(args, command):
    """Measure every size, print the tables and write the JSON; drop the database if asked."""
    try:
        _run(args, command)
    finally:
        if args.drop:
            database.drop()


def _run(args, command):
    started = time.perf_counter()
    started_at = datetime.now(UTC)
    # Other work on the machine shows in every figure: the run records how busy it was.
    load_before = os.getloadavg()
    log(f"Recreating the benchmark database and loading up to {args.sizes[-1]} assignments")
    database.recreate()
    results, loaded, users = {}, 0, None
    for size in args.sizes:
        load_started = time.perf_counter()
        data.add_assignments(loaded + 1, size)
        # Written by SQL past the app, which keeps the daily counts: all of them again.
        with transaction.atomic():
            rebuild_daily_counts(since=data.FIRST_DAY)
        data.vacuum_analyze()
        # The pages are timed on a fresh connection, as gunicorn's are: the one that
        # loaded a million rows answers the same queries a third slower afterwards.
        connections.close_all()
        loaded = size
        users = users or database.make_personas()
        load_seconds = time.perf_counter() - load_started
        log(f"N = {size}: loaded in {load_seconds:.1f} s; timing pages")
        pages, missing, memory = measure_size(size, args, users)
        results[str(size)] = {
            "rows": data.table_rows(),
            "load_seconds": round(load_seconds, 1),
            "pages": pages,
            "missing": missing,
            "export_memory": memory,
        }
    load_test = None
    if not args.no_http:
        log(f"Load test: {USERS} handläggare reading and editing at once")
        with gunicorn(workers=USERS) as port:
            load_test = run_load(port, users["handlaggare"])
        log(f"  {load_test['accepted_writes']} writes accepted, "
            f"{load_test['refused_writes']} refused as stale, "
            f"{len(load_test['errors'])} errors, {len(load_test['lost_writes'])} lost")
    # Last: its 2 000 people become the register's case officers.
    log(f"send_notifications: {notifications.PEOPLE} people, N = {args.sizes[-1]}")
    notified = notifications.measure()
    first, last = results[str(args.sizes[0])], results[str(args.sizes[-1])]
    growth_rows = report.growth(first["pages"], last["pages"])
    document = {
        "started": started_at.isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - started, 1),
        "command": command,
        "machine": report.machine(),
        "load_average": {"start": load_before, "end": os.getloadavg()},
        "sizes": args.sizes,
        "results": results,
        "growth": growth_rows,
        "load_test": load_test,
        "notifications": notified,
        "targets": [*report.targets(results, growth_rows), report.notifications_target(notified)],
    }
    path = report.write_json(document, args.results_dir)
    print(report.text(document))
    print(f"Results: {path}  (whole run {document['seconds']} s)")
    if load_test and (load_test["errors"] or load_test["lost_writes"]):
        print("Load test FAILED:", *load_test["errors"][:10], *load_test["lost_writes"][:10],
              sep="\n  ")
        sys.exit(1)
