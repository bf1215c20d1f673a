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
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import PurePath

import openpyxl
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from .columns import (
    ASSIGNMENT_COLUMNS,
    BUDGET_COLUMNS,
    COLUMNS,
    EXCEL_CELL_LIMIT,
    MEETING_COLUMNS,
    REGISTER_KINDS,
    max_cell_length,
)

MAX_BYTES = 5 * 1024 * 1024
# A 5 MB file can still hold far more rows than KS ever gave assignments; the
# limit keeps the preview readable and the session small. Empty rows count too:
# a crafted sheet of millions of them would otherwise be read to its end.
MAX_ROWS = 2000
MAX_COLUMNS = 100
# An XLSX is a zip of XML parts. Its directory states each part's unpacked size
# before anything is unpacked (and zipfile stops a part at its stated size), so a
# zip bomb is refused unopened. A real workbook has a dozen parts, and the rows
# allowed unpack to far less than this.
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_PARTS = 100
# The cell text read, and so at most what waits in the session between the
# preview and the confirmation: about a thousand characters per row at the most
# rows allowed. Counted as the rows are read, so that one long text repeated in
# every cell costs no more than this.
MAX_KEPT_CHARACTERS = 2_000_000


class ImportRefused(Exception):
    """The file as a whole cannot be imported; the message tells the user why."""


class CellTooLong(Exception):
    """A cell longer than any cell of Excel; the reader names the cell."""

    def __init__(self, length):
        super().__init__(length)
        self.length = length


def _too_long_cell(row_number, column_number, length):
    return ImportRefused(
        _("Cell %(cell)s holds %(length)s characters; a cell in Excel holds at most "
          "%(limit)s.") % {
            "cell": f"{get_column_letter(column_number)}{row_number}",
            "length": length,
            "limit": EXCEL_CELL_LIMIT,
        }
    )


def _row_texts(values, row_number, to_text):
    """One row's cells as text; a cell longer than Excel allows refuses the file."""
    texts = []
    for column_number, value in enumerate(values, start=1):
        try:
            texts.append(to_text(value))
        except CellTooLong as error:
            raise _too_long_cell(row_number, column_number, error.length) from None
    return texts


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
    # (row number, column key, length) of each cell longer than its field allows;
    # such a cell is kept empty and is an error of its row.
    too_long: list = field(default_factory=list)

    def as_dict(self):
        return asdict(self)

    @classmethod
    def from_dict(cls, data):
        return cls(**data)


def _cell_text(value):
    """A cell as the text a person would type: dates as 2016-12-31, 12.0 as 12."""
    if isinstance(value, str) and len(value) > EXCEL_CELL_LIMIT:
        # Only a crafted file has such a cell: refuse it before it is copied.
        raise CellTooLong(len(value))
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


def _too_many_rows():
    return ImportRefused(
        _("The file has more than %(limit)s rows (empty rows count too); import it in parts.")
        % {"limit": MAX_ROWS}
    )


def _check_parts(data):
    """Refuse a zip that would unpack to too much, from its directory alone."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        raise ImportRefused(
            _("The XLSX file has %(count)s parts; a workbook has far fewer. Save it again "
              "from Excel.") % {"count": len(parts)}
        )
    if sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
        raise ImportRefused(
            _("The XLSX file unpacks to more than %(limit)s; import it in parts.")
            % {"limit": filesizeformat(MAX_UNPACKED_BYTES)}
        )


def _xlsx_rows(data):
    """The first sheet's rows as text; the file is read as a stream, row by row.

    Rows are read up to one past the limit, empty rows and gaps in the row numbers
    included, so that a sheet whose last row is numbered in the millions costs no
    more than one of the rows allowed.
    """
    if not data.startswith(b"PK\x03\x04"):
        raise ImportRefused(_("The file is not an XLSX spreadsheet."))
    try:
        _check_parts(data)
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            # The sheet's own statement of its size, where it makes one.
            if (sheet.max_row or 0) > MAX_ROWS + 1:
                raise _too_many_rows()
            rows = sheet.iter_rows(max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS)
            for number, row in enumerate(rows, start=1):
                yield _row_texts(row, number, _xlsx_text)
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
        rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for number, row in enumerate(rows, start=1):
            yield _row_texts(row[:MAX_COLUMNS], number, _csv_text)
    except csv.Error as error:
        raise ImportRefused(_("The file is not a CSV spreadsheet.")) from error


READERS = {".xlsx": _xlsx_rows, ".csv": _csv_rows}


def _recognise_header(header, accepted=REGISTER_KINDS):
    """The kind of list and {column index: column key}, or a refusal naming what is wrong.

    `accepted` are the kinds the page takes: a meeting plan has a page of its own.
    """
    names = [_header_key(text) for text in header]
    kinds = [kind for kind in accepted if set(COLUMNS[kind][0].names()) & set(names)]
    if not kinds and accepted != REGISTER_KINDS:
        raise ImportRefused(
            _("The first row does not have the headers of a meeting plan (%(columns)s).")
            % {"columns": ", ".join(c.header for c in MEETING_COLUMNS)}
        )
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


def read_upload(uploaded, accepted=REGISTER_KINDS):
    """Check and read an uploaded file (anything with name, size and read()) of a kind
    in `accepted`.

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
    # The header, the rows allowed and one more, to tell that there are too many:
    # empty rows count, so the work is bounded whatever the file holds.
    read = list(itertools.islice(_within_text_limit(reader(data)), MAX_ROWS + 2))
    table = [(number, row) for number, row in enumerate(read, start=1) if any(row)]
    if not table:
        raise ImportRefused(_("The file is empty."))
    (_header_number, header), rows = table[0], table[1:]
    kind, found = _recognise_header(header, accepted)
    if not rows:
        raise ImportRefused(_("The file has a header row but no rows to import."))
    if len(read) > MAX_ROWS + 1:
        raise _too_many_rows()
    ignored = [text for index, text in enumerate(header) if text and index not in found]
    kept, too_long = _kept_cells(kind, found, rows)
    return Upload(
        file_name=file_name,
        sha256=hashlib.sha256(data).hexdigest(),
        kind=kind,
        ignored=ignored,
        rows=kept,
        too_long=too_long,
    )


def _within_text_limit(rows):
    """The rows as read, refused as soon as their text passes MAX_KEPT_CHARACTERS."""
    characters = 0
    for row in rows:
        characters += sum(map(len, row))
        if characters > MAX_KEPT_CHARACTERS:
            raise ImportRefused(
                _("The file holds more than %(limit)s characters of text, more than a "
                  "preview can hold; import it in parts.") % {"limit": MAX_KEPT_CHARACTERS}
            )
        yield row


def _kept_cells(kind, found, rows):
    """The recognised cells by row, to keep in the session, and the cells too long.

    A cell longer than its field allows is kept empty and noted, so that the preview
    names it and the session stays small.
    """
    limits = {key: max_cell_length(kind, key) for key in found.values()}
    kept, too_long = [], []
    for number, row in rows:
        cells = {}
        for index, key in found.items():
            text = row[index] if index < len(row) else ""
            if len(text) > limits[key]:
                too_long.append((number, key, len(text)))
                text = ""
            cells[key] = text
        kept.append((number, cells))
    return kept, too_long


class SizeLimitedMemoryUpload(FileUploadHandler):
    """Keeps an uploaded file in memory, never on disk, and only up to the import's limit.

    Past the limit the content is dropped as it arrives; the file that remains has
    its name and its real size, all `read_upload` needs to refuse it.
    """

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.content = io.BytesIO()
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received <= MAX_BYTES:
            self.content.write(raw_data)
        elif self.content.tell():
            self.content = io.BytesIO()

    def file_complete(self, file_size):
        self.content.seek(0)
        return InMemoryUploadedFile(
            self.content, self.field_name, self.file_name, self.content_type,
            file_size, self.charset, self.content_type_extra,
        )
