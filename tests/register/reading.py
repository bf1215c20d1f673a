"""Reading a page as a user does: the text without tags, whitespace collapsed."""

import html
import re


def visible_text(response):
    return _visible(response.content.decode())


def body_rows(table):
    """The visible text of each row after a table's head, cell by cell."""
    body = table.split("<tbody>", 1)[1]
    return [
        [_visible(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.DOTALL)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.DOTALL)
    ]


def _visible(markup):
    text = re.sub(r"<[^>]+>", " ", markup)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()
