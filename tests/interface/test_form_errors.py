"""A form's errors reach screen readers: each invalid field names its error and help text."""

import re
from html.parser import HTMLParser

from django.urls import reverse

from tests.factories import make_assignment


class FormMarkup(HTMLParser):
    """The attributes of every element with an id, and the ids that labels point at."""

    def __init__(self):
        super().__init__()
        self.by_id = {}
        self.invalid = []
        self.labelled = set()

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if "id" in names:
            self.by_id[names["id"]] = (tag, names)
        if names.get("aria-invalid") == "true":
            self.invalid.append(names)
        if tag == "label" and names.get("for"):
            self.labelled.add(names["for"])


def invalid_fields(response):
    """Check each field marked invalid; return their names."""
    page = response.content.decode()
    markup = FormMarkup()
    markup.feed(page)
    for field in markup.invalid:
        described_by = field["aria-describedby"].split()
        error_id = f"{field['id']}_error"
        assert error_id in described_by
        assert all(one in markup.by_id for one in described_by), described_by
        assert field["id"] in markup.labelled
        errors = re.search(rf'<ul class="errorlist" id="{error_id}">(.*?)</ul>', page, re.DOTALL)[1]
        assert re.sub(r"<[^>]+>|\s+", " ", errors).strip()
    return {field["name"] for field in markup.invalid}


def test_each_invalid_field_is_labelled_and_described_by_its_error(client, handlaggare):
    assignment = make_assignment()
    client.force_login(handlaggare)
    url = reverse("assignments:change_status", args=[assignment.pk])
    closing = {"status": "avslutad", "body": "KS", "meeting_date": "2016-11-02"}

    # A field the form requires, and a rule of the model that names its field.
    without_paragraph = client.post(url, {**closing, "version": assignment.version})
    without_outcome = client.post(
        url, {**closing, "paragraph": "312", "version": assignment.version}
    )

    assert invalid_fields(without_paragraph) == {"paragraph"}
    assert invalid_fields(without_outcome) == {"outcome"}
    # Help text stays tied to its field when the form comes back with errors.
    assert 'aria-describedby="id_reason_helptext"' in without_outcome.content.decode()
