"""The compilation as documents for the meeting: PDF/A for the diarium and the e-arkiv, DOCX
for the secretary, who edits the covering text in Word.

Both are made from the same `Compilation` as the page (reports.compilation), with
the heading `document_heading` gives, so that the page and the documents tell the
same figures. Demo data is marked by a "Demodata" watermark on every page instead
of the site's banner.
"""

import io

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from malmo_ks.wording import format_planned_completion

from .compilation import CLOSED

# Archivable: PDF/A-2 is what the e-arkiv takes. Level B (the look is preserved)
# rather than A (tagged for screen readers): WeasyPrint's tagging doubled the time
# of a long document, and the web page is the accessible form of the compilation.
PDF_VARIANT = "pdf/a-2b"
PDF_CONTENT_TYPE = "application/pdf"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PAGE, PAGES = "page", "pages"


def compilation_pdf(compilation, heading, demo):
    """The compilation as a PDF/A-2b document, as bytes."""
    # Imported here: WeasyPrint parses its default style sheets as it is imported,
    # which every process (a command, a test run) would otherwise pay for at start.
    from weasyprint import CSS, HTML

    html = render_to_string("reports/compilation_document.html", {
        "compilation": compilation,
        "heading": heading,
        "demo": demo,
        "language": translation.get_language(),
    })
    style = render_to_string("reports/compilation_document.css", {
        "page_numbers": mark_safe(" ".join(
            f"counter({part})" if part in (PAGE, PAGES) else _css_string(part)
            for part in _page_number_parts()
        )),
        "footer_label": mark_safe(_css_string(_footer_label(heading))),
    })
    return HTML(string=html, url_fetcher=_no_fetching).write_pdf(
        stylesheets=[CSS(string=style, url_fetcher=_no_fetching)], pdf_variant=PDF_VARIANT
    )


def compilation_docx(compilation, heading, demo):
    """The compilation as a Word document (DOCX), as bytes: the same text as the PDF."""
    document = Document()
    _set_up_pages(document, heading, demo)
    document.core_properties.title = _title(heading)
    document.core_properties.author = heading.body
    document.core_properties.language = translation.get_language()

    body = document.add_paragraph()
    body.add_run(heading.body).bold = True
    meeting = _("Meeting %(date)s") % {"date": heading.meeting_date.isoformat()}
    if heading.reference:
        meeting += f" · {_('Dnr')} {heading.reference}"
    document.add_paragraph(meeting)
    document.add_heading(_("Compilation of special investigation assignments"), level=0)
    days = {"day": heading.day.isoformat(), "previous": heading.compared_with.isoformat()}
    document.add_paragraph(" ".join([
        _("The register as it stood at the end of %(day)s.") % days,
        _("Changes are counted after the compilation of %(previous)s.") % days,
    ]))
    document.add_paragraph("%s: %s" % (_("Per status"), ", ".join(
        f"{status.label} {status.count}" for status in compilation.statuses
    )))

    document.add_heading(compilation.changes_heading, level=1)
    document.add_paragraph(_(
        "Status changes, moved planned completions and new assignments registered from "
        "%(start)s up to and including %(day)s."
    ) % {"start": compilation.changes_from.isoformat(), "day": heading.day.isoformat()})
    if compilation.changes:
        _add_table(
            document,
            [_("Assignment"), _("Kind of change"), _("From"), _("To"),
             _("Treatment or reason"), _("Registered")],
            [(f"{row.reference} {row.title}", row.kind, row.old or "–", row.new or "–",
              row.note or "–", row.registered.isoformat()) for row in compilation.changes],
        )
    else:
        document.add_paragraph(_("Nothing changed in this period."))

    for section in compilation.sections:
        document.add_heading(section.heading, level=1)
        document.add_paragraph(section.note)
        if not section.entries:
            document.add_paragraph(_("None."))
        elif section.key == CLOSED:
            _add_table(
                document,
                [_("Diarienummer"), _("Title"), _("Result"), _("Latest treatment")],
                [(entry.reference, entry.title, entry.outcome or "–", entry.treatment or "–")
                 for entry in section.entries],
            )
        else:
            _add_table(
                document,
                [_("Diarienummer"), _("Title"), _("Status"), _("Responsible unit"),
                 _("Latest treatment"), _("Planned completion")],
                [_open_row(entry) for entry in section.entries],
            )
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def _open_row(entry):
    """The cells of an open assignment, as the PDF shows them."""
    title = entry.title
    if entry.report_date:
        title += "\n%s %s: %s" % (
            _("Latest status report"), entry.report_date.isoformat(), entry.report_summary
        )
    completion = format_planned_completion(
        entry.planned_completion, entry.planned_completion_is_year
    ) or "–"
    if entry.is_overdue:
        completion += f" {_('Overdue')}"
    return (entry.reference, title, entry.status_label, entry.unit,
            entry.treatment or "–", completion)


def _title(heading):
    return f"{_('Compilation of special investigation assignments')} {heading.day.isoformat()}"


def _footer_label(heading):
    """What the foot of every page says beside its number: whose meeting, and when."""
    return f"{heading.body} {heading.meeting_date.isoformat()}"


def _page_number_parts():
    """"Sida X av Y" in the reader's language: its words, with PAGE and PAGES where the
    numbers go, in the order the language puts them."""
    words = _("Page %(number)s of %(count)s") % {"number": f"\0{PAGE}\0", "count": f"\0{PAGES}\0"}
    return [part for part in words.split("\0") if part]


def _css_string(text):
    """`text` as a CSS string: anything but letters, digits and spaces as an escape, so
    that no quote or `</style>` in a name can end the string or the style sheet."""
    escaped = "".join(
        character if character.isalnum() or character == " " else f"\\{ord(character):x} "
        for character in text
    )
    return f'"{escaped}"'


def _no_fetching(url, *args, **kwargs):
    """The document needs nothing from outside: WeasyPrint may fetch no address at all."""
    raise ValueError(f"The compilation document fetches nothing ({url}).")


# --- DOCX ----------------------------------------------------------------------------------

# A text watermark as Word writes one: a VML text path in the page header, behind
# the text, on every page of the section.
_WATERMARK = """<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">
<w:pPr><w:pStyle w:val="Header"/></w:pPr><w:r><w:pict>
<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800"
 path="m@7,l@8,m@5,21600l@6,21600e">
<v:formulas><v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/>
<v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/>
<v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/>
<v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/>
<v:f eqn="sum @6 0 @5"/></v:formulas>
<v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800"
 o:connectangles="270,180,90,0"/>
<v:textpath on="t" fitshape="t"/><o:lock v:ext="edit" text="t" shapetype="t"/>
</v:shapetype>
<v:shape id="PowerPlusWaterMarkObject" o:spid="_x0000_s2049" type="#_x0000_t136"
 style="position:absolute;margin-left:0;margin-top:0;width:440pt;height:140pt;rotation:315;z-index:-251654144;mso-position-horizontal:center;mso-position-horizontal-relative:margin;mso-position-vertical:center;mso-position-vertical-relative:margin"
 o:allowincell="f" fillcolor="#d9d9d9" stroked="f">
<v:textpath style="font-family:&quot;Calibri&quot;;font-size:1pt" string="{text}"/>
</v:shape></w:pict></w:r></w:p>"""


def _set_up_pages(document, heading, demo):
    """A4 portrait, "Sida X av Y" and the meeting in the foot, a watermark for demo data."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(15)
    section.top_margin, section.bottom_margin = Mm(18), Mm(20)
    document.styles["Normal"].font.size = Pt(9)

    foot = section.footer.paragraphs[0]
    foot.text = f"{_footer_label(heading)} · "
    for part in _page_number_parts():
        if part in (PAGE, PAGES):
            _add_field(foot, "PAGE" if part == PAGE else "NUMPAGES")
        else:
            foot.add_run(part)
    if demo:
        # The text is ours (a catalogue entry), escaped all the same for the attribute.
        text = _("Demo data").replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
        section.header.paragraphs[0]._p.addnext(parse_xml(_WATERMARK.replace("{text}", text)))


def _add_field(paragraph, instruction):
    """A field Word computes as it lays out the pages (PAGE, NUMPAGES), showing 1 until then."""
    for kind, text in (("begin", None), (None, f" {instruction} "), ("separate", None),
                       (None, "1"), ("end", None)):
        run = paragraph.add_run()
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == "1":
            run.text = text
        else:
            instruction_text = OxmlElement("w:instrText")
            instruction_text.set(qn("xml:space"), "preserve")
            instruction_text.text = text
            run._r.append(instruction_text)


def _add_table(document, head, rows):
    """A table with a header row repeated on every page, and no row split across pages."""
    table = document.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    header = table.rows[0]
    properties = header._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:tblHeader"))
    for cell, text in zip(header.cells, head, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    for values in rows:
        row = table.add_row()
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for cell, text in zip(row.cells, values, strict=True):
            cell.text = text
    document.add_paragraph()
