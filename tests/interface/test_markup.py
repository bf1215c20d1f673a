"""Rules every page's markup keeps, read from the pages the views render.

No inline script, style or event handler (the Content-Security-Policy blocks them);
tables with a caption and header cells; one h1; the same landmarks everywhere.
"""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from tests.interface.pages import admin_pages, demo_user, main_pages, write_pages

# The pages are rendered once per module inside the demo register's transaction;
# the marker makes pytest-django create the test database for them.
pytestmark = pytest.mark.django_db

LANDMARKS = ["header", "nav", "main"]
# Elements whose text names a field, a column or a group: in Swedish they are
# written in sentence case, "Planerat avslut", never "Planerat Avslut".
LABELS = {"label", "legend", "dt", "summary"}
# Capitals that belong inside a Swedish label: the city, the file formats, the
# diarienummer's "STK" and the bodies' acronyms (KS, KSAU) are written in capitals.
PROPER_NOUNS = {"Malmö", "Malmökommissionen", "Excel", "Mkr"}


class PageMarkup(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inline_code = []
        self.tables = []  # per table: [has caption, header cells, header cells with scope]
        self.tags = []
        self.labels = []  # the text of each label, column header, legend, term, summary
        self._label_depth = 0

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        self.tags.append(tag)
        if tag == "input" and self._label_depth:
            # A choice's label (a checkbox's) names a record, not a field: data.
            self.labels[-1] = None
        if tag in LABELS or (tag == "th" and names.get("scope") == "col"):
            if not self._label_depth:
                self.labels.append("")
            self._label_depth += 1
        if tag == "script" and not names.get("src"):
            self.inline_code.append("<script> without src")
        if tag == "style":
            self.inline_code.append("<style> element")
        self.inline_code += [
            f"{name}= on <{tag}>" for name in names if name == "style" or name.startswith("on")
        ]
        if tag == "table":
            self.tables.append([False, 0, 0])
        elif tag == "caption" and self.tables:
            self.tables[-1][0] = True
        elif tag == "th" and self.tables:
            self.tables[-1][1] += 1
            self.tables[-1][2] += "scope" in names


    def handle_endtag(self, tag):
        if self._label_depth and (tag in LABELS or tag == "th"):
            self._label_depth -= 1

    def handle_data(self, data):
        if self._label_depth and self.labels[-1] is not None:
            self.labels[-1] += data


def read(response):
    markup = PageMarkup()
    markup.feed(response.content.decode())
    return markup


@pytest.fixture(scope="module")
def pages(_demo_register, django_db_blocker):
    """Every page a person works with, as handläggare or administrator, and a form with errors.

    Rendered once for the module: the tests only read them.
    """
    with django_db_blocker.unblock():
        return _render_pages(Client())


def _render_pages(client):
    rendered = {"login": client.get(reverse("login"))}
    client.force_login(demo_user("handlaggare"))
    for name, url in main_pages() + write_pages():
        rendered[name] = client.get(url)
    change_status = dict(write_pages())["change_status"]
    rendered["change_status with errors"] = client.post(change_status, {"status": "avslutad"})
    client.force_login(demo_user("admin"))
    for name, url in admin_pages():
        rendered[name] = client.get(url)

    assert {name: page.status_code for name, page in rendered.items()} == {
        name: 200 for name in rendered
    }
    assert "Rätta felen" in rendered["change_status with errors"].content.decode()
    return {name: read(page) for name, page in rendered.items()}


def test_no_page_carries_inline_script_or_style(pages):
    assert {name: page.inline_code for name, page in pages.items() if page.inline_code} == {}


def test_every_table_has_a_caption_and_scoped_header_cells(pages):
    tables = [table for page in pages.values() for table in page.tables]
    bad = {
        name: page.tables
        for name, page in pages.items()
        if any(
            not caption or not headers or scoped < headers
            for caption, headers, scoped in page.tables
        )
    }

    assert len(tables) > 10
    assert bad == {}


def test_every_page_has_one_h1_and_the_same_landmarks(pages):
    assert {name: page.tags.count("h1") for name, page in pages.items()} == {
        name: 1 for name in pages
    }
    missing = {
        name: [landmark for landmark in LANDMARKS if landmark not in page.tags]
        for name, page in pages.items()
    }
    # The login page has no main menu: there is nothing to go to before logging in.
    assert {name: found for name, found in missing.items() if found} == {"login": ["nav"]}


def _capitals_inside(label):
    """Words after the first of a label's sentences that start with a capital letter."""
    found = []
    for sentence in re.split(r"(?<=[.:!?])\s+", " ".join(label.split())):
        for word in re.findall(r"[^\W\d_][\w-]*", sentence)[1:]:
            if word[0].isupper() and not word.isupper() and word not in PROPER_NOUNS:
                found.append(word)
    return found


def test_swedish_labels_are_written_in_sentence_case(pages):
    capitals = {
        name: [label.strip() for label in page.labels if label and _capitals_inside(label)]
        for name, page in pages.items()
    }

    assert sum(len(page.labels) for page in pages.values()) > 100
    assert {name: found for name, found in capitals.items() if found} == {}
