"""Reading one cell's text as a value; a cell that cannot be read raises `CellError`."""

import re
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from assignments.models import Assignment, validate_reference
from malmo_ks.dates import parse_iso_date


class CellError(Exception):
    """A cell that cannot be read; the message names what was expected."""


def _required(text):
    if not text:
        raise CellError(_("Empty; this column needs a value."))
    return text


def parse_date(text):
    try:
        return parse_iso_date(text)
    except ValueError:
        pass
    raise CellError(_("“%(value)s” is not a date; write dates as 2016-12-31.") % {"value": text})


YEAR_ONLY = re.compile(r"^(?:under\s+)?(\d{4})$", re.IGNORECASE | re.ASCII)


def parse_completion(text):
    """(date, is_year): "2017-06-30", or "under 2017" / "2017" for the year's last day."""
    if not text:
        return None, False
    try:
        if match := YEAR_ONLY.match(text):
            return date(int(match[1]), 12, 31), True  # year 0 raises ValueError
        return parse_date(text), False
    except (CellError, ValueError):
        raise CellError(
            _("“%(value)s” is not a planned completion; write a date such as 2017-06-30 "
              "or a year such as “under 2017”.") % {"value": text}
        ) from None


def parse_reference(text):
    try:
        validate_reference(_required(text))
    except ValidationError as error:
        raise CellError(" ".join(error.messages)) from None
    return text


# The status words of the file: the Swedish labels, their codes, and "pågår" as
# the annual report writes it.
STATUS_WORDS = {
    "pågående": Assignment.Status.ONGOING,
    "pågår": Assignment.Status.ONGOING,
    "pagaende": Assignment.Status.ONGOING,
    "lägesrapport": Assignment.Status.STATUS_REPORT,
    "lagesrapport": Assignment.Status.STATUS_REPORT,
    "avslutad": Assignment.Status.CLOSED,
}


def parse_status(text):
    status = STATUS_WORDS.get(_required(text).lower())
    if status is None:
        raise CellError(
            _("Unknown status “%(value)s”; use pågående, lägesrapport or avslutad.")
            % {"value": text}
        )
    return status


# At most nine ASCII digits: more is no paragraph or year, and int() refuses
# thousands of digits with a ValueError.
POSITIVE_INT = re.compile(r"^\d{1,9}$", re.ASCII)


def parse_positive_int(text, message):
    cleaned = text.lstrip("§").strip()
    if not POSITIVE_INT.match(cleaned) or int(cleaned) < 1:
        raise CellError(message % {"value": text})
    return int(cleaned)


def parse_year(text):
    return parse_positive_int(_required(text), _("“%(value)s” is not a year."))


AMOUNT_PATTERN = re.compile(r"^-?(\d{1,3}(?: \d{3})+|\d+)(?:[.,]\d{1,2})?$", re.ASCII)


def parse_amount(text):
    """Kronor as Excel or a person writes them: 1 234 567,50 or 1234567.5; never negative."""
    cleaned = text.replace("\u00a0", " ").replace("\u2212", "-").removesuffix("kr").strip()
    if not AMOUNT_PATTERN.match(cleaned):
        raise CellError(
            _("“%(value)s” is not an amount in kronor such as 1 234 567,50.") % {"value": text}
        )
    amount = Decimal(cleaned.replace(" ", "").replace(",", "."))
    if amount < 0:
        raise CellError(
            _("“%(value)s” is negative. Amounts are not negative; income is told apart "
              "by account class 3.") % {"value": text}
        )
    return amount


ACCOUNT_CLASS_PATTERN = re.compile(r"^([3-8])(?:\s|$)")


def parse_account_class(text):
    """3 to 8, also as the export's label "6 Övriga verksamhetskostnader"."""
    match = ACCOUNT_CLASS_PATTERN.match(_required(text))
    if not match:
        raise CellError(
            _("Unknown account class “%(value)s”; use 3 to 8 (Kommun-Bas).") % {"value": text}
        )
    return int(match[1])
