"""Download of a year's budget rows as CSV or XLSX, written by the register's export machinery."""

from django.contrib.auth.decorators import permission_required
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from assignments import exports
from assignments.exports import Column, Table

from . import selectors
from .forms import YEAR_PARAM
from .models import AccountClass
from .views import chosen_year


def budget_columns():
    return [
        Column(_("Year"), 8),
        Column(_("Budget row"), 40),
        Column(_("Account class"), 28),
        Column(_("Budget (kr)"), 16, exports.KRONOR_FORMAT),
        Column(_("Outcome (kr)"), 16, exports.KRONOR_FORMAT),
        Column(_("Deviation (kr)"), 16, exports.KRONOR_FORMAT),
        Column(_("Deviation in percent"), 14, exports.PERCENT_FORMAT),
        Column(_("Funds"), 40),
    ]


def budget_table(year):
    """The year's rows as the budget page lists them, deviation in kronor and percent."""
    classes = exports.labels(AccountClass)

    def row(budget_row):
        return (
            budget_row.year,
            budget_row.name,
            classes[budget_row.account_class],
            budget_row.budget,
            budget_row.outcome,
            budget_row.deviation,
            exports.rounded(budget_row.deviation_percent),
            ", ".join(assignment.reference for assignment in budget_row.assignments.all()),
        )

    rows = selectors.rows_for_year(year).iterator(chunk_size=exports.CHUNK_SIZE)
    return Table(_("Budget %(year)s") % {"year": year}, budget_columns(), map(row, rows))


@permission_required("budget.view_budgetrow", raise_exception=True)
@require_safe
def export_budget(request, fmt):
    exports.check_format(fmt)
    year, year_form = chosen_year(request, selectors.budget_years())
    if year_form.is_bound and not year_form.is_valid():
        return exports.refused(
            _("The export was not made: “%(value)s” is not a year the budget can show.")
            % {"value": request.GET.get(YEAR_PARAM, "")[:20]},
            exports.form_errors(year_form),
        )
    return exports.export_response(fmt, f"budget-{year}", [budget_table(year)])
