"""Reading a download as Excel or Python would: the CSV's rows, the XLSX's sheets."""

import csv
import io

from openpyxl import load_workbook

BOM = "\ufeff"


def content(response):
    return b"".join(response.streaming_content)


def csv_text(response):
    return content(response).decode("utf-8")


def csv_rows(response):
    """The header and rows of a Swedish CSV, after checking its BOM."""
    text = csv_text(response)
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[len(BOM):], newline=""), delimiter=";"))


def workbook(response):
    return load_workbook(io.BytesIO(content(response)))


def sheet_rows(sheet):
    """The cells of a sheet below its header row, one list per row."""
    return [list(row) for row in sheet.iter_rows(min_row=2)]


def header(sheet):
    return [cell.value for cell in sheet[1]]


def exported_rows(response):
    """The number of rows below the header, in a CSV or in the first sheet of an XLSX."""
    if response["Content-Type"].startswith("text/csv"):
        return len(csv_rows(response)) - 1
    return len(sheet_rows(workbook(response).active))
