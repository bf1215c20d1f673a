"""Optimistic locking of assignments: a save from an outdated page is refused with what changed."""

from dataclasses import dataclass
from datetime import datetime

from .history_display import ASSIGNMENT_FIELDS, FieldChange, Names, field_changes, who
from .models import Assignment


@dataclass(frozen=True)
class Revision:
    """One save made by someone else: who, when, why and which fields it changed."""

    user: str
    when: datetime
    reason: str
    fields: list[FieldChange]


class EditConflict(Exception):
    """The assignment was saved by someone else after the user's page was loaded."""

    def __init__(self, current_version, revisions):
        super().__init__(f"outdated version; the assignment is at version {current_version}")
        self.current_version = current_version
        self.revisions = revisions


def ensure_unchanged(assignment, loaded_version):
    """Lock the assignment's row; refuse if it has moved past `loaded_version`.

    Runs inside `transaction.atomic()`: the lock makes a concurrent save wait
    and then see the first one's new version instead of overwriting it.
    """
    current = (
        Assignment.objects.select_for_update()
        .values_list("version", flat=True)
        .get(pk=assignment.pk)
    )
    if current != loaded_version:
        raise EditConflict(current, revisions_since(assignment.pk, loaded_version))


def revisions_since(pk, version):
    """The saves after `version`, each compared with the record before it."""
    records = list(
        Assignment.history.filter(id=pk, version__gte=version).order_by("version", "history_id")
    )
    names = Names().collect(records, ASSIGNMENT_FIELDS).fetch()
    return [
        Revision(
            user=who(new),
            when=new.history_date,
            reason=new.history_change_reason or "",
            fields=field_changes(new, old, ASSIGNMENT_FIELDS, names),
        )
        for old, new in zip(records, records[1:])
    ]
