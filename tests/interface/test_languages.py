"""Swedish by default, English on request, and no page mixes the two in its interface text."""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse

from tests.interface.catalogue import po_path, read_po
from tests.interface.pages import demo_user, main_pages, write_pages

ENGLISH_HEADINGS = {
    "overview": "Overview",
    "list": "Assignments",
    "detail": "Timeline",
    "changes": "What has changed",
    "budget": "Budget 2016",
    "compilation": "Compilation of investigation assignments",
}
# Interface text a person reads outside the element text itself.
TEXT_ATTRIBUTES = {"aria-label", "title", "alt", "placeholder"}


class TextCollector(HTMLParser):
    """Every piece of text on the page, whitespace collapsed, as a reader meets it."""

    def __init__(self):
        super().__init__()
        self.texts = set()

    def _add(self, text):
        text = re.sub(r"\s+", " ", text).strip()
        if text:
            self.texts.add(text)

    def handle_data(self, data):
        self._add(data)

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in TEXT_ATTRIBUTES and value:
                self._add(value)


def texts(response):
    collector = TextCollector()
    collector.feed(response.content.decode())
    return collector.texts


def headings(response):
    return [
        re.sub(r"<[^>]+>|\s+", " ", heading).strip()
        for heading in re.findall(
            r"<h[12][^>]*>(.*?)</h[12]>", response.content.decode(), re.DOTALL
        )
    ]


def translated_swedish():
    """Swedish catalogue entries whose text differs from the English msgid.

    A text that is English in one entry and Swedish in another ("Filter": the English
    button that reads "Filtrera", and the Swedish fold over the filters) belongs to
    both languages, so it tells neither leak apart and is left out.
    """
    entries = {
        entry.msgid: entry.msgstr[""]
        for entry in read_po(po_path("sv"))
        if not entry.msgid_plural and entry.msgstr[""] != entry.msgid
    }
    both = set(entries) & set(entries.values())
    return {english: swedish for english, swedish in entries.items()
            if english not in both and swedish not in both}


@pytest.fixture
def reader(client, demo):
    client.force_login(demo_user("handlaggare"))
    return client


def every_page(client, **headers):
    return {name: client.get(url, **headers) for name, url in main_pages() + write_pages()}


def test_swedish_is_the_default(reader):
    response = reader.get(reverse("assignments:list"))

    assert '<html lang="sv">' in response.content.decode()
    assert headings(response)[0] == "Uppdrag"


def test_main_pages_are_in_english_when_the_browser_prefers_it(reader):
    pages = {
        name: reader.get(url, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9,sv;q=0.5")
        for name, url in main_pages()
    }

    assert set(pages) == set(ENGLISH_HEADINGS)
    for name, heading in ENGLISH_HEADINGS.items():
        page = pages[name].content.decode()
        assert '<html lang="en">' in page, name
        assert heading in headings(pages[name]), (name, headings(pages[name]))


def test_the_language_cookie_keeps_english_whatever_the_browser_says(reader):
    reader.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = reader.get(reverse("reports:overview"), HTTP_ACCEPT_LANGUAGE="sv")

    assert headings(response)[0] == "Overview"
    assert "Log out" in texts(response)


def test_choosing_english_in_the_header_sets_the_cookie_and_returns_to_the_page(reader):
    response = reader.post(reverse("set_language"), {"language": "en", "next": "/uppdrag/"})

    assert response.status_code == 302
    assert response["Location"] == "/uppdrag/"
    assert reader.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert headings(reader.get("/uppdrag/"))[0] == "Assignments"


def test_swedish_pages_show_no_untranslated_english(reader):
    english = set(translated_swedish())

    leaked = {name: sorted(texts(page) & english) for name, page in every_page(reader).items()}

    assert {name: found for name, found in leaked.items() if found} == {}


def test_english_pages_show_no_swedish_interface_text(reader):
    swedish = set(translated_swedish().values())

    pages = every_page(reader, HTTP_ACCEPT_LANGUAGE="en")
    leaked = {name: sorted(texts(page) & swedish) for name, page in pages.items()}

    assert {name: found for name, found in leaked.items() if found} == {}
