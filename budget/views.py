"""The budget pages: a year's rows against their outcome, and adding or changing a row."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from assignments.concurrency import perform
from malmo_ks.numbers import whole_number

from . import selectors
from .forms import YEAR_PARAM, BudgetRowForm, NewBudgetRowForm, YearForm
from .models import BUDGET_ROW_FIELDS, BudgetRow


def get_row_for_user(request, pk, perm):
    """The budget row, or 404; 403 without `perm`."""
    if not request.user.has_perm(perm):
        raise PermissionDenied
    return get_object_or_404(BudgetRow, pk=pk)


def chosen_year(request, years):
    """The year asked for with `?ar=`, else the latest year with rows, else this year."""
    default = years[0] if years else timezone.localdate().year
    if not request.GET.get(YEAR_PARAM):
        return default, YearForm(initial={YEAR_PARAM: default})
    form = YearForm(request.GET)
    return (form.cleaned_data[YEAR_PARAM] if form.is_valid() else default), form


@require_safe
@permission_required("budget.view_budgetrow", raise_exception=True)
def budget_overview(request):
    years = selectors.budget_years()
    year, year_form = chosen_year(request, years)
    rows = list(selectors.rows_for_year(year))
    return render(request, "budget/overview.html", {
        "year": year,
        "year_form": year_form,
        "years": sorted(set(years) | {year}, reverse=True),
        "rows": rows,
        "totals": selectors.year_totals(year),
        "net_cost": selectors.net_cost_change(year),
        "changes_by_row": selectors.net_cost_changes_by_row(year),
        "net_costs": selectors.net_cost_by_year(),
        "funding": selectors.assignment_funding(rows),
    })


def _posted(request):
    return request.POST if request.method == "POST" else None


def _row_page(request, form, row=None):
    """Save the row as one user action (assignments.concurrency.perform), or show the form."""
    saved = form.instance
    if form.is_bound and perform(
        form,
        lambda: saved.save_tracked(
            user=request.user,
            reason=form.cleaned_data["reason"],
            assignments=form.cleaned_data["assignments"],
        ),
        row,
        versioned=row is not None,
        told=BUDGET_ROW_FIELDS,
    ):
        messages.success(request, _("The budget row “%(row)s” was saved.") % {"row": saved})
        return redirect(f"{reverse('budget:index')}?{YEAR_PARAM}={saved.year}")
    if form.is_bound and row is not None:
        # The form has applied the input to the row; the heading names the stored row.
        row.refresh_from_db()
    return render(request, "budget/row_form.html", {"form": form, "row": row})


@permission_required("budget.add_budgetrow", raise_exception=True)
@require_http_methods(["GET", "POST"])
def create_row(request):
    initial = {}
    if (year := whole_number(request.GET.get(YEAR_PARAM, ""))) is not None:
        initial["year"] = year
    form = NewBudgetRowForm(_posted(request), initial=initial)
    return _row_page(request, form)


@require_http_methods(["GET", "POST"])
def edit_row(request, pk):
    row = get_row_for_user(request, pk, "budget.change_budgetrow")
    form = BudgetRowForm(_posted(request), instance=row, initial={"version": row.version})
    return _row_page(request, form, row)
