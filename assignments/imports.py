"""Importing the Excel list of assignments (or budget rows): read, preview, then write once.

An import spans several models and the outside world (a file), so it lives here
rather than on a model. It runs in three steps that the web pages and the
`import_register` command share:

1. `read_upload()` checks the file (size, format, header row) and keeps its cells
   as text: an `Upload`, small and JSON-friendly, kept in the session between the
   preview and the confirmation, so any web process can serve either request.
2. `plan_import()` compares every row with the register as it is now: what will be
   created, what changes (field: old → new), what is unchanged, and every error
   with its row and column. It writes nothing.
3. `import_upload()` plans again inside one transaction and writes only if the
   plan is still the one the user saw and has no error: all rows or none.

Every write goes through the models' own verbs and validation (`save_tracked`,
`move_deadline`, `full_clean`), so an import cannot do what a user could not.
"""

import csv
import hashlib
import io
import itertools
import json
import re
import secrets
import zipfile
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePath

import openpyxl
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from budget.models import AccountClass, BudgetRow

from .history_display import EMPTY, FieldChange, completion_label, field_labels
from .models import Assignment, CommissionArea, Unit, validate_reference
from .templatetags.register_format import swedish_number

MAX_BYTES = 5 * 1024 * 1024
# A 5 MB file can still hold far more rows than KS ever gave assignments; the
# limit keeps the preview readable and the session small.
MAX_ROWS = 2000
MAX_COLUMNS = 100
SESSION_KEY = "pending_import"

ASSIGNMENTS = "assignments"
BUDGET = "budget"


def import_reason(file_name):
    # Kept in the history, a public record in Swedish, whatever the UI language.
    return f"Import från {file_name}"


class ImportRefused(Exception):
    """The file as a whole cannot be imported; the message tells the user why."""


class PlanNotConfirmable(ImportRefused):
    """At confirmation the plan has errors or is no longer the one previewed."""

    def __init__(self, message, plan):
        super().__init__(message)
        self.plan = plan


# --- Columns -------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    """A column of the file: its Swedish header (as the export writes it) and aliases."""

    key: str
    header: str
    required: bool = True
    aliases: tuple = ()

    def names(self):
        return (self.header, *self.aliases)


# The headers are the file's vocabulary, Swedish as in the export's header row,
# so that an exported list imports back unchanged. A column that is not required
# may be left out: an existing assignment then keeps its value, a new one that
# needs it gets an error (see NEEDED_BY_NEW).
ASSIGNMENT_COLUMNS = (
    Column("reference", "diarienummer", aliases=("dnr",)),
    Column("title", "titel"),
    Column("description", "beskrivning", required=False),
    Column("status", "status"),
    Column("responsible_unit", "ansvarig nämnd/förvaltning"),
    Column("area", "kommissionsområde"),
    Column("decided_on", "beslutsdatum"),
    Column("decision_reference", "beslutets diarienummer", required=False),
    Column(
        "decision_paragraph", "beslutets paragraf (§)", required=False,
        aliases=("beslutsparagraf", "§"),
    ),
    Column("planned_completion", "planerat avslut", required=False),
)
NEEDED_BY_NEW = ("decision_reference",)
BUDGET_COLUMNS = (
    Column("year", "år"),
    Column("name", "namn", aliases=("budgetrad",)),
    Column("account_class", "kontoklass"),
    Column("budget", "budget", aliases=("budget (kr)",)),
    Column("outcome", "utfall", required=False, aliases=("utfall (kr)",)),
)
COLUMNS = {ASSIGNMENTS: ASSIGNMENT_COLUMNS, BUDGET: BUDGET_COLUMNS}


def _header_key(text):
    return " ".join(str(text).split()).lower()


def column_header(kind, key):
    return next(column.header for column in COLUMNS[kind] if column.key == key)


# --- Reading the file ----------------------------------------------------------

@dataclass
class Upload:
    """A read file: its name, its hash and its rows as text by column key.

    `rows` holds (row number in the file, {column key: text}) for the recognised
    columns only; `ignored` names the file's other columns.
    """

    file_name: str
    sha256: str
    kind: str
    ignored: list
    rows: list

    def as_dict(self):
        return asdict(self)

    @classmethod
    def from_dict(cls, data):
        return cls(**data)


def _cell_text(value):
    """A cell as the text a person would type: dates as 2016-12-31, 12.0 as 12."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == datetime.min.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return repr(value)
    return str(value).replace("\r\n", "\n").strip()


def _shows_only_year(number_format):
    """True for a date format like the export's `"under "yyyy`: a year-only deadline."""
    pattern = re.sub(r'"[^"]*"', "", number_format or "").lower()
    return "yy" in pattern and "m" not in pattern and "d" not in pattern


def _xlsx_text(cell):
    if isinstance(cell.value, date) and _shows_only_year(cell.number_format):
        return str(cell.value.year)
    return _cell_text(cell.value)


# The export writes text that Excel would run as a formula behind an apostrophe.
ESCAPED_FORMULA = re.compile(r"^'(?=[=+\-@\t\r])")


def _csv_text(value):
    return _cell_text(ESCAPED_FORMULA.sub("", value))


def _xlsx_rows(data):
    """The first sheet's rows as text; the file is read as a stream, row by row."""
    if not data.startswith(b"PK\x03\x04"):
        raise ImportRefused(_("The file is not an XLSX spreadsheet."))
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            for row in workbook.worksheets[0].iter_rows(max_col=MAX_COLUMNS):
                yield [_xlsx_text(cell) for cell in row]
        finally:
            workbook.close()
    except (zipfile.BadZipFile, IndexError, KeyError, ValueError, TypeError, OSError,
            SyntaxError) as error:
        # openpyxl reports a broken workbook in many ways; to the user they all mean
        # the same. (SyntaxError covers the XML parser's ParseError.)
        raise ImportRefused(_("The file is not an XLSX spreadsheet.")) from error


def _csv_rows(data):
    """The rows as text, separated by semicolons, or by commas if the header row is."""
    if b"\x00" in data:
        raise ImportRefused(_("The file is not a CSV spreadsheet."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(
            _("The CSV file is not UTF-8 text. Save it from Excel as “CSV UTF-8”.")
        ) from error
    # Swedish Excel separates with semicolons; a header row holds neither
    # character otherwise, so a comma there means a comma-separated file.
    first_line = text.split("\n", 1)[0]
    delimiter = "," if "," in first_line and ";" not in first_line else ";"
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            yield [_csv_text(value) for value in row[:MAX_COLUMNS]]
    except csv.Error as error:
        raise ImportRefused(_("The file is not a CSV spreadsheet.")) from error


READERS = {".xlsx": _xlsx_rows, ".csv": _csv_rows}


def _recognise_header(header):
    """The kind of list and {column index: column key}, or a refusal naming what is wrong."""
    names = [_header_key(text) for text in header]
    kinds = [kind for kind, columns in COLUMNS.items() if set(columns[0].names()) & set(names)]
    if not kinds:
        raise ImportRefused(
            _(
                "The first row does not have the headers of an assignment list "
                "(%(assignments)s) or of a budget list (%(budget)s). Use the header "
                "row of the register's export."
            )
            % {
                "assignments": ", ".join(c.header for c in ASSIGNMENT_COLUMNS if c.required),
                "budget": ", ".join(c.header for c in BUDGET_COLUMNS if c.required),
            }
        )
    kind = kinds[0]
    by_name = {name: column for column in COLUMNS[kind] for name in column.names()}
    found = {}
    for index, name in enumerate(names):
        column = by_name.get(name)
        if column is None:
            continue
        if column.key in found.values():
            raise ImportRefused(
                _("The column “%(column)s” appears twice in the header row.")
                % {"column": column.header}
            )
        found[index] = column.key
    missing = [c.header for c in COLUMNS[kind] if c.required and c.key not in found.values()]
    if missing:
        raise ImportRefused(
            _("The header row lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    return kind, found


def read_upload(uploaded):
    """Check and read an uploaded file (anything with name, size and read()).

    The size is checked before a byte is parsed; a refused file raises
    `ImportRefused` with a message for the user.
    """
    file_name = PurePath(uploaded.name or "").name
    if uploaded.size > MAX_BYTES:
        raise ImportRefused(
            _("The file is %(size)s; files up to %(limit)s can be imported.")
            % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(MAX_BYTES)}
        )
    reader = READERS.get(PurePath(file_name).suffix.lower())
    if reader is None:
        raise ImportRefused(_("Only XLSX and CSV files can be imported."))
    data = uploaded.read()
    numbered = ((number, row) for number, row in enumerate(reader(data), start=1) if any(row))
    # The header, the rows allowed and one more, to tell that there are too many.
    table = list(itertools.islice(numbered, MAX_ROWS + 2))
    if not table:
        raise ImportRefused(_("The file is empty."))
    (_header_number, header), rows = table[0], table[1:]
    kind, found = _recognise_header(header)
    if not rows:
        raise ImportRefused(_("The file has a header row but no rows to import."))
    if len(rows) > MAX_ROWS:
        raise ImportRefused(
            _("The file has more than %(limit)s rows; import it in parts.") % {"limit": MAX_ROWS}
        )
    ignored = [text for index, text in enumerate(header) if text and index not in found]
    return Upload(
        file_name=file_name,
        sha256=hashlib.sha256(data).hexdigest(),
        kind=kind,
        ignored=ignored,
        rows=[
            (number, {key: (row[index] if index < len(row) else "") for index, key in found.items()})
            for number, row in rows
        ],
    )


# --- Keeping the upload between preview and confirmation ----------------------

def keep_in_session(session, upload):
    """Keep `upload` as the session's one pending import; returns its token.

    A new upload replaces the previous one, whose token then no longer confirms.
    """
    token = secrets.token_urlsafe(16)
    session[SESSION_KEY] = {"token": token, "upload": upload.as_dict()}
    return token


def pending_upload(session, token):
    """The pending upload if `token` is its token, else None."""
    pending = session.get(SESSION_KEY)
    if not pending or not token or not constant_time_compare(pending["token"], token):
        return None
    return Upload.from_dict(pending["upload"])


def forget(session):
    session.pop(SESSION_KEY, None)


# --- Reading cells --------------------------------------------------------------

class CellError(Exception):
    """A cell that cannot be read; the message names what was expected."""


def _required(text):
    if not text:
        raise CellError(_("Empty; this column needs a value."))
    return text


DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(text):
    try:
        if DATE_PATTERN.match(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise CellError(_("“%(value)s” is not a date; write dates as 2016-12-31.") % {"value": text})


YEAR_ONLY = re.compile(r"^(?:under\s+)?(\d{4})$", re.IGNORECASE)


def parse_completion(text):
    """(date, is_year): "2017-06-30", or "under 2017" / "2017" for the year's last day."""
    if not text:
        return None, False
    if match := YEAR_ONLY.match(text):
        return date(int(match[1]), 12, 31), True
    try:
        return parse_date(text), False
    except CellError:
        raise CellError(
            _("“%(value)s” is not a planned completion; write a date such as 2017-06-30 "
              "or a year such as “under 2017”.") % {"value": text}
        ) from None


def parse_reference(text):
    try:
        validate_reference(_required(text))
    except ValidationError as error:
        raise CellError(" ".join(error.messages)) from None
    return text


# The status words of the file: the Swedish labels, their codes, and "pågår" as
# the annual report writes it.
STATUS_WORDS = {
    "pågående": Assignment.Status.ONGOING,
    "pågår": Assignment.Status.ONGOING,
    "pagaende": Assignment.Status.ONGOING,
    "lägesrapport": Assignment.Status.STATUS_REPORT,
    "lagesrapport": Assignment.Status.STATUS_REPORT,
    "avslutad": Assignment.Status.CLOSED,
}


def parse_status(text):
    status = STATUS_WORDS.get(_required(text).lower())
    if status is None:
        raise CellError(
            _("Unknown status “%(value)s”; use pågående, lägesrapport or avslutad.")
            % {"value": text}
        )
    return status


def parse_positive_int(text, message):
    cleaned = text.lstrip("§").strip()
    if not cleaned.isdecimal() or int(cleaned) < 1:
        raise CellError(message % {"value": text})
    return int(cleaned)


AMOUNT_PATTERN = re.compile(r"^-?(\d{1,3}(?: \d{3})+|\d+)(?:[.,]\d{1,2})?$")


def parse_amount(text):
    """Kronor as Excel or a person writes them: 1 234 567,50 or 1234567.5; never negative."""
    cleaned = text.replace("\u00a0", " ").replace("\u2212", "-").removesuffix("kr").strip()
    if not AMOUNT_PATTERN.match(cleaned):
        raise CellError(
            _("“%(value)s” is not an amount in kronor such as 1 234 567,50.") % {"value": text}
        )
    amount = Decimal(cleaned.replace(" ", "").replace(",", "."))
    if amount < 0:
        raise CellError(
            _("“%(value)s” is negative. Amounts are not negative; income is told apart "
              "by account class 3.") % {"value": text}
        )
    return amount


ACCOUNT_CLASS_PATTERN = re.compile(r"^([3-8])(?:\s|$)")


def parse_account_class(text):
    """3 to 8, also as the export's label "6 Övriga verksamhetskostnader"."""
    match = ACCOUNT_CLASS_PATTERN.match(_required(text))
    if not match:
        raise CellError(
            _("Unknown account class “%(value)s”; use 3 to 8 (Kommun-Bas).") % {"value": text}
        )
    return int(match[1])


# --- Planning ---------------------------------------------------------------------

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
        return _(
            "%(file)s has been imported: %(created)s new, %(changed)s changed, "
            "%(unchanged)s unchanged."
        ) % {
            "file": self.upload.file_name,
            "created": counts[RowPlan.CREATE],
            "changed": counts[RowPlan.UPDATE],
            "unchanged": counts[RowPlan.UNCHANGED],
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

    def __init__(self, plan_row, kind, cells):
        self.row = plan_row
        self.kind = kind
        self.cells = cells
        self.failed = False

    def has(self, key):
        return key in self.cells

    def read(self, key, parse=str):
        """The parsed cell; None for a column the file leaves out, or a cell in error."""
        if key not in self.cells:
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
        references = [cells.get("reference", "") for _number, cells in upload.rows]
        assignments = Assignment.objects.select_related(
            "area", "responsible_unit", "status_treatment"
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


def _valid_on(unit, day):
    return unit.valid_from <= day and (unit.valid_to is None or day <= unit.valid_to)


def _plan_assignment(number, raw, lookups, seen):
    plan_row = RowPlan(number, raw.get("reference", ""))
    cells = Cells(plan_row, ASSIGNMENTS, raw)
    reference = cells.read("reference", parse_reference)
    if reference in seen:
        cells.fail(
            "reference",
            _("The diarienummer %(reference)s is also on row %(row)s; each assignment may "
              "appear once in the file.") % {"reference": reference, "row": seen[reference]},
        )
    elif reference:
        seen[reference] = number
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
    }
    status = cells.read("status", parse_status)
    completion = cells.read("planned_completion", parse_completion)
    if cells.failed:
        return plan_row
    existing = lookups.existing.get(reference)
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


def _plan_budget_row(number, raw, existing, seen):
    plan_row = RowPlan(number, f"{raw.get('year', '')} {raw.get('name', '')}".strip())
    cells = Cells(plan_row, BUDGET, raw)
    year = cells.read(
        "year",
        lambda text: parse_positive_int(_required(text), _("“%(value)s” is not a year.")),
    )
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
        row.attribute(user, reason)
        row.full_clean()
        row.save()

    plan_row.write = write
    return plan_row


def plan_import(upload, *, lock=False):
    """What importing `upload` would do to the register as it is now; writes nothing.

    `lock` (inside a transaction) locks the rows the file changes until it ends,
    so that two confirmations of one file cannot both write it.
    """
    seen = {}
    if upload.kind == ASSIGNMENTS:
        lookups = AssignmentLookups(upload, lock)
        rows = [_plan_assignment(number, raw, lookups, seen) for number, raw in upload.rows]
    else:
        years = {int(raw["year"]) for _number, raw in upload.rows if raw["year"].isdecimal()}
        stored = BudgetRow.objects.filter(year__in=years)
        if lock:
            stored = stored.select_for_update()
        existing = {(row.year, row.name): row for row in stored}
        rows = [_plan_budget_row(number, raw, existing, seen) for number, raw in upload.rows]
    return Plan(upload, rows)


# --- Writing ----------------------------------------------------------------------

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
    return plan
