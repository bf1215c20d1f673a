"""XLSX files written by hand, part by part, as an attacker would: zipfile and plain XML."""

import io
import zipfile
from xml.sax.saxutils import escape

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.imports.files import HEADER, XLSX_TYPE

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>"""
ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="{RELS}"><Relationship Id="rId1" Target="xl/workbook.xml"
 Type="{DOC_RELS}/officeDocument"/></Relationships>"""
WORKBOOK = f"""<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets>
<sheet name="Uppdrag" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = f"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="{RELS}">
<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="{DOC_RELS}/worksheet"/>
<Relationship Id="rId2" Target="sharedStrings.xml" Type="{DOC_RELS}/sharedStrings"/>
</Relationships>"""


def column_letter(index):
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[index]


def text_cell(reference, value):
    return f'<c r="{reference}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def shared_cell(reference, index):
    return f'<c r="{reference}" t="s"><v>{index}</v></c>'


def row_xml(number, values):
    """A row of inline strings; a value given as ("shared", i) refers to shared string i."""
    cells = []
    for index, value in enumerate(values):
        reference = f"{column_letter(index)}{number}"
        if isinstance(value, tuple):
            cells.append(shared_cell(reference, value[1]))
        elif value not in (None, ""):
            cells.append(text_cell(reference, value))
    return f'<row r="{number}">{"".join(cells)}</row>'


def header_row():
    return row_xml(1, HEADER)


def crafted_xlsx(rows_xml, *, shared_strings=(), dimension=None, extra_parts=(),
                 name="uppdrag.xlsx"):
    """A workbook of one sheet whose <sheetData> is `rows_xml`, exactly as written."""
    dimension_xml = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{dimension_xml}'
        f"<sheetData>{rows_xml}</sheetData></worksheet>"
    )
    strings = "".join(f"<si><t>{escape(text)}</t></si>" for text in shared_strings)
    shared = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" '
        f'count="{len(shared_strings)}" uniqueCount="{len(shared_strings)}">{strings}</sst>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        archive.writestr("xl/sharedStrings.xml", shared)
        for part_name, content in extra_parts:
            archive.writestr(part_name, content)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX_TYPE)
