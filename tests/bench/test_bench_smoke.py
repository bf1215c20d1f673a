"""The benchmark runs end to end on tiny registers and leaves its figures in a JSON file.

Only that it runs: the figures of two registers of a few hundred rows say
nothing about speed, so nothing here asserts a time.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.postgresql_only(
    "the benchmark measures PostgreSQL, the production database"
)

PROJECT_DIR = Path(__file__).resolve().parents[2]


def _bench_database_url():
    """A database of the benchmark's own beside the test database, named so it may be dropped."""
    database = settings.DATABASES["default"]
    credentials = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
    return (
        f"postgres://{credentials}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
        f"/{database['NAME']}_bench_smoke"
    )


def test_a_quick_run_times_every_page_and_writes_json(tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--drop", "--results-dir", str(tmp_path)],
        check=False,  # the assertion below shows the run's own error output
        cwd=PROJECT_DIR,
        env={**os.environ, "DATABASE_URL": _bench_database_url()},  # bench.settings, always
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert "Growth 200 → 400" in completed.stdout
    assert "Targets (issue 13)" in completed.stdout

    [result_file] = tmp_path.glob("bench-*.json")
    document = json.loads(result_file.read_text())
    assert document["sizes"] == [200, 400]
    for size in ("200", "400"):
        pages = document["results"][size]["pages"]
        for name in ("floor", "admin_search", "list", "list_search", "list_last_page",
                     "list_as_of", "detail", "overview", "overview_as_of", "changes",
                     "compilation", "budget", "api_assignments", "api_assignments_as_of"):
            assert pages[name]["queries"] > 0, name
            assert pages[name]["in_process"]["median_ms"] > 0, name
            assert pages[name]["http"]["median_ms"] > 0, name
            # Every page but the references is held against a floor timed between
            # its own requests, one floor request per page request.
            own_floor = pages[name]["http_floor"]
            if name in ("floor", "admin_search"):
                assert own_floor["n"] == 0, name
            else:
                assert own_floor["n"] == pages[name]["http"]["n"], name
    list_page = document["results"]["400"]["pages"]["list"]
    [within_five] = [target for target in document["targets"]
                     if target["page"] == "list" and "floor" in target["target"]]
    assert within_five["value"] == round(
        list_page["http"]["median_ms"] / list_page["http_floor"]["median_ms"], 2
    )
    assert document["growth"]["list"]["queries"][0] == document["growth"]["list"]["queries"][1]
    assert document["targets"]
    load_test = document["load_test"]
    assert load_test["accepted_writes"] > 0
    assert load_test["errors"] == [] and load_test["lost_writes"] == []


@pytest.mark.django_db
def test_the_synthetic_history_carries_the_nodes_the_app_would_give_it():
    """bench.data writes the history by SQL, with its own copy of validity_fork's rule:
    the as-of pages it times must read the same parts as the app's own writes give."""
    from bench import data
    from tests.overview.test_register_at_any_day import assert_every_version_has_its_node

    data.add_assignments(1, 60)

    assert_every_version_has_its_node()
