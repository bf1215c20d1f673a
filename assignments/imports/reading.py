"""Reading an uploaded XLSX or CSV file: its limits, its header row and its cells as text.

The first step of an import: `read_upload()` checks the file (size, format, header
row) and keeps its cells as text: an `Upload`, small and JSON-friendly, so that it
can wait in the session between the preview and the confirmation.
"""

import csv
import hashlib
import io
import itertools
import re
import zipfile
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import PurePath

import openpyxl
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .columns import ASSIGNMENT_COLUMNS, BUDGET_COLUMNS, COLUMNS

MAX_BYTES = 5 * 1024 * 1024
# A 5 MB file can still hold far more rows than KS ever gave assignments; the
# limit keeps the preview readable and the session small.
MAX_ROWS = 2000
MAX_COLUMNS = 100


class ImportRefused(Exception):
    """The file as a whole cannot be imported; the message tells the user why."""


def _header_key(text):
    return " ".join(str(text).split()).lower()


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
