"""Import assignments or budget rows from an XLSX or CSV file: a preview unless --commit."""

from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imports import pipeline
from malmo_ks.history import attributed_to, command_label

STATE_WORDS = {
    pipeline.RowPlan.CREATE: gettext_lazy("Will be created"),
    pipeline.RowPlan.UPDATE: gettext_lazy("Will change"),
    pipeline.RowPlan.UNCHANGED: gettext_lazy("Stays unchanged"),
    pipeline.RowPlan.ERROR: gettext_lazy("Has errors"),
}


class Command(BaseCommand):
    help = (
        "Import assignments or budget rows from an XLSX or CSV file, as the import page "
        "does. Without --commit only the preview is printed; nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--dry-run", dest="commit", action="store_false", default=False,
            help="Print what would change and write nothing (the default).",
        )
        mode.add_argument(
            "--commit", dest="commit", action="store_true",
            help="Write the rows, all or none, attributed to this command.",
        )

    def handle(self, *args, file, commit, **options):
        try:
            with file.open("rb") as stream:
                upload = pipeline.read_upload(File(stream, name=file.name))
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from error
        except pipeline.ImportRefused as refusal:
            raise CommandError(f"{file.name}: {refusal}") from refusal
        plan = pipeline.plan_import(upload)
        self._print_plan(plan)
        if plan.errors:
            message = _("The file has errors; nothing has been imported.")
            raise CommandError(f"{file.name}: {message}")
        if not commit:
            self.stdout.write(
                _("Preview only: nothing has been written. Run with --commit to import.")
            )
            return
        try:
            with attributed_to(command_label("import_register")):
                plan = pipeline.import_upload(upload, user=None, expected_digest=plan.digest)
        except pipeline.ImportRefused as refusal:
            raise CommandError(f"{file.name}: {refusal}") from refusal
        self.stdout.write(self.style.SUCCESS(plan.done_message()))

    def _print_plan(self, plan):
        for row in plan.rows:
            self.stdout.write(
                _("Row %(number)s:") % {"number": row.number} + f" {row.key} – {STATE_WORDS[row.state]}"
            )
            for change in row.changes:
                self.stdout.write(f"  {change.label}: {change.old} → {change.new}")
            for error in row.errors:
                self.stdout.write(f"  {error.column}: {error.message}" if error.column
                                  else f"  {error.message}")

