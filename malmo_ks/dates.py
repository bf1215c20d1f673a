"""The days the register can speak of: its era, named once for every form, filter and parameter.

Nothing in the register happened before 2000 (Malmökommissionen was set up in
2010), and no planned completion lies beyond 2100. A date outside is a typing
mistake or a probe; refused here, it never reaches date arithmetic that would
overflow at year 1 or 9999.
"""

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The one way the register writes a date, in ASCII digits: Python's fromisoformat()
# alone also reads 20161231, 2016-W52-6 and "2000010100" (as 2000-01-01).
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


def validate_plausible_date(day):
    """Refuse a day outside the register's era, saying which days are possible."""
    if not EARLIEST <= day <= LATEST:
        raise ValidationError(
            _("Write a date from %(earliest)s up to and including %(latest)s."),
            code="implausible_date",
            params={"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()},
        )


def validate_not_after_today(day):
    """Refuse a future date for something that has already happened (a meeting, a report)."""
    if day > timezone.localdate():
        raise ValidationError(
            _("This date is after today; only what has already happened is registered."),
            code="future",
        )


def plausible_date_field(**kwargs):
    """A date field (with a date picker) that only takes a day of the register's era."""
    return forms.DateField(
        validators=[validate_plausible_date],
        widget=forms.DateInput(
            attrs={"type": "date", "min": EARLIEST.isoformat(), "max": LATEST.isoformat()}
        ),
        **kwargs,
    )


def parse_iso_date(text):
    """2016-12-31 as a date; ValueError for anything else, however Python would read it."""
    if not ISO_DATE.match(text):
        raise ValueError(text)
    return date.fromisoformat(text)
