"""A page asked again on the same connection runs prepared statements: planned once.

The assignment page's main query joins eight tables; PostgreSQL spent longer
planning it than running it. With the parameters sent apart from the SQL
(`server_side_binding`), psycopg prepares a query when it runs a second time, and
the connection (kept between requests, CONN_MAX_AGE) keeps it.
"""

import pytest
from django.db import connection
from django.urls import reverse

from tests.factories import make_assignment
from tests.register.reading import visible_text

from .processes import database_url_of_tests, manage, production_env

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgresql_only("prepared statements are PostgreSQL's"),
]

PREPARED = "SELECT count(*) FROM pg_prepared_statements WHERE NOT from_sql"
COUNT_PREPARED_ONCE_USED_TWICE = (
    "from django.db import connection; c = connection.cursor(); "
    "[c.execute('SELECT %s::int AS twice', [n]) for n in (1, 2)]; "
    f"c.execute({PREPARED + ' AND statement LIKE %s'!r}, ['%twice%']); print(c.fetchone()[0])"
)


def _prepared():
    with connection.cursor() as cursor:
        cursor.execute(PREPARED)
        return cursor.fetchone()[0]


def test_the_assignment_page_asked_again_reads_with_prepared_statements(client, handlaggare):
    first = make_assignment(title="Översyn av hemtjänsten")
    second = make_assignment(title="Trygghet i Rosengård")
    client.force_login(handlaggare)
    before = _prepared()
    client.get(reverse("assignments:detail", args=[first.pk]))
    client.get(reverse("assignments:detail", args=[first.pk]))
    prepared = _prepared()
    assert prepared > before
    # Another assignment is the same statements with other parameters: its page is
    # its own, and nothing more is prepared for it.
    page = client.get(reverse("assignments:detail", args=[second.pk]))
    assert "Trygghet i Rosengård" in visible_text(page)
    assert "Översyn av hemtjänsten" not in visible_text(page)
    assert _prepared() == prepared


def test_db_prepare_threshold_minus_one_turns_preparing_off():
    """For a PgBouncer in transaction mode, which cannot keep a session's statements."""
    env = production_env(DATABASE_URL=database_url_of_tests(), DB_PREPARE_THRESHOLD="-1")
    result = manage("shell", "-c", COUNT_PREPARED_ONCE_USED_TWICE, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "0"
    result = manage("shell", "-c", COUNT_PREPARED_ONCE_USED_TWICE, env=production_env(
        DATABASE_URL=database_url_of_tests()
    ))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "1"
