"""Budget figures computed in the database, shared by pages, exports and tests."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Prefetch,
    Q,
    Sum,
    When,
)
from django.db.models.functions import Abs, Coalesce, NullIf

from assignments.models import Assignment

from .models import AccountClass, BudgetRow

ZERO = Decimal("0")
AMOUNT = DecimalField(max_digits=20, decimal_places=2)
INCOME = Q(account_class=AccountClass.INCOME)


def net_of(field):
    """Costs minus income of `field` ("budget" or "outcome") as one aggregate; 0 for no rows."""
    return Coalesce(Sum(field, filter=~INCOME), ZERO) - Coalesce(Sum(field, filter=INCOME), ZERO)


def net_cost(year: int) -> Decimal:
    """KS net cost (nettokostnad) for a year: outcome of costs minus outcome of income."""
    return BudgetRow.objects.filter(year=year).aggregate(net=net_of("outcome"))["net"]


@dataclass(frozen=True)
class NetCostChange:
    year: int
    net_cost: Decimal
    previous: Decimal
    change: Decimal
    percent: Decimal | None  # None when the year before had no net cost to compare with

    @property
    def size(self):
        """The change without its sign, for "rose by" and "fell by"."""
        return abs(self.change)

    @property
    def percent_size(self):
        return None if self.percent is None else abs(self.percent)


def _change(year, current, previous) -> NetCostChange:
    change = current - previous
    percent = (change / previous * 100) if previous else None
    return NetCostChange(year, current, previous, change, percent)


def net_cost_change(year: int) -> NetCostChange:
    return _change(year, net_cost(year), net_cost(year - 1))


def budget_years() -> list[int]:
    """Years that have budget rows, latest first."""
    return list(
        BudgetRow.objects.order_by("-year").values_list("year", flat=True).distinct()
    )


def _deviation():
    return ExpressionWrapper(F("outcome") - F("budget"), output_field=AMOUNT)


def rows_for_year(year: int):
    """The year's rows with deviation (avvikelse) in kronor and percent, and what they fund."""
    return (
        BudgetRow.objects.filter(year=year)
        .annotate(
            deviation=_deviation(),
            deviation_percent=ExpressionWrapper(
                _deviation() * 100 / NullIf(F("budget"), ZERO), output_field=AMOUNT
            ),
        )
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.only("id", "reference", "title").order_by(
                    "reference", "id"
                ),
            )
        )
        .order_by("account_class", "name", "id")
    )


@dataclass(frozen=True)
class YearTotals:
    """A year's budget and outcome as net cost: costs minus income (account class 3)."""

    budget: Decimal
    outcome: Decimal
    rows: int

    @property
    def deviation(self):
        return self.outcome - self.budget

    @property
    def deviation_percent(self):
        return self.deviation / self.budget * 100 if self.budget else None


def year_totals(year: int) -> YearTotals:
    return YearTotals(
        **BudgetRow.objects.filter(year=year).aggregate(
            budget=net_of("budget"), outcome=net_of("outcome"), rows=Count("pk")
        )
    )


def net_cost_by_year() -> list[NetCostChange]:
    """KS net cost of every year with rows, and its change against the year before."""
    rows = BudgetRow.objects.values("year").annotate(net=net_of("outcome")).order_by("-year")
    net_by_year = {row["year"]: row["net"] for row in rows}
    return [
        _change(year, net, net_by_year.get(year - 1, ZERO)) for year, net in net_by_year.items()
    ]


def net_cost_changes_by_row(year: int):
    """Each row's share of the change in net cost against the year before, largest first.

    Rows are matched by name and account class across the two years; a row only one
    year has counts from or to zero. Income lowers the net cost, so its change counts
    negatively.
    """
    current = Coalesce(Sum("outcome", filter=Q(year=year)), ZERO)
    previous = Coalesce(Sum("outcome", filter=Q(year=year - 1)), ZERO)
    return (
        BudgetRow.objects.filter(year__in=[year - 1, year])
        .order_by()
        .values("name", "account_class")
        .annotate(
            current=current,
            previous=previous,
            change=Case(
                When(account_class=AccountClass.INCOME, then=previous - current),
                default=current - previous,
                output_field=AMOUNT,
            ),
        )
        .exclude(change=0)
        .order_by(Abs("change").desc(), "name", "account_class")
    )


def assignment_sums(year: int):
    """Each assignment funded in `year`: the sum of its linked rows' budget and outcome.

    A row that funds several assignments counts in full for each of them.
    """
    in_year = Q(budget_rows__year=year)
    return (
        Assignment.objects.filter(in_year)
        .annotate(
            row_count=Count("budget_rows", filter=in_year),
            budget_sum=Sum("budget_rows__budget", filter=in_year),
            outcome_sum=Sum("budget_rows__outcome", filter=in_year),
        )
        .order_by("reference", "id")
        .only("id", "reference", "title")
    )
