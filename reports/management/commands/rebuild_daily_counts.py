"""Keep the daily counts per status up to yesterday (run nightly, and after writing history by SQL)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from malmo_ks.dates import parse_iso_date
from reports.daily_counts import rebuild_daily_counts


class Command(BaseCommand):
    help = "Fill the daily counts per status up to yesterday; --since rebuilds from that day."

    def add_arguments(self, parser):
        parser.add_argument("--since", type=parse_iso_date, default=None,
                            help="rebuild from this day (YYYY-MM-DD) instead of the last kept one")

    def handle(self, *args, since=None, **options):
        with transaction.atomic():
            rows = rebuild_daily_counts(since)
        self.stdout.write(f"{rows} daily counts written.")
