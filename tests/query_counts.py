"""The query-count check every page shares: the count stays flat as the data grows.

A pinned number ("the list takes 10 queries") breaks on every harmless change and
says nothing about what matters to a user, that a page with a year's data is as
quick as one with a week's. So the check compares: the queries of one request with
few rows against the same request after more rows were added.
"""

from collections import Counter

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_made(fetch):
    """What `fetch()` returns, and the SQL of each query it made."""
    with CaptureQueriesContext(connection) as context:
        result = fetch()
    return result, [query["sql"] for query in context.captured_queries]


def assert_same_number(fewer, more, what):
    """Two lists of SQL are as long; if not, the message shows the queries only `more` made."""
    added = Counter(more) - Counter(fewer)
    assert len(more) == len(fewer), (
        f"{len(fewer)} queries {what[0]}, {len(more)} {what[1]}; not made before:\n"
        + "\n".join(added.elements())
    )


def assert_queries_do_not_grow(fetch, add, few=5, many=50):
    """`fetch()` makes as many queries with `many` rows as with `few`; returns its last result.

    `add(serials)` makes one row (or set of rows) per serial number: first
    `range(few)`, then `range(few, many)`, so that the rows added later are new
    ones. `fetch()` runs once before counting, to fill the process-wide caches
    (content types, translations) that any first request fills. A `fetch` that
    downloads a file reads it whole, since a streamed file queries as it is sent.
    """
    add(range(few))
    fetch()
    _result, with_few = queries_made(fetch)
    add(range(few, many))
    result, with_many = queries_made(fetch)
    assert_same_number(with_few, with_many, (f"with {few} rows", f"with {many}"))
    return result
