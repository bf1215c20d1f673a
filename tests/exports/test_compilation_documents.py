"""The compilation as documents for the meeting: PDF/A for the archive, DOCX for the secretary.

The PDF is read as text (pypdf) and the DOCX with python-docx, as a reader's tools
would: the heading, "Sida 1 av N", the sections in the issue's order, and the same
figures as the web page shows.
"""

import io
import re
from datetime import date

import pytest
from docx import Document
from pypdf import PdfReader

from assignments.models import DemoDataset
from reports import compilation
from tests.factories import make_meeting
from tests.query_counts import assert_queries_do_not_grow
from tests.register.reading import visible_text
from tests.register.test_changes import registered

from .test_compilation import (  # noqa: F401 – the fixtures are used by name
    DOCX_URL,
    LATER,
    PDF_URL,
    PERIOD,
    URL,
    XLSX_URL,
    many_reported,
    period,
    politician_client,
    references,
    table_rows,
)

SECTIONS = [
    "Förändringar sedan föregående sammanställning",
    "Planerat avslut till detta sammanträde",
    "Uppdrag under arbete",
    "Avslutade uppdrag",
]
# A section's heading with its figures: "Uppdrag under arbete (4, varav 3 försenade)".
SECTION_FIGURES = re.compile(
    "(" + "|".join(SECTIONS) + r") \((\d+)(?:, varav (\d+) försenade?)?\)"
)
STATUS_FIGURES = re.compile(r"pågående (\d+),? lägesrapport (\d+),? avslutad (\d+)")
BANNER = "Titlar markerade som verkliga"


def pdf_pages(response):
    """The text of each page of the PDF, whitespace collapsed, and the reader."""
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    return reader, [" ".join(page.extract_text().split()) for page in reader.pages]


def docx_of(response):
    assert response.status_code == 200
    return Document(io.BytesIO(response.content))


def docx_text(document):
    """The body's paragraphs and then its tables' cells, as one text."""
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return " ".join(" ".join([p.text for p in document.paragraphs] + cells).split())


def figures(text):
    return SECTION_FIGURES.findall(text), STATUS_FIGURES.findall(text)


# PDF/A


def test_the_pdf_declares_pdf_a_2b_and_embeds_its_fonts(politician_client, period):
    response = politician_client.get(PDF_URL, PERIOD)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="sammanstallning-2016-12-31.pdf"'
    )
    reader, _pages = pdf_pages(response)
    metadata = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert re.search(r'pdfaid:part(="|>)2', metadata)
    assert re.search(r'pdfaid:conformance(="|>)B', metadata)
    assert "Sammanställning av särskilda utredningsuppdrag 2016-12-31" in metadata
    fonts = [font.get_object() for page in reader.pages
             for font in page["/Resources"]["/Font"].values()]
    assert fonts
    for font in fonts:
        described = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = described["/FontDescriptor"].get_object()
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]


def test_the_pdf_starts_with_the_meeting_s_heading(politician_client, period):
    _reader, pages = pdf_pages(politician_client.get(PDF_URL, PERIOD))
    first = pages[0]
    heading = (
        "Kommunstyrelsen Sammanträde 2016-12-31 Sammanställning av särskilda utredningsuppdrag "
        "Registret som det såg ut vid slutet av 2016-12-31. "
        "Förändringarna räknas efter sammanställningen per 2016-06-30."
    )
    assert first.startswith(heading)


def test_every_page_of_the_pdf_says_sida_x_av_y(politician_client, period, handlaggare):
    many_reported(handlaggare, range(60))
    _reader, pages = pdf_pages(politician_client.get(PDF_URL, PERIOD))
    assert len(pages) > 2
    assert f"Sida 1 av {len(pages)}" in pages[0]
    for number, text in enumerate(pages, start=1):
        assert f"Sida {number} av {len(pages)}" in text


def test_the_pdf_tells_the_sections_in_the_issue_s_order(politician_client, period):
    _reader, pages = pdf_pages(politician_client.get(PDF_URL, PERIOD))
    text = " ".join(pages)
    places = [text.index(heading) for heading in SECTIONS]
    assert places == sorted(places)
    # The heading comes first, and each section lists its own assignments.
    assert text.index("Sammanställning av särskilda") < places[0]
    due = text[places[1]:places[2]]
    assert all(reference in due for reference in ("STK-2014-402", "STK-2014-405", "STK-2016-406"))
    assert "STK-2014-401" in text[places[2]:places[3]]
    closed = text[places[3]:]
    assert "STK-2014-403 Uppdrag STK-2014-403 – genomfört – KS 2016-11-02 § 313" in closed


@pytest.mark.parametrize("query", [PERIOD, LATER], ids=["at the meeting", "overdue"])
def test_the_pdf_and_the_docx_have_the_page_s_figures(politician_client, period, query):
    page = visible_text(politician_client.get(URL, query))
    _reader, pages = pdf_pages(politician_client.get(PDF_URL, query))
    document = docx_text(docx_of(politician_client.get(DOCX_URL, query)))
    on_the_page = figures(page)
    assert len(on_the_page[0]) == 4 and len(on_the_page[1]) == 1
    assert figures(" ".join(pages)) == on_the_page
    assert figures(document) == on_the_page
    # Overdue is said in words, as often as on the page.
    assert " ".join(pages).count("Försenad") == page.count("Försenad")
    assert document.count("Försenad") == page.count("Försenad")


def test_overdue_assignments_are_marked_in_words_in_the_pdf(politician_client, period):
    _reader, pages = pdf_pages(politician_client.get(PDF_URL, LATER))
    text = " ".join(pages)
    assert "Uppdrag under arbete (4, varav 3 försenade)" in text
    assert text.count("under 2016 Försenad") == 3


# Demo data


def test_demo_data_prints_a_watermark_on_every_page_and_not_the_banner(
    politician_client, period, handlaggare
):
    many_reported(handlaggare, range(60))
    _reader, pages = pdf_pages(politician_client.get(PDF_URL, PERIOD))
    assert not any("Demodata" in text for text in pages)
    header = docx_of(politician_client.get(DOCX_URL, PERIOD)).sections[0].header
    assert "Demodata" not in header._element.xml

    DemoDataset.objects.create()
    _reader, pages = pdf_pages(politician_client.get(PDF_URL, PERIOD))
    assert len(pages) > 1
    assert all("Demodata" in text for text in pages)
    assert not any(BANNER in text for text in pages)
    document = docx_of(politician_client.get(DOCX_URL, PERIOD))
    assert 'string="Demodata"' in document.sections[0].header._element.xml
    assert BANNER not in docx_text(document)


# DOCX


def test_the_docx_has_the_heading_and_the_sections_in_order(politician_client, period):
    response = politician_client.get(DOCX_URL, PERIOD)
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="sammanstallning-2016-12-31.docx"'
    )
    document = docx_of(response)
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    assert paragraphs[:3] == [
        "Kommunstyrelsen", "Sammanträde 2016-12-31",
        "Sammanställning av särskilda utredningsuppdrag",
    ]
    assert document.paragraphs[2].style.name == "Title"
    assert document.core_properties.title == (
        "Sammanställning av särskilda utredningsuppdrag 2016-12-31"
    )
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert [heading.split(" (")[0] for heading in headings] == SECTIONS


def test_the_docx_tables_hold_each_section_s_assignments(politician_client, period):
    document = docx_of(politician_client.get(DOCX_URL, PERIOD))
    changes, due, ongoing, closed = (
        [[cell.text for cell in row.cells] for row in table.rows] for table in document.tables
    )
    assert changes[0] == ["Uppdrag", "Förändring", "Från", "Till", "Behandling eller motivering",
                          "Registrerat"]
    assert len(changes) == 1 + 4
    assert [row[0] for row in due[1:]] == ["STK-2014-402", "STK-2014-405", "STK-2016-406"]
    assert ongoing[1][0] == "STK-2014-401"
    assert ongoing[1][2:] == ["lägesrapport", "Kulturnämnden", "KS 2016-06-01 § 180",
                              "2017-06-30"]
    assert closed[1:] == [
        ["STK-2014-403", "Uppdrag STK-2014-403", "genomfört", "KS 2016-11-02 § 313"],
        ["STK-2014-404", "Uppdrag STK-2014-404", "ej genomfört", "KS 2016-06-30 § 200"],
    ]


def test_the_docx_footer_numbers_the_pages_with_word_s_fields(politician_client, period):
    footer = docx_of(politician_client.get(DOCX_URL, PERIOD)).sections[0].footer
    xml = footer._element.xml
    instructions = re.findall(r"<w:instrText[^>]*>\s*(\w+)\s*</w:instrText>", xml)
    assert instructions == ["PAGE", "NUMPAGES"]
    # Word fills in the numbers as it lays out the pages; until then it shows 1.
    assert footer.paragraphs[0].text == "Kommunstyrelsen 2016-12-31 · Sida 1 av 1"


# Cost


@pytest.mark.parametrize("url", [PDF_URL, DOCX_URL], ids=["pdf", "docx"])
def test_a_document_makes_as_many_queries_for_50_assignments_as_for_5(
    politician_client, handlaggare, url
):
    response = assert_queries_do_not_grow(
        lambda: politician_client.get(url, PERIOD),
        lambda serials: many_reported(handlaggare, serials),
    )
    assert response.status_code == 200


# The heading's dnr, and no forced page break


@pytest.fixture
def meeting_with_a_dnr(handlaggare):
    """KS's meeting of 2017-01-18 in the plan, with its protocol's dnr."""
    return make_meeting(date=date(2017, 1, 18), protocol_reference="KS-2017-00123")


def test_the_documents_name_the_meeting_s_dnr_when_it_is_known(
    politician_client, period, meeting_with_a_dnr
):
    query = {"sammantrade": meeting_with_a_dnr.pk, "per": "2016-12-31"}
    _reader, pages = pdf_pages(politician_client.get(PDF_URL, query))
    assert pages[0].startswith(
        "Kommunstyrelsen Sammanträde 2017-01-18 · Dnr KS-2017-00123 "
        "Sammanställning av särskilda utredningsuppdrag"
    )
    document = docx_of(politician_client.get(DOCX_URL, query))
    assert document.paragraphs[1].text == "Sammanträde 2017-01-18 · Dnr KS-2017-00123"


def test_a_compilation_for_a_meeting_lists_what_is_due_by_the_meeting(
    politician_client, period, meeting_with_a_dnr, handlaggare
):
    """Prepared on 2016-12-31 for the meeting of 2017-01-18: an assignment due on
    2017-01-10 is due for that meeting, though not yet overdue; without the meeting
    it is simply in progress."""
    registered(
        "STK-2016-407", handlaggare, day=date(2016, 9, 1),
        planned_completion=date(2017, 1, 10),
    )
    query = {"sammantrade": meeting_with_a_dnr.pk, "per": "2016-12-31"}
    response = politician_client.get(URL, query)
    assert "Förberedd för sammanträdet KS 2017-01-18." in visible_text(response)
    assert "STK-2016-407" in references(table_rows(response, "due"))
    assert "STK-2016-407" not in references(table_rows(response, "ongoing"))
    _reader, pages = pdf_pages(politician_client.get(PDF_URL, query))
    text = " ".join(pages)
    due = text.split("Planerat avslut till detta sammanträde")[1].split("Uppdrag under arbete")[0]
    assert "STK-2016-407" in due
    without = politician_client.get(URL, {"per": "2016-12-31"})
    assert "STK-2016-407" not in references(table_rows(without, "due"))
    assert "STK-2016-407" in references(table_rows(without, "ongoing"))


def test_the_meeting_s_page_links_to_its_compilation(politician_client, meeting_with_a_dnr):
    page = politician_client.get(f"/sammantraden/{meeting_with_a_dnr.pk}/").content.decode()
    for url in (URL, PDF_URL, DOCX_URL):
        assert f'href="{url}?sammantrade={meeting_with_a_dnr.pk}"' in page


def test_an_unknown_meeting_is_refused_in_words(politician_client, period):
    response = politician_client.get(URL, {"sammantrade": "999999"})
    assert "Det finns inget sådant sammanträde." in visible_text(response)
    assert politician_client.get(PDF_URL, {"sammantrade": "²"}).status_code == 400


def test_without_a_known_dnr_the_documents_name_none(politician_client, period):
    _reader, pages = pdf_pages(politician_client.get(PDF_URL, PERIOD))
    assert "Dnr" not in pages[0]
    assert "Dnr" not in docx_text(docx_of(politician_client.get(DOCX_URL, PERIOD)))


def test_no_section_is_forced_onto_a_new_page(politician_client, period):
    # A section of a few rows follows the one before on the same page.
    _reader, pages = pdf_pages(politician_client.get(PDF_URL, PERIOD))
    assert all(heading in pages[0] for heading in SECTIONS[:3])
    body = docx_of(politician_client.get(DOCX_URL, PERIOD)).element.xml
    assert 'w:type="page"' not in body
    assert "pageBreakBefore" not in body


def test_a_register_too_large_for_a_document_is_offered_as_excel_only(
    politician_client, period, monkeypatch
):
    monkeypatch.setattr(compilation, "DOCUMENT_MAX_ENTRIES", 5)
    response = politician_client.get(URL, PERIOD)
    page = response.content.decode()
    assert PDF_URL not in page and DOCX_URL not in page
    assert XLSX_URL in page
    assert ("Sammanställningen erbjuds som PDF/A och Word för högst 5 uppdrag, och registret "
            "hade fler den dagen.") in visible_text(response)
    for url in (PDF_URL, DOCX_URL):
        download = politician_client.get(url, PERIOD)
        assert download.status_code == 400
        assert ("Registret hade fler än 5 uppdrag den dagen: för många för ett dokument. "
                "Ladda ned sammanställningen som Excel i stället.") in download.content.decode()
    assert politician_client.get(XLSX_URL, PERIOD).status_code == 200
