"""History records told in plain words: field labels and display values, never ids.

Shared by the assignment's timeline and the changed-since page, so that both
describe a change the same way.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from malmo_ks.history import display_name
from malmo_ks.wording import format_planned_completion, swedish_number

from .models import Meeting, Treatment

EMPTY = "–"

# A date and its "only the year counts" flag are one value to a reader: "under 2017".
YEAR_FLAGS = {
    "planned_completion": "planned_completion_is_year",
    "previous_date": "previous_is_year",
    "new_date": "new_is_year",
}

# The fields a reader is told about, in the order of the detail page.
ASSIGNMENT_FIELDS = (
    "reference", "title", "description", "area", "responsible_unit", "case_officer",
    "decided_on", "decision_reference", "decision_paragraph", "status", "status_treatment",
    "planned_completion", "outcome", "follow_up_owner",
)
TREATMENT_FIELDS = ("meeting", "paragraph", "reference", "kind", "summary")
MEETING_FIELDS = ("body", "committee", "date", "protocol_reference")
REPORT_FIELDS = (
    "report_date", "text", "assessment", "assessment_motivation", "author", "treatment",
)
DEADLINE_FIELDS = ("previous_date", "new_date", "reason")

# Related rows whose label needs another row: a meeting of a nämnd is named after it,
# a treatment after its meeting.
LABEL_RELATIONS = {Treatment: ("meeting__committee",), Meeting: ("committee",)}


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


def field_labels(model):
    """Capitalised verbose names by field name, for table headings and definition lists."""
    return {field.name: capfirst(field.verbose_name) for field in model._meta.fields}


def completion_label(day, is_year):
    """A planned completion as the register shows it: "under 2017" or "2017-06-30"."""
    return format_planned_completion(day, is_year) or EMPTY


def treatment_label(record, names):
    """`KS 2016-11-02 § 312` for a treatment's history record, without a query."""
    treatment = record.instance
    meeting = names.get(Meeting, treatment.meeting_id)
    if meeting is None:
        return f"{_('(removed)')} § {treatment.paragraph}"
    treatment.meeting = meeting
    return str(treatment)


class Names:
    """Display names for the rows that history records point to.

    Ids are collected from all records first and fetched with one `in_bulk` per
    related model, so the number of queries does not grow with the history. A row
    deleted since (a user who left) shows as removed; who made a change is kept by
    name in the history record itself.
    """

    def __init__(self):
        self._ids = defaultdict(set)
        self._rows = {}

    def collect(self, records, field_names):
        for record in records:
            for name in field_names:
                field = record._meta.get_field(name)
                value = getattr(record, field.attname)
                if field.is_relation and value is not None:
                    self._ids[field.related_model].add(value)
        return self

    def fetch(self):
        for model, ids in self._ids.items():
            queryset = model._default_manager.select_related(*LABEL_RELATIONS.get(model, ()))
            self._rows[model] = queryset.in_bulk(ids)
        return self

    def get(self, model, pk):
        return self._rows.get(model, {}).get(pk)

    def label(self, model, pk):
        row = self.get(model, pk)
        if row is None:
            return _("(removed)")
        return display_name(row) if model is get_user_model() else str(row)


def value_label(record, name, names):
    """The value of one field of a history record, as a reader wants to see it."""
    if name in YEAR_FLAGS:
        return completion_label(getattr(record, name), getattr(record, YEAR_FLAGS[name]))
    field = record._meta.get_field(name)
    value = getattr(record, field.attname)
    if value is None or value == "":
        return EMPTY
    if field.is_relation:
        return names.label(field.related_model, value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DecimalField):
        return swedish_number(value, field.decimal_places)
    return str(value)


def tracked(field_names):
    """The field names to diff: each date with its year flag."""
    return [*field_names, *(YEAR_FLAGS[name] for name in field_names if name in YEAR_FLAGS)]


def field_changes(new, old, field_names, names):
    """What changed from `old` to `new`, in `field_names` order, with display values."""
    changed = set(new.diff_against(old, included_fields=tracked(field_names)).changed_fields)
    labels = field_labels(new.instance_type)
    return [
        FieldChange(labels[name], value_label(old, name, names), value_label(new, name, names))
        for name in field_names
        if name in changed or YEAR_FLAGS.get(name) in changed
    ]


class DeadlineMoves:
    """Deadline moves that their own log entry tells, with the earlier date and the reason.

    `move_deadline` saves the assignment too; its diff would repeat the move
    without the reason, so it leaves out a planned completion matching a move.
    A change without a matching move (there should be none) is still told.
    """

    def __init__(self, move_records):
        self._untold = Counter(
            (r.previous_date, r.previous_is_year, r.new_date, r.new_is_year)
            for r in move_records
            if r.history_type == "+"
        )

    def fields_to_tell(self, new, old, field_names):
        move = (
            old.planned_completion,
            old.planned_completion_is_year,
            new.planned_completion,
            new.planned_completion_is_year,
        )
        if move[:2] == move[2:] or not self._untold[move]:
            return field_names
        self._untold[move] -= 1
        return [name for name in field_names if name != "planned_completion"]


def consecutive(records, previous=None):
    """(previous record, record) pairs per object, for records ordered by date.

    `previous` seeds the pairing with the records just before a period, so that
    the first change inside it is compared with the state it started from.
    """
    latest = dict(previous or {})
    for record in records:
        yield latest.get(record.id), record
        latest[record.id] = record


def who(record):
    return record.history_user_name or _("unknown")
