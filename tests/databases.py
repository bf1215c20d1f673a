"""Marks for the tests that only PostgreSQL can run (see `postgresql_only` in conftest)."""

import pytest

# Threads that write at the same moment: PostgreSQL makes each wait for the row or
# index entry another holds, while the in-memory SQLite test database refuses the
# second writer at once ("database table is locked"), so the race never happens.
concurrent_writers = pytest.mark.postgresql_only(
    "concurrent writers: SQLite's in-memory test database refuses a second writer at once"
)
