"""Writing a confirmed import in one transaction: every row or none.

The last step of an import: `import_upload()` plans again inside one transaction and
writes only if the plan is still the one the user saw and has no error. An import
spans several models and the outside world (a file), so it lives in this package
rather than on a model.
"""

import logging

from django.db import DatabaseError, IntegrityError, transaction
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from .planning import plan_import
from .reading import ImportRefused

logger = logging.getLogger("imports")


def import_reason(file_name):
    # Kept in the history, a public record in Swedish, whatever the UI language.
    return f"Import från {file_name}"


class PlanNotConfirmable(ImportRefused):
    """At confirmation the plan has errors or is no longer the one previewed."""

    def __init__(self, message, plan):
        super().__init__(message)
        self.plan = plan


def import_upload(upload, *, user, expected_digest=None):
    """Plan `upload` again and write it in one transaction: every row or none.

    `expected_digest` is the plan the user confirmed; if the register has changed
    since, so that the plan differs, nothing is written.
    """
    try:
        with transaction.atomic():
            plan = plan_import(upload, lock=True)
            if plan.errors:
                raise PlanNotConfirmable(
                    _("The file has errors; nothing has been imported."), plan
                )
            if expected_digest is not None and not constant_time_compare(
                plan.digest, expected_digest
            ):
                raise PlanNotConfirmable(
                    _("The register has changed since the preview; nothing has been "
                      "imported. Check the new preview and confirm again."),
                    plan,
                )
            reason = import_reason(upload.file_name)
            for row in plan.to_write:
                row.write(user, reason)
    except IntegrityError as error:
        # Someone registered the same diarienummer or budget row meanwhile.
        raise ImportRefused(
            _("The register changed during the import; nothing has been imported. "
              "Upload the file again.")
        ) from error
    except DatabaseError as error:
        # A lock or statement timeout, a value the database refuses, a lost connection:
        # the transaction is rolled back; the user learns that, the log learns why.
        logger.exception("Import of %s refused by the database", upload.file_name)
        raise ImportRefused(
            _("The database could not save the import; nothing has been imported. Upload "
              "the file again; if this happens again, tell the register's administrator.")
        ) from error
    return plan
