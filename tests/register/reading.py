"""Reading a page as a user does: the text without tags, whitespace collapsed."""

import html
import re


def visible_text(response):
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(text)).strip()
