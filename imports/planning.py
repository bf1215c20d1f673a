"""Planning an import: what every row of the file would do to the register as it is now.

The second step of an import: `plan_import()` compares every row with the register:
what will be created, what changes (field: old → new), what is unchanged, and every
error with its row and column. It writes nothing. The writes it prepares go through
the models' own verbs and validation (`save_tracked`, `move_deadline`, `full_clean`),
so an import cannot do what a user could not.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext as _
from django.utils.translation import npgettext

from assignments.forms import case_officer_choices
from assignments.history_display import EMPTY, FieldChange, completion_label, field_labels
from assignments.models import Assignment, CommissionArea, DeadlineChange, Meeting, Unit
from budget.models import AccountClass, BudgetRow
from malmo_ks.history import display_name
from malmo_ks.wording import swedish_number

from .cells import (
    CellError,
    _required,
    parse_account_class,
    parse_amount,
    parse_completion,
    parse_date,
    parse_positive_int,
    parse_reference,
    parse_status,
    parse_year,
)
from .columns import (
    ASSIGNMENTS,
    BUDGET,
    COLUMNS,
    MEETINGS,
    NEEDED_BY_NEW,
    column_header,
    max_cell_length,
)
from .reading import Upload

# Stands in for the reason while the preview checks a move; the write gives the file's name.
IMPORT_MOVE = "import"


@dataclass
class RowError:
    column: str
    message: str


@dataclass
class RowPlan:
    """What one row of the file will do to the register."""

    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    ERROR = "error"
    STATES = (CREATE, UPDATE, UNCHANGED, ERROR)

    number: int
    key: str
    action: str = UNCHANGED
    changes: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    write: object = None  # callable(user, reason), set when the row has something to write

    def fail(self, column, message):
        self.errors.append(RowError(column, message))

    @property
    def state(self):
        return self.ERROR if self.errors else self.action


def _counted(kind, state, count):
    """"1 nytt", "2 ändrade": a count of the summary in the number and gender it takes.

    Swedish adjectives agree with the implied noun: an assignment (uppdrag) is
    neuter, "1 nytt, 1 ändrat"; a budget row (budgetrad) common, "1 ny, 1 ändrad";
    several (or none) of either are "nya, ändrade". Hence one plural entry per
    count and kind, the kind as the translation's context.
    """
    if kind == ASSIGNMENTS:
        words = {
            RowPlan.CREATE: npgettext(
                "imported assignments", "%(count)s new", "%(count)s new", count
            ),
            RowPlan.UPDATE: npgettext(
                "imported assignments", "%(count)s changed", "%(count)s changed", count
            ),
            RowPlan.UNCHANGED: npgettext(
                "imported assignments", "%(count)s unchanged", "%(count)s unchanged", count
            ),
        }
    else:
        words = {
            RowPlan.CREATE: npgettext(
                "imported budget rows", "%(count)s new", "%(count)s new", count
            ),
            RowPlan.UPDATE: npgettext(
                "imported budget rows", "%(count)s changed", "%(count)s changed", count
            ),
            RowPlan.UNCHANGED: npgettext(
                "imported budget rows", "%(count)s unchanged", "%(count)s unchanged", count
            ),
        }
    return words[state] % {"count": count}


@dataclass
class Plan:
    upload: Upload
    rows: list

    @property
    def errors(self):
        return [(row, error) for row in self.rows for error in row.errors]

    @property
    def counts(self):
        """Rows to create, to change, unchanged and with errors, for the summary."""
        states = [row.state for row in self.rows]
        return {state: states.count(state) for state in RowPlan.STATES}

    def done_message(self):
        counts = self.counts
        parts = {
            name: _counted(self.upload.kind, state, counts[state])
            for name, state in (
                ("created", RowPlan.CREATE),
                ("changed", RowPlan.UPDATE),
                ("unchanged", RowPlan.UNCHANGED),
            )
        }
        return _("%(file)s has been imported: %(created)s, %(changed)s, %(unchanged)s.") % {
            "file": self.upload.file_name,
            **parts,
        }

    @property
    def to_write(self):
        return [row for row in self.rows if row.write is not None]

    @property
    def can_confirm(self):
        return not self.errors and bool(self.to_write)

    @property
    def digest(self):
        """A fingerprint of what the user was shown, to confirm exactly that."""
        shown = [
            (row.number, row.action, [(c.label, c.old, c.new) for c in row.changes],
             [(e.column, e.message) for e in row.errors])
            for row in self.rows
        ]
        payload = json.dumps([self.upload.sha256, shown], ensure_ascii=False, default=str)
        return hashlib.sha256(payload.encode()).hexdigest()


class Cells:
    """One row's cells, read with a parser each; a failing cell becomes a row error."""

    def __init__(self, plan_row, kind, cells, too_long):
        self.row = plan_row
        self.kind = kind
        self.cells = cells
        self.too_long = too_long  # {column key: length} of the cells the reading emptied
        self.failed = False

    def has(self, key):
        return key in self.cells

    def read(self, key, parse=str):
        """The parsed cell; None for a column the file leaves out, or a cell in error."""
        if key not in self.cells:
            return None
        if key in self.too_long:
            # The model's own words for a value too long.
            limit = max_cell_length(self.kind, key)
            self.fail(key, MaxLengthValidator.message % {
                "limit_value": limit, "show_value": self.too_long[key],
            })
            return None
        try:
            return parse(self.cells[key])
        except CellError as error:
            self.fail(key, str(error))
            return None

    def fail(self, key, message):
        self.failed = True
        self.row.fail(column_header(self.kind, key), message)

    def fail_validation(self, error, keys):
        """A model's ValidationError, each message under the column of its field."""
        for name, messages in error.message_dict.items():
            column = name if name in keys else None
            for message in messages:
                if column:
                    self.fail(column, message)
                else:
                    self.failed = True
                    self.row.fail("", message)


def _display(value):
    if value is None or value == "":
        return EMPTY
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, AbstractBaseUser):
        return display_name(value)
    return str(value)


def _kronor(amount):
    return EMPTY if amount is None else f"{swedish_number(amount, 2)} kr"


BUDGET_DISPLAY = {
    "account_class": lambda value: EMPTY if value is None else str(AccountClass(value).label),
    "budget": _kronor,
    "outcome": _kronor,
}


class AssignmentLookups:
    """Units, areas and the file's existing assignments, fetched once for all rows."""

    def __init__(self, upload, lock):
        self.units = {}
        for unit in Unit.objects.all():
            self.units.setdefault(unit.name.lower(), []).append(unit)
        self.areas = {}
        for area in CommissionArea.objects.all():
            for name in (str(area.number), area.name, str(area)):
                self.areas[name.lower()] = area
        self.officers = {}
        if any("case_officer" in cells for _number, cells in upload.rows):
            for user in case_officer_choices():
                for name in _officer_names(user):
                    self.officers.setdefault(name, []).append(user)
        references = [cells.get("reference", "") for _number, cells in upload.rows]
        assignments = Assignment.objects.select_related(
            "area", "responsible_unit", "status_treatment", "case_officer"
        )
        if lock:
            assignments = assignments.select_for_update(of=("self",))
        self.existing = assignments.in_bulk(references, field_name="reference")

    def unit(self, text, on_day):
        candidates = self.units.get(_required(text).lower(), [])
        if len(candidates) > 1 and on_day is not None:
            candidates = [unit for unit in candidates if _valid_on(unit, on_day)]
        if not candidates:
            raise CellError(
                _("Unknown unit “%(value)s”: no nämnd or förvaltning in the register has "
                  "this name.") % {"value": text}
            )
        if len(candidates) > 1:
            raise CellError(
                _("Several units are named “%(value)s”; none of them alone was valid on the "
                  "decision date.") % {"value": text}
            )
        return candidates[0]

    def area(self, text):
        area = self.areas.get(_required(text).lower())
        if area is None:
            raise CellError(
                _("Unknown commission area “%(value)s”; use its number 1–6 or its name.")
                % {"value": text}
            )
        return area

    def officer(self, text, current):
        """The user a cell names, by name or user name, as the edit form offers them:
        an active handläggare, or whoever the assignment names now."""
        if not text:
            return None
        name = text.lower()
        candidates = {user.pk: user for user in self.officers.get(name, [])}
        if current is not None and name in _officer_names(current):
            candidates[current.pk] = current
        for user in candidates.values():
            if user.get_username().lower() == name:
                return user
        if not candidates:
            raise CellError(
                _("Unknown case officer “%(value)s”: no active handläggare has this name or "
                  "user name.") % {"value": text}
            )
        if len(candidates) > 1:
            raise CellError(
                _("Several handläggare are named “%(value)s”; write the user name instead.")
                % {"value": text}
            )
        return next(iter(candidates.values()))


def _officer_names(user):
    return {display_name(user).lower(), user.get_username().lower()}


def _valid_on(unit, day):
    return unit.valid_from <= day and (unit.valid_to is None or day <= unit.valid_to)


def _plan_assignment(number, raw, too_long, lookups, seen):
    plan_row = RowPlan(number, raw.get("reference", ""))
    cells = Cells(plan_row, ASSIGNMENTS, raw, too_long)
    reference = cells.read("reference", parse_reference)
    if reference in seen:
        cells.fail(
            "reference",
            _("The diarienummer %(reference)s is also on row %(row)s; each assignment may "
              "appear once in the file.") % {"reference": reference, "row": seen[reference]},
        )
    elif reference:
        seen[reference] = number
    existing = lookups.existing.get(reference)
    decided_on = cells.read("decided_on", lambda text: parse_date(_required(text)))
    values = {
        "title": cells.read("title", _required),
        "description": cells.read("description"),
        "area": cells.read("area", lookups.area),
        "responsible_unit": cells.read(
            "responsible_unit", lambda text: lookups.unit(text, decided_on)
        ),
        "decided_on": decided_on,
        "decision_reference": cells.read("decision_reference", parse_reference),
        "decision_paragraph": cells.read(
            "decision_paragraph",
            lambda text: text and parse_positive_int(
                text, _("“%(value)s” is not a paragraph number (§).")
            ) or None,
        ),
        "case_officer": cells.read(
            "case_officer",
            lambda text: lookups.officer(text, existing.case_officer if existing else None),
        ),
    }
    status = cells.read("status", parse_status)
    completion = cells.read("planned_completion", parse_completion)
    if cells.failed:
        return plan_row
    values = {name: value for name, value in values.items() if cells.has(name)}
    if existing is None:
        _plan_new_assignment(cells, reference, values, status, completion or (None, False))
    else:
        _plan_changed_assignment(cells, existing, values, status, completion)
    return plan_row


def _validate(cells, instance):
    # Uniqueness, constraints and related rows are checked again at the write;
    # here they would cost queries per row. The related rows come from the
    # lookups, and the file's own duplicates are checked above.
    relations = [f.name for f in instance._meta.fields if f.is_relation]
    try:
        instance.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        cells.fail_validation(error, [c.key for c in COLUMNS[cells.kind]])


def _plan_new_assignment(cells, reference, values, status, completion):
    for key in NEEDED_BY_NEW:
        if not cells.has(key):
            cells.fail(key, _("A new assignment needs this column, which the file lacks."))
    if status != Assignment.Status.ONGOING:
        cells.fail(
            "status",
            _("A new assignment is imported as pågående. Register its status report or "
              "closing, with the political treatment behind it, on the assignment's page "
              "after the import."),
        )
    if cells.failed:
        return
    day, is_year = completion
    assignment = Assignment(
        reference=reference,
        status=status,
        planned_completion=day,
        planned_completion_is_year=is_year,
        **values,
    )
    _validate(cells, assignment)
    if cells.failed:
        return
    labels = field_labels(Assignment)
    shown = {
        "reference": reference, **values,
        "status": assignment.get_status_display(),
        "planned_completion": completion_label(day, is_year),
    }
    cells.row.action = RowPlan.CREATE
    cells.row.changes = [
        FieldChange(labels[name], EMPTY, _display(value))
        for name, value in shown.items()
        if value not in (None, "", EMPTY)
    ]
    cells.row.write = lambda user, reason: assignment.save_tracked(user=user, reason=reason)


def _plan_changed_assignment(cells, assignment, values, status, completion):
    if status != assignment.status:
        cells.fail(
            "status",
            _("The register says %(stored)s, the file says %(new)s. A status changes with "
              "the political treatment behind it, on the assignment's page, not through an "
              "import.") % {
                "stored": assignment.get_status_display(),
                "new": Assignment.Status(status).label,
            },
        )
        return
    labels = field_labels(Assignment)
    changes = []
    for name, value in values.items():
        old = getattr(assignment, name)
        if old != value:
            changes.append(FieldChange(labels[name], _display(old), _display(value)))
            setattr(assignment, name, value)
    stored_completion = (assignment.planned_completion, assignment.planned_completion_is_year)
    move = completion if completion is not None and completion != stored_completion else None
    if move and move[0] is None:
        cells.fail(
            "planned_completion",
            _("An import cannot remove a planned completion; keep %(date)s in the file.")
            % {"date": completion_label(*stored_completion)},
        )
        return
    if move:
        # The deadline log's own rules judge the move (the register's era, a closed
        # assignment), so the preview refuses what the write would refuse.
        log_entry = DeadlineChange(
            assignment=assignment, new_date=move[0], new_is_year=move[1], reason=IMPORT_MOVE
        )
        try:
            log_entry.full_clean(exclude=["assignment", "changed_by"])
        except ValidationError as error:
            for message in error.messages:
                cells.fail("planned_completion", message)
            return
        changes.append(FieldChange(
            labels["planned_completion"], completion_label(*stored_completion),
            completion_label(*move),
        ))
    _validate(cells, assignment)
    if cells.failed or not changes:
        return
    cells.row.action = RowPlan.UPDATE
    cells.row.changes = changes

    def write(user, reason):
        if move:
            # The earlier date is kept in the deadline log, with the file as reason.
            assignment.move_deadline(move[0], is_year=move[1], user=user, reason=reason)
        else:
            assignment.save_tracked(user=user, reason=reason)

    cells.row.write = write


def _plan_budget_row(number, raw, too_long, existing, seen):
    plan_row = RowPlan(number, f"{raw.get('year', '')} {raw.get('name', '')}".strip())
    cells = Cells(plan_row, BUDGET, raw, too_long)
    year = cells.read("year", parse_year)
    name = cells.read("name", _required)
    values = {
        "account_class": cells.read("account_class", parse_account_class),
        "budget": cells.read("budget", lambda text: parse_amount(_required(text))),
        "outcome": cells.read("outcome", lambda text: text and parse_amount(text) or None),
    }
    values = {key: value for key, value in values.items() if cells.has(key)}
    if (year, name) in seen:
        cells.fail(
            "name",
            _("The budget row %(year)s %(name)s is also on row %(row)s; each row may "
              "appear once in the file.") % {"year": year, "name": name, "row": seen[year, name]},
        )
    elif year and name:
        seen[year, name] = number
    if cells.failed:
        return plan_row
    labels = field_labels(BudgetRow)
    row = existing.get((year, name))
    if row is None:
        row = BudgetRow(year=year, name=name)
        action = RowPlan.CREATE
        changes = [FieldChange(labels["year"], EMPTY, str(year)),
                   FieldChange(labels["name"], EMPTY, name)]
    else:
        action, changes = RowPlan.UPDATE, []
    for key, value in values.items():
        old = getattr(row, key)
        if old != value:
            changes.append(FieldChange(labels[key], BUDGET_DISPLAY[key](old),
                                       BUDGET_DISPLAY[key](value)))
            setattr(row, key, value)
    _validate(cells, row)
    if cells.failed or not changes:
        return plan_row
    plan_row.action, plan_row.changes = action, changes

    def write(user, reason):
        # A new version, so that an edit page loaded before the import is refused.
        row.save_tracked(user=user, reason=reason)

    plan_row.write = write
    return plan_row


class MeetingLookups:
    """The committees by name and the plan's meetings in the file's years, fetched once."""

    BODIES = {body.value.lower(): body for body in Meeting.Body if body != Meeting.Body.COMMITTEE}

    def __init__(self, upload, lock):
        self.units = {}
        for unit in Unit.objects.filter(kind=Unit.Kind.COMMITTEE):
            self.units.setdefault(unit.name.lower(), []).append(unit)
        years = set()
        for _number, cells in upload.rows:
            try:
                years.add(parse_date(cells.get("date", "")).year)
            except CellError:
                pass
        meetings = Meeting.objects.filter(date__year__in=years)
        if lock:
            meetings = meetings.select_for_update()
        self.existing = {
            (meeting.body, meeting.committee_id, meeting.date): meeting for meeting in meetings
        }

    def body(self, text, on_day):
        """(body, committee): KS, KSAU, KF, or a committee of the register by its name."""
        body = self.BODIES.get(_required(text).lower())
        if body is not None:
            return body, None
        candidates = self.units.get(text.lower(), [])
        if len(candidates) > 1 and on_day is not None:
            candidates = [unit for unit in candidates if _valid_on(unit, on_day)]
        if len(candidates) != 1:
            raise CellError(
                _("Unknown body “%(value)s”: write KS, KSAU, KF or the name of a committee "
                  "(nämnd) in the register.") % {"value": text}
            )
        return Meeting.Body.COMMITTEE, candidates[0]


def _plan_meeting(number, raw, too_long, lookups, seen):
    """A meeting of the plan: new, unchanged, or given its protocol's diarienummer."""
    plan_row = RowPlan(number, f"{raw.get('body', '')} {raw.get('date', '')}".strip())
    cells = Cells(plan_row, MEETINGS, raw, too_long)
    day = cells.read("date", lambda text: parse_date(_required(text)))
    body, committee = cells.read("body", lambda text: lookups.body(text, day)) or (None, None)
    protocol = cells.read("protocol_reference", lambda text: text and parse_reference(text))
    key = (body, committee.pk if committee else None, day)
    if key in seen:
        cells.fail("date", _("This meeting is also on row %(row)s; each meeting may appear "
                             "once in the file.") % {"row": seen[key]})
    elif body and day:
        seen[key] = number
    if cells.failed:
        return plan_row
    labels = field_labels(Meeting)
    meeting = lookups.existing.get(key)
    if meeting is None:
        meeting = Meeting(body=body, committee=committee, date=day, protocol_reference=protocol or "")
        plan_row.action = RowPlan.CREATE
        plan_row.changes = [
            FieldChange(labels["body"], EMPTY, str(committee or meeting.get_body_display())),
            FieldChange(labels["date"], EMPTY, day.isoformat()),
            *([FieldChange(labels["protocol_reference"], EMPTY, protocol)] if protocol else []),
        ]
    elif protocol and protocol != meeting.protocol_reference:
        plan_row.action = RowPlan.UPDATE
        plan_row.changes = [FieldChange(
            labels["protocol_reference"], _display(meeting.protocol_reference), protocol
        )]
        meeting.protocol_reference = protocol
    else:
        return plan_row
    _validate(cells, meeting)
    if cells.failed:
        plan_row.changes = []
        return plan_row

    def write(user, reason):
        meeting.save_tracked(user=user, reason=reason)

    plan_row.write = write
    return plan_row


def plan_import(upload, *, lock=False):
    """What importing `upload` would do to the register as it is now; writes nothing.

    `lock` (inside a transaction) locks the rows the file changes until it ends,
    so that two confirmations of one file cannot both write it.
    """
    seen = {}
    too_long = {}
    for number, key, length in upload.too_long:
        too_long.setdefault(number, {})[key] = length
    if upload.kind == MEETINGS:
        lookups = MeetingLookups(upload, lock)
        rows = [
            _plan_meeting(number, raw, too_long.get(number, {}), lookups, seen)
            for number, raw in upload.rows
        ]
    elif upload.kind == ASSIGNMENTS:
        lookups = AssignmentLookups(upload, lock)
        rows = [
            _plan_assignment(number, raw, too_long.get(number, {}), lookups, seen)
            for number, raw in upload.rows
        ]
    else:
        stored = BudgetRow.objects.filter(year__in=_years(upload))
        if lock:
            stored = stored.select_for_update()
        existing = {(row.year, row.name): row for row in stored}
        rows = [
            _plan_budget_row(number, raw, too_long.get(number, {}), existing, seen)
            for number, raw in upload.rows
        ]
    return Plan(upload, rows)


def _years(upload):
    """The years the file names, to fetch their stored rows; the rows report the rest."""
    years = set()
    for _number, raw in upload.rows:
        try:
            years.add(parse_year(raw["year"]))
        except CellError:
            pass
    return years
