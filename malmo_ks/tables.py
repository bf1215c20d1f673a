"""Files for Excel: tables of rows written as Swedish CSV (streamed) or as XLSX sheets.

Every export (the assignment list, the budget, the compilation) describes its
content as `Table`s of plain Python values and hands them to `export_response`;
the formats know how to write a date, an amount or a yes/no, the exports do not.
"""

import csv
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import xlsxwriter
from django.http import FileResponse, Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.utils import translation
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .wording import format_planned_completion

CSV, XLSX = "csv", "xlsx"
FORMATS = (CSV, XLSX)
# An XLSX is written whole before its first byte is sent, at about 0.2 ms a cell on
# a shared two-core server: 5 000 rows of the list's 12 columns take about a second,
# 10 000 more than the two seconds a download may take. Past this, the list offers
# the CSV, which streams every row.
XLSX_MAX_ROWS = 5_000
# Rows fetched from the database per round trip: memory stays flat however long the list.
CHUNK_SIZE = 500
BOM = "\ufeff"  # Excel reads a CSV as UTF-8 only when it starts with one.
# Text Excel would run as a formula when it opens a CSV (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "yyyy-mm-dd"
KRONOR_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0"
# The longest text an Excel cell holds.
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


def write_xlsx(file, tables):
    """An XLSX with one sheet per table: a bold, frozen header row, the columns' widths,
    real dates and numbers, and text always as text.

    XlsxWriter writes each row to a temporary file as it comes (constant_memory),
    so memory stays flat however long the table; it never reads text as a formula,
    a number or a link, so "=…" pasted into a title stays the title.
    """
    workbook = xlsxwriter.Workbook(file, {
        "constant_memory": True,
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
    })
    header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    dates = workbook.add_format({"num_format": DATE_FORMAT})
    years = workbook.add_format({"num_format": _year_format()})
    for table in tables:
        sheet = workbook.add_worksheet(table.title[:31])
        sheet.freeze_panes(1, 0)
        number_formats = []
        for number, column in enumerate(table.columns):
            sheet.set_column(number, number, column.width)
            sheet.write_string(0, number, column.header, header)
            number_formats.append(
                workbook.add_format({"num_format": column.number_format})
                if column.number_format else None
            )
        for row_number, row in enumerate(table.rows, start=1):
            for number, (value, number_format) in enumerate(zip(row, number_formats)):
                if isinstance(value, str):  # most cells: first
                    _write_text(sheet, row_number, number, value)
                elif value is None:
                    continue
                elif isinstance(value, YearDate):
                    sheet.write_datetime(row_number, number, value.day, years)
                elif isinstance(value, date):
                    sheet.write_datetime(row_number, number, value, dates)
                elif isinstance(value, bool):
                    sheet.write_boolean(row_number, number, value)
                elif isinstance(value, Decimal | int):
                    sheet.write_number(row_number, number, value, number_format)
                else:
                    _write_text(sheet, row_number, number, str(value))
    workbook.close()


def _write_text(sheet, row, column, text):
    # Control characters are not allowed in the XML of a sheet (pasted text has them),
    # and a cell holds at most EXCEL_TEXT_MAX characters.
    # Empty text is an empty cell, as None is.
    if text := ILLEGAL_CHARACTERS_RE.sub("", text)[:EXCEL_TEXT_MAX]:
        sheet.write_string(row, column, text)


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
