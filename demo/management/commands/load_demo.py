"""Fill an empty register with demo data, in one transaction; a second run changes nothing."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assignments.daily_counts import rebuild_daily_counts
from demo import budget as budget_demo
from demo import register as demo
from malmo_ks.history import attributed_to, command_label


class Command(BaseCommand):
    help = "Load demo data (31 assignments with history 2014–2017, budget 2015–2016)."

    def handle(self, *args, **options):
        if demo.is_demo_loaded():
            self.stdout.write("Demo data is already loaded; nothing changed.")
            return
        if not demo.register_is_empty():
            raise CommandError(
                "The register already holds data that is not demo data; "
                "load_demo only fills an empty register."
            )
        with attributed_to(command_label("load_demo")), transaction.atomic():
            loaded = demo.load()
            budget_demo.load(loaded["assignments"])
            demo.mark_loaded()
            # The demo's history is dated 2014–2017: the daily counts of those days.
            rebuild_daily_counts()
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {len(loaded['assignments'])} demo assignments. "
                f"Log in as handlaggare, politiker or admin with password '{demo.PASSWORD}'."
            )
        )
