"""Whole numbers read from a query string or a form: ASCII digits only.

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


class ChosenRecordsField(forms.ModelMultipleChoiceField):
    """Records chosen by id: an id that is no `whole_number` is refused before any query.

    SQLite cannot even bind an integer past 64 bits ("9" * 40 would be a 500).
    """

    def _check_values(self, value):
        for pk in value:
            if whole_number(pk) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                    params={"pk": str(pk)[:40]},
                )
        return super()._check_values(value)
