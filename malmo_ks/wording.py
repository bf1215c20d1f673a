"""How the register words numbers and dates, the same on every page, export and message."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

# Django's own messages that Django REST framework's Swedish catalogue words otherwise
# ("Det här fältet är obligatoriskt." for "Detta fält måste fyllas i."). An installed
# app's catalogue comes before Django's, so with the API installed every form of the
# register would change its wording; the register's catalogue (LOCALE_PATHS) comes
# before both and gives these Django's Swedish, on the pages and in the API alike.
# Compare when DRF is upgraded: tests/interface/test_catalogues.py lists the clashes.
DJANGO_WORDING = (
    gettext_noop("This field is required."),
    gettext_noop("The submitted file is empty."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("Enter a valid URL."),
    gettext_noop(
        "Upload a valid image. The file you uploaded was either not an image or a corrupted "
        "image."
    ),
)

MILLION = Decimal("1000000")
# A negative amount is read with a real minus sign (Swedish typography, and what a
# screen reader says "minus" for), not a hyphen. Only text shows it: CSV and XLSX
# cells keep numbers a spreadsheet can compute with (malmo_ks.tables).
MINUS = "\u2212"


def swedish_number(value, decimals):
    """Space between thousands, comma before decimals, − before a negative; rounding half
    up, as in reports: -1234.56 → "−1 234,6"."""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0,0"
    text = f"{abs(rounded):,.{decimals}f}".replace(",", " ").replace(".", ",")
    return MINUS + text if rounded < 0 else text


def format_planned_completion(day, is_year):
    """"under 2017" for a year-only deadline, "2017-06-30" for a date, "" for none."""
    if day is None:
        return ""
    if is_year:
        return _("during %(year)s") % {"year": day.year}
    return day.isoformat()
