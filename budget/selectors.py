"""Budget figures, shared by pages, exports and tests.

Sums are computed in the database; ratios (percentages, shares) in Python with
`Decimal`, so that they are exact on every database: SQLite divides integers as
integers, and a NUMERIC column there holds a whole-kronor amount as an integer.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Prefetch,
    Q,
    Sum,
    When,
)
from django.db.models.functions import Abs, Coalesce

from assignments.detail_selectors import past_records
from assignments.models import Assignment

from .models import AccountClass, BudgetRow, percent_of

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
    return NetCostChange(year, current, previous, change, percent_of(change, previous))


def net_cost_change(year: int) -> NetCostChange:
    return _change(year, net_cost(year), net_cost(year - 1))


def budget_years() -> list[int]:
    """Years that have budget rows, latest first."""
    return list(
        BudgetRow.objects.order_by("-year").values_list("year", flat=True).distinct()
    )


def rows_for_year(year: int):
    """The year's rows and what they fund; `BudgetRow.deviation` and its percent come with them."""
    return (
        BudgetRow.objects.filter(year=year)
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
        return percent_of(self.deviation, self.budget)


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


@dataclass(frozen=True)
class Funding:
    """One row's funding of one assignment: the whole row, and the assignment's equal share."""

    row: BudgetRow
    shared_with: int  # how many other assignments the row funds

    @property
    def budget_share(self):
        return self.row.budget / (self.shared_with + 1)

    @property
    def outcome_share(self):
        return None if self.row.outcome is None else self.row.outcome / (self.shared_with + 1)


@dataclass
class FundedAssignment:
    """An assignment and the rows that fund it; its figures are its shares of those rows."""

    assignment: Assignment
    fundings: list[Funding] = field(default_factory=list)

    @property
    def budget_share(self):
        return sum(funding.budget_share for funding in self.fundings)

    @property
    def outcome_share(self):
        shares = [f.outcome_share for f in self.fundings if f.outcome_share is not None]
        return sum(shares) if shares else None


@dataclass(frozen=True)
class AssignmentFunding:
    """The assignments a year's rows fund, and those rows' totals, each row counted once."""

    assignments: list[FundedAssignment]
    budget: Decimal
    outcome: Decimal | None


def assignment_funding(rows) -> AssignmentFunding:
    """Who the rows (from `rows_for_year`) fund, with a row that funds several shared equally.

    Built from the rows already fetched for the page, so it costs no query of its
    own; the shares of one row add up to the row, and the totals count it once.
    """
    by_assignment = {}
    funding_rows = []
    for row in rows:
        funded = list(row.assignments.all())
        if funded:
            funding_rows.append(row)
        for assignment in funded:
            entry = by_assignment.setdefault(assignment.pk, FundedAssignment(assignment))
            entry.fundings.append(Funding(row, shared_with=len(funded) - 1))
    outcomes = [row.outcome for row in funding_rows if row.outcome is not None]
    return AssignmentFunding(
        assignments=sorted(
            by_assignment.values(), key=lambda e: (e.assignment.reference, e.assignment.pk)
        ),
        budget=sum((row.budget for row in funding_rows), ZERO),
        outcome=sum(outcomes) if outcomes else None,
    )


@dataclass(frozen=True)
class AssignmentBudget:
    """The budget rows that fund one assignment, with their sums."""

    rows: list
    budget_total: Decimal | None
    outcome_total: Decimal | None


def assignment_budget(assignment, day=None) -> AssignmentBudget:
    """The rows linked to `assignment` today, or as they stood at the end of `day`."""
    if day is None:
        rows = assignment.budget_rows.all()
        listed = list(rows)
    else:
        rows = past_records(
            BudgetRow, day, (), historicalbudgetrow_assignments__assignment_id=assignment.pk
        )
        listed = [record.instance for record in rows]
    # The sums come from the database, over the same rows the table lists.
    totals = rows.aggregate(budget=Sum("budget"), outcome=Sum("outcome"))
    return AssignmentBudget(listed, totals["budget"], totals["outcome"])
