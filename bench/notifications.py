"""`send_notifications` at the largest size: 2 000 people following the register, timed and counted.

The people are written by SQL like the register (bench.data): 2 000 handläggare
with addresses, the assignments handed out among them as case officers, each
following 20 more, a tenth wanting daily summaries, a tenth English, a fifth the
digest; and a KS meeting five days ahead, so the run records the digest too.
The first run records and sends what is due today (the stale reminders of every
case officer, the deadlines of the next 14 days and the last week, the digest);
the second is the steady state every five minutes: nothing new, nothing sent.
"""

import time
from datetime import timedelta

from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from assignments.models import Meeting
from malmo_ks import roles
from malmo_ks.history import attributed_to
from notifications.due import record_due
from notifications.sending import send_due

PEOPLE = 2000
FOLLOWED_EACH = 20
PREFIX = "bench_person_"


def add_people():
    group = Group.objects.get(name=roles.HANDLAGGARE).pk
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"""
            INSERT INTO auth_user (password, is_superuser, username, first_name, last_name,
                                   email, is_staff, is_active, date_joined)
            SELECT '!', false, '{PREFIX}' || n, 'Person', n::text,
                   '{PREFIX}' || n || '@malmo.example', false, true, now()
            FROM generate_series(1, {PEOPLE}) AS n;
            INSERT INTO auth_user_groups (user_id, group_id)
            SELECT id, {group} FROM auth_user WHERE username LIKE '{PREFIX}%';
            CREATE TEMPORARY TABLE bench_people ON COMMIT DROP AS
            SELECT id, row_number() OVER (ORDER BY id) - 1 AS k
            FROM auth_user WHERE username LIKE '{PREFIX}%';
            UPDATE assignments_assignment AS a SET case_officer_id = p.id
            FROM bench_people AS p WHERE p.k = a.id % {PEOPLE};
            INSERT INTO notifications_subscription (user_id, assignment_id, created_at)
            SELECT p.id, a.id, now() FROM bench_people AS p
            JOIN assignments_assignment AS a
              ON a.id % {PEOPLE} = (p.k + 1) % {PEOPLE} AND a.id <= {PEOPLE * FOLLOWED_EACH};
            INSERT INTO notifications_preferences (user_id, change_delivery, wants_digest,
                                                   language, calendar_token)
            SELECT id, CASE WHEN k % 10 = 0 THEN 'daily' ELSE 'each' END, k % 5 = 0,
                   CASE WHEN k % 10 = 1 THEN 'en' ELSE 'sv' END, md5(id::text || random()::text)
            FROM bench_people;
        """)
    meeting = Meeting(body=Meeting.Body.KS, date=timezone.localdate() + timedelta(days=5))
    with attributed_to("bench (syntetiska data)"):
        meeting.save()


def _timed(work):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = work()
        seconds = time.perf_counter() - started
    return result, round(seconds, 2), len(queries.captured_queries)


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def measure():
    """Two runs of what `send_notifications` does: its figures for the report."""
    add_people()
    runs = []
    for _run in range(2):
        recorded, record_seconds, record_queries = _timed(record_due)
        sent, send_seconds, send_queries = _timed(send_due)
        runs.append({
            "recorded": recorded, "record_seconds": record_seconds,
            "record_queries": record_queries, "sent": sent.sent, "failed": sent.failed,
            "send_seconds": send_seconds, "send_queries": send_queries,
        })
    return {"people": PEOPLE, "runs": runs,
            "seconds": max(run["record_seconds"] + run["send_seconds"] for run in runs)}
