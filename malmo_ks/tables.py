"""Files for Excel: tables of rows written as Swedish CSV (streamed) or as XLSX sheets.

Every export (the assignment list, the budget, the compilation) describes its
content as `Table`s of plain Python values and hands them to `export_response`;
the formats know how to write a date, an amount or a yes/no, the exports do not.
"""

import csv
import io
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from xml.sax.saxutils import escape

from django.http import FileResponse, Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.utils import translation
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.compat import safe_string
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

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
# The longest text a cell holds; openpyxl cuts longer text there too.
EXCEL_TEXT_MAX = 32767
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


class _SheetRows:
    """A table's rows as the XML of its sheet's rows: real dates and numbers, text as text.

    openpyxl writes each cell of a write-only sheet through a pure-Python XML
    serializer (lxml, which would speed it up, is not a dependency): some 15 µs a
    cell, most of the 10 000-row list's two seconds. Here the rows are the same
    elements openpyxl writes, written as strings (tests/exports/test_tables.py reads
    every kind of value back); the header row, the styles and the rest of the file
    are openpyxl's. Text is always a string cell, so "=…" is never a formula.
    """

    def __init__(self, sheet, columns):
        self.letters = [get_column_letter(number) for number in range(1, len(columns) + 1)]
        # Styles are registered with the workbook now: it is saved before the rows are written.
        self.date_style = _style_id(sheet, DATE_FORMAT)
        self.year_style = _style_id(sheet, _year_format())
        self.number_styles = [
            _style_id(sheet, column.number_format) if column.number_format else None
            for column in columns
        ]

    def xml(self, rows, first=2):
        """The rows' `<row>` elements, numbered from `first`, as bytes, CHUNK_SIZE rows a piece."""
        chunk = []
        for number, row in enumerate(rows, start=first):
            cells = "".join([
                self._cell(f"{letter}{number}", value, style)
                for letter, value, style in zip(self.letters, row, self.number_styles)
            ])
            chunk.append(f'<row r="{number}">{cells}</row>')
            if len(chunk) == CHUNK_SIZE:
                yield "".join(chunk).encode()
                chunk = []
        yield "".join(chunk).encode()

    def _cell(self, ref, value, number_style):
        if isinstance(value, str):  # most cells: first
            return _text(ref, value)
        if value is None:
            return ""
        if isinstance(value, YearDate):
            return _number(ref, to_excel(value.day), self.year_style)
        if isinstance(value, date):
            return _number(ref, to_excel(value), self.date_style)
        if isinstance(value, bool):
            return _number(ref, int(value), number_style, kind="b")
        if isinstance(value, Decimal | int):
            return _number(ref, value, number_style)
        return _text(ref, str(value))


def _text(ref, value):
    # Control characters are not allowed in the XML of a sheet (pasted text has them).
    text = ILLEGAL_CHARACTERS_RE.sub("", value)[:EXCEL_TEXT_MAX]
    if not text:
        return f'<c r="{ref}" t="inlineStr" />'
    stripped = text.strip()
    space = ' xml:space="preserve"' if stripped and stripped != text else ""
    return f'<c r="{ref}" t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'


def _number(ref, value, style, kind="n"):
    styled = "" if style is None else f' s="{style}"'
    return f'<c r="{ref}"{styled} t="{kind}"><v>{safe_string(value)}</v></c>'


def _style_id(sheet, number_format):
    """The index of the cell style with `number_format`, registered with the workbook."""
    cell = WriteOnlyCell(sheet)
    cell.number_format = number_format
    return cell.style_id


def _header(sheet, column):
    cell = WriteOnlyCell(sheet, value=column.header)
    cell.font = Font(bold=True)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def start_sheet(workbook, table):
    """The sheet of `table` with its header row, widths and frozen panes; its rows' writer."""
    sheet = workbook.create_sheet(table.title[:31])
    # Widths and frozen panes must be set before the first row of a write-only sheet.
    sheet.freeze_panes = "A2"
    for number, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = column.width
    sheet.append([_header(sheet, column) for column in table.columns])
    return sheet, _SheetRows(sheet, table.columns)


def write_xlsx(file, tables):
    """An XLSX with one sheet per table: openpyxl's file, each sheet's rows added as written."""
    workbook = Workbook(write_only=True)
    sheets = [(start_sheet(workbook, table), table.rows) for table in tables]
    package = io.BytesIO()
    workbook.save(package)
    rows_of = {sheet.path.lstrip("/"): (writer, rows) for (sheet, writer), rows in sheets}
    with (
        zipfile.ZipFile(package) as source,
        zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info)
            if info.filename not in rows_of:
                target.writestr(info, content)
                continue
            writer, rows = rows_of[info.filename]
            head, tail = content.split(b"</sheetData>")
            entry = zipfile.ZipInfo(info.filename, info.date_time)
            entry.compress_type = info.compress_type
            with target.open(entry, "w") as stream:
                stream.write(head)
                for chunk in writer.xml(rows):
                    stream.write(chunk)
                stream.write(b"</sheetData>" + tail)


def xlsx_response(filename, tables):
    """An XLSX with one sheet per table, written row by row to a temporary file."""
    # FileResponse sends the file and closes it, which deletes it.
    file = tempfile.TemporaryFile()  # noqa: SIM115
    write_xlsx(file, tables)
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
