"""Two schedulers at once: each message is recorded once and sent once."""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from notifications.due import record_due
from notifications.models import Message
from notifications.sending import send_due
from tests.factories import make_assignment

from .conftest import person

PARALLEL = 4


def at_once(work):
    """Run `work` in PARALLEL threads released together; return what each returned."""
    start, results, errors = threading.Barrier(PARALLEL), [], []

    def worker():
        try:
            start.wait(timeout=10)
            results.append(work())
        except Exception as error:  # noqa: BLE001 - the test reports it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return results


@pytest.mark.postgresql_only("concurrent writers on separate connections: row locks, SKIP LOCKED")
@pytest.mark.django_db(transaction=True)
def test_schedulers_running_at_once_record_and_send_each_message_once(smtp):
    officers = [person(f"handlaggare{number}") for number in range(3)]
    today = timezone.localdate()
    for number in range(60):
        make_assignment(case_officer=officers[number % 3], decided_on=today - timedelta(days=30),
                        planned_completion=today + timedelta(days=1 + number % 14))

    at_once(record_due)
    outcomes = at_once(send_due)

    assert Message.objects.count() == 60
    assert sum(outcome.sent for outcome in outcomes) == 60
    assert not Message.objects.filter(sent_at__isnull=True).exists()
    sent = Counter((tuple(message.to), message.subject) for message in smtp.received)
    assert len(sent) == 60
    assert set(sent.values()) == {1}
