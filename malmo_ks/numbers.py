"""Whole numbers read from a query string: ASCII digits only.

`"²".isdigit()` is true and `int("١٢")` is 12: Python's own rules let through
characters no one types into an address, and some of them then fail in `int()`.
Every number a page reads from its address goes through `whole_number`.
"""

import re

from django import forms
from django.core.exceptions import ValidationError

DIGITS = re.compile(r"[0-9]{1,9}")


def whole_number(raw):
    """The number `raw` spells in ASCII digits (surrounding spaces allowed), or None."""
    text = str(raw).strip()
    return int(text) if DIGITS.fullmatch(text) else None


class WholeNumberField(forms.IntegerField):
    """An integer form field that takes only what `whole_number` reads."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = whole_number(value)
        if number is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number
