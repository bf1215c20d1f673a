"""The import's steps, in order: read the file, plan each row (the preview), write once.

Importing the Excel list of assignments (or budget rows): read, preview, then write once."""

from .columns import (
    ASSIGNMENT_COLUMNS,
    ASSIGNMENTS,
    BUDGET,
    BUDGET_COLUMNS,
    MEETING_COLUMNS,
    MEETINGS,
    PLAN_KINDS,
    REGISTER_KINDS,
)
from .planning import RowPlan, plan_import
from .reading import MAX_BYTES, MAX_ROWS, ImportRefused, read_upload
from .session import forget, keep_in_session, pending_upload
from .writing import PlanNotConfirmable, import_upload

__all__ = [
    "ASSIGNMENTS",
    "ASSIGNMENT_COLUMNS",
    "BUDGET",
    "BUDGET_COLUMNS",
    "MEETINGS",
    "MEETING_COLUMNS",
    "PLAN_KINDS",
    "REGISTER_KINDS",
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
