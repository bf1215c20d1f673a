"""The import's steps, in order: read the file, plan each row (the preview), write once.

Importing the Excel list of assignments (or budget rows): read, preview, then write once."""

from .columns import ASSIGNMENT_COLUMNS, ASSIGNMENTS, BUDGET, BUDGET_COLUMNS
from .planning import RowPlan, plan_import
from .reading import MAX_BYTES, MAX_ROWS, ImportRefused, read_upload
from .session import forget, keep_in_session, pending_upload
from .writing import PlanNotConfirmable, import_upload

__all__ = [
    "ASSIGNMENTS",
    "ASSIGNMENT_COLUMNS",
    "BUDGET",
    "BUDGET_COLUMNS",
    "MAX_BYTES",
    "MAX_ROWS",
    "ImportRefused",
    "PlanNotConfirmable",
    "RowPlan",
    "forget",
    "import_upload",
    "keep_in_session",
    "pending_upload",
    "plan_import",
    "read_upload",
]
