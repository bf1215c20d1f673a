"""Budget figures computed in the database, shared by pages, exports and tests."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum

from .models import AccountClass, BudgetRow

ZERO = Decimal("0")


def net_cost(year: int) -> Decimal:
    """KS net cost (nettokostnad) for a year: outcome of costs minus outcome of income."""
    totals = BudgetRow.objects.filter(year=year).aggregate(
        costs=Sum("outcome", filter=~Q(account_class=AccountClass.INCOME)),
        income=Sum("outcome", filter=Q(account_class=AccountClass.INCOME)),
    )
    return (totals["costs"] or ZERO) - (totals["income"] or ZERO)


@dataclass(frozen=True)
class NetCostChange:
    year: int
    net_cost: Decimal
    previous: Decimal
    change: Decimal
    percent: Decimal | None  # None when the year before had no net cost to compare with


def net_cost_change(year: int) -> NetCostChange:
    current, previous = net_cost(year), net_cost(year - 1)
    change = current - previous
    percent = (change / previous * 100) if previous else None
    return NetCostChange(year, current, previous, change, percent)
