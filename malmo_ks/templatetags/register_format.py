"""Amounts and percentages as Swedish readers expect them: 1 234,5 Mkr and 11,9 %."""

from decimal import Decimal

from django import template

from malmo_ks.wording import MILLION, format_planned_completion, swedish_number

register = template.Library()




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
