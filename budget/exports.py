"""Download of a year's budget rows as CSV or XLSX, written by the register's export machinery."""

from django.contrib.auth.decorators import permission_required
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from malmo_ks import tables
from malmo_ks.tables import Column, Table

from . import selectors
from .forms import YEAR_PARAM
from .models import AccountClass
from .views import chosen_year


def budget_columns():
    """Amounts stay in kronor for machine use; each heading says its unit and sign."""
    return [
        Column(_("Year"), 8),
        Column(_("Budget row"), 40),
        Column(_("Account class"), 28),
        Column(_("Budget (kr)"), 16, tables.KRONOR_FORMAT),
        Column(_("Outcome (kr)"), 16, tables.KRONOR_FORMAT),
        Column(_("Deviation (kr), outcome − budget"), 18, tables.KRONOR_FORMAT),
        Column(_("Deviation in percent of budget"), 14, tables.PERCENT_FORMAT),
        Column(_("Funds"), 40),
        Column(_("Budget per funded assignment (kr), shared equally"), 18, tables.KRONOR_FORMAT),
    ]


def _share(budget_row, funded):
    """What each funded assignment's share of the row is, as the budget page counts it."""
    return selectors.Funding(budget_row, len(funded) - 1).budget_share if funded else None


def budget_table(year):
    """The year's rows as the budget page lists them, with a shared row's equal share."""
    classes = tables.labels(AccountClass)

    def row(budget_row):
        funded = budget_row.assignments.all()
        return (
            budget_row.year,
            budget_row.name,
            classes[budget_row.account_class],
            budget_row.budget,
            budget_row.outcome,
            budget_row.deviation,
            tables.rounded(budget_row.deviation_percent),
            ", ".join(assignment.reference for assignment in funded),
            tables.rounded(_share(budget_row, funded), "0.01"),
        )

    rows = selectors.rows_for_year(year).iterator(chunk_size=tables.CHUNK_SIZE)
    return Table(_("Budget %(year)s") % {"year": year}, budget_columns(), map(row, rows))


@permission_required("budget.view_budgetrow", raise_exception=True)
@require_safe
def export_budget(request, fmt):
    tables.check_format(fmt)
    year, year_form = chosen_year(request, selectors.budget_years())
    if year_form.is_bound and not year_form.is_valid():
        return tables.refused(
            _("The export was not made: “%(value)s” is not a year the budget can show.")
            % {"value": request.GET.get(YEAR_PARAM, "")[:20]},
            tables.form_errors(year_form),
        )
    return tables.export_response(fmt, f"budget-{year}", [budget_table(year)])
