"""Amounts and percentages as Swedish readers expect them: 1 234,5 Mkr and 11,9 %."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

from assignments.models import format_planned_completion

register = template.Library()

MILLION = Decimal("1000000")


def swedish_number(value, decimals):
    """Space between thousands, comma before decimals; rounding half up, as in reports."""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0,0"
    text = f"{rounded:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",")


@register.filter
def mkr(amount_in_kronor, decimals=1):
    """Kronor shown in millions: 61000000 → "61,0 Mkr"."""
    if amount_in_kronor is None or amount_in_kronor == "":
        return ""
    return f"{swedish_number(Decimal(amount_in_kronor) / MILLION, int(decimals))} Mkr"


@register.filter
def percent(value, decimals=1):
    """11.914 → "11,9 %"; nothing for a percentage that cannot be computed."""
    if value is None or value == "":
        return ""
    return f"{swedish_number(value, int(decimals))} %"


@register.filter
def completion(day, is_year):
    """A planned completion: `{{ row.planned_completion|completion:row.planned_completion_is_year }}`."""
    return format_planned_completion(day, is_year)
