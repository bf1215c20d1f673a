"""`send_notifications`: record every message that is due, send what is unsent, exit."""

from django.core.management.base import BaseCommand

from notifications.due import record_due
from notifications.sending import send_due


class Command(BaseCommand):
    help = (
        "Records the reminders, changes, daily summaries and digests that are due, "
        "then sends every unsent message whose time has come. Safe to run as often "
        "and in as many places at once as one likes: nothing is sent twice."
    )

    def handle(self, *args, **options):
        recorded = record_due()
        outcome = send_due()
        self.stdout.write(
            f"{recorded} recorded, {outcome.sent} sent, {outcome.failed} failed"
        )
