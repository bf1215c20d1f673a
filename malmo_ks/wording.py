"""How the register words numbers and dates, the same on every page, export and message."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

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
