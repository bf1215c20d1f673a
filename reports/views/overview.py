"""The overview (`/`): where the register stands at a day, and what changed since KS last met."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from malmo_ks.asof import parse_as_of
from malmo_ks.numbers import whole_number

from .. import charts
from ..overview import STALE_MONTHS, overview_at

STALE_PARAM = "utan_rapport"
MAX_STALE_MONTHS = 120  # as the list's utan_rapport filter


def parse_stale_months(request):
    """Read `?utan_rapport=6`: months without a status report. A bad value is reported."""
    raw = request.GET.get(STALE_PARAM, "").strip()
    if not raw:
        return STALE_MONTHS, ""
    months = whole_number(raw)
    if months is not None and 1 <= months <= MAX_STALE_MONTHS:
        return months, ""
    error = _("“%(value)s” is not a number of months from 1 to %(max)s; showing %(default)s.") % {
        "value": raw[:20], "max": MAX_STALE_MONTHS, "default": STALE_MONTHS,
    }
    return STALE_MONTHS, error


@require_safe
@permission_required("assignments.view_assignment", raise_exception=True)
def overview(request):
    as_of = parse_as_of(request)
    stale_months, stale_error = parse_stale_months(request)
    figures = overview_at(as_of.day, stale_months)
    return render(request, "reports/overview.html", {
        "as_of": as_of,
        "stale_error": stale_error,
        "max_stale_months": MAX_STALE_MONTHS,
        "figures": figures,
        "over_time_chart": (
            charts.status_over_time_chart(
                figures.over_time, figures.reference_day, figures.counts, today=not figures.day
            ) if figures.over_time else None
        ),
        "area_chart": charts.status_breakdown_chart(
            "by-area", _("Assignments per commission area and status"), figures.by_area
        ) if figures.by_area else None,
        "unit_chart": charts.status_breakdown_chart(
            "by-unit", _("Assignments per responsible unit and status"), figures.by_unit
        ) if figures.by_unit else None,
    })
