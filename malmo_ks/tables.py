"""Files for Excel: tables of rows written as Swedish CSV (streamed) or as XLSX sheets.

Every export (the assignment list, the budget, the compilation) describes its
content as `Table`s of plain Python values and hands them to `export_response`;
the formats know how to write a date, an amount or a yes/no, the exports do not.
"""

import csv
import tempfile
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.http import FileResponse, Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.utils import translation
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .wording import format_planned_completion

CSV, XLSX = "csv", "xlsx"
FORMATS = (CSV, XLSX)
# Rows fetched from the database per round trip: memory stays flat however long the list.
CHUNK_SIZE = 500
BOM = "\ufeff"  # Excel reads a CSV as UTF-8 only when it starts with one.
# Text Excel would run as a formula when it opens a CSV (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "yyyy-mm-dd"
KRONOR_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    """One column: its heading, its width in the XLSX (characters) and a number format."""

    header: str
    width: int = 15
    number_format: str = ""


@dataclass(frozen=True)
class YearDate:
    """A planned completion that stands for a whole year: "under 2017", a date to Excel."""

    day: date


@dataclass
class Table:
    """A CSV file, or one sheet of an XLSX: the columns and a (lazy) iterable of rows."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence] = field(default_factory=list)


def completion(day, is_year):
    """A planned completion as an export value: a date, a `YearDate` or None."""
    if day is None:
        return None
    return YearDate(day) if is_year else day


def rounded(value, places="0.1"):
    """A percentage as the register shows it, rounded half up; None stays None."""
    if value is None:
        return None
    return Decimal(value).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def yes_no(flag):
    """A flag as a word Excel's users filter on: "ja" or "nej"."""
    return _("yes") if flag else _("no")


def check_format(fmt):
    """404 for a format the register does not write, before any work is done."""
    if fmt not in FORMATS:
        raise Http404


def refused(message, errors=()):
    """A 400 in plain words: an export never guesses what a bad parameter meant."""
    lines = [message, *(f"– {error}" for error in errors)]
    return HttpResponseBadRequest("\n".join(lines), content_type="text/plain; charset=utf-8")


def form_errors(form):
    """Each error of a form as "Label: message", for `refused`."""
    return [
        f"{form.fields[name].label}: {error}" if name in form.fields else str(error)
        for name, errors in form.errors.items()
        for error in errors
    ]


def export_response(fmt, filename, tables):
    """The download: one table as a streamed CSV, or all tables as sheets of an XLSX."""
    if fmt == CSV:
        (table,) = tables
        return csv_response(f"{filename}.csv", table)
    return xlsx_response(f"{filename}.xlsx", tables)


# --- CSV ---------------------------------------------------------------------------------


class _Echo:
    """A file whose write() hands the line back, so csv.writer can feed a generator."""

    def write(self, value):
        return value


def csv_text(value):
    """A value as Swedish Excel reads it: 2016-12-31, 1234,50, "under 2017"."""
    if value is None:
        return ""
    if isinstance(value, YearDate):
        return format_planned_completion(value.day, True)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:f}".replace(".", ",")  # never "1E+7"
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _csv_lines(table, language):
    writer = csv.writer(_Echo(), delimiter=";")
    # The rows are written after the view has returned: keep the request's language.
    with translation.override(language):
        yield BOM + writer.writerow([column.header for column in table.columns])
        for row in table.rows:
            yield writer.writerow([csv_text(value) for value in row])


def csv_response(filename, table):
    """A CSV for Excel in Swedish: `;`, UTF-8 with BOM, written row by row as it is sent."""
    response = StreamingHttpResponse(
        _csv_lines(table, translation.get_language()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{get_valid_filename(filename)}"'
    return response


# --- XLSX --------------------------------------------------------------------------------


def _year_format():
    """Excel's number format for a year deadline, worded like the register: "under "yyyy."""
    words = _("during %(year)s") % {"year": "\0"}
    return "yyyy".join(f'"{part}"' if part else "" for part in words.split("\0"))


class _Cells:
    """Turns values into what a write-only sheet appends: real dates and numbers, text as text.

    A value openpyxl writes as it should is handed over as it is, and openpyxl
    binds it into the one cell it reuses; only a value that needs a number format,
    or text openpyxl would take for a formula or an error, gets a cell of its own,
    styled from a template made once per sheet. A cell made and styled per value
    made the 10 000-row export a fifth slower.
    """

    def __init__(self, sheet, columns):
        self.sheet = sheet
        self.date_style = self._style(DATE_FORMAT)
        self.year_style = self._style(_year_format())
        # Per column: the style of its numbers, or None when they need no format.
        self.number_styles = [
            self._style(column.number_format) if column.number_format else None
            for column in columns
        ]

    def _style(self, number_format):
        """The style array of a cell with `number_format` (registered with the workbook)."""
        cell = WriteOnlyCell(self.sheet)
        cell.number_format = number_format
        return cell._style

    def _styled(self, value, style):
        cell = WriteOnlyCell(self.sheet, value=value)
        cell._style = copy(style)
        return cell

    def header(self, column):
        cell = WriteOnlyCell(self.sheet, value=column.header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        return cell

    def value(self, value, style_of_numbers):
        if value is None:
            return None
        if isinstance(value, str):
            # Control characters are not allowed in the XML of a sheet (pasted text has them).
            text = ILLEGAL_CHARACTERS_RE.sub("", value)
            if not text.startswith("=") and text not in ERROR_CODES:
                return text
            # openpyxl would store it as a formula or an error value: keep it text.
            cell = WriteOnlyCell(self.sheet, value=text)
            cell.data_type = "s"
            return cell
        if isinstance(value, YearDate):
            return self._styled(value.day, self.year_style)
        if isinstance(value, date):
            return self._styled(value, self.date_style)
        if isinstance(value, Decimal | int) and style_of_numbers is not None:
            return self._styled(value, style_of_numbers)
        return value


def write_sheet(workbook, table):
    sheet = workbook.create_sheet(table.title[:31])
    # Widths and frozen panes must be set before the first row of a write-only sheet.
    sheet.freeze_panes = "A2"
    for number, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = column.width
    cells = _Cells(sheet, table.columns)
    sheet.append([cells.header(column) for column in table.columns])
    styles = cells.number_styles
    for row in table.rows:
        sheet.append([cells.value(value, style) for value, style in zip(row, styles)])


def xlsx_response(filename, tables):
    """An XLSX with one sheet per table, written row by row to a temporary file."""
    workbook = Workbook(write_only=True)
    for table in tables:
        write_sheet(workbook, table)
    # FileResponse sends the file and closes it, which deletes it.
    file = tempfile.TemporaryFile()  # noqa: SIM115
    workbook.save(file)
    file.seek(0)
    return FileResponse(
        file,
        as_attachment=True,
        filename=get_valid_filename(filename),
        content_type=XLSX_CONTENT_TYPE,
    )


def labels(choices):
    """Choice labels as plain strings, translated once in the request's language."""
    return {value: str(label) for value, label in choices.choices}
