"""Keep the daily counts per status up to the day before yesterday (run nightly, and after
writing history by SQL)."""

import argparse

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.db import transaction

from assignments.daily_counts import rebuild_daily_counts
from malmo_ks.dates import parse_iso_date, validate_plausible_date


def register_day(text):
    """A day of the register's era, written 2016-12-31."""
    try:
        day = parse_iso_date(text)
        validate_plausible_date(day)
    except (ValueError, ValidationError) as error:
        raise argparse.ArgumentTypeError(f"{text!r}: a day 2000-01-01 to 2100-12-31") from error
    return day


class Command(BaseCommand):
    help = (
        "Fill the daily counts per status up to the day before yesterday; "
        "--since rebuilds from that day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", type=register_day, default=None,
                            help="rebuild from this day (YYYY-MM-DD) instead of the last kept one")

    def handle(self, *args, since=None, **options):
        with transaction.atomic():
            rows = rebuild_daily_counts(since)
        self.stdout.write(f"{rows} daily counts written.")
