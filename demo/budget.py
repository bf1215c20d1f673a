"""Demo budget rows whose net cost reproduces the 2016 annual report (512 → 573 Mkr).

Amounts are invented; only the change is real: +61 Mkr (just under 12 %), explained
by stimulans- och omstruktureringsmedel, the new finance system, the rent for the
former concert hall and city-wide IT costs.
"""

from datetime import date
from decimal import Decimal

from budget.models import AccountClass, BudgetRow
from demo.register import DEMO_REASON, moment

MKR = Decimal("1000000")

# name: (account class, {year: (budget, outcome) in Mkr})
ROWS = {
    "Verksamhetens intäkter": (AccountClass.INCOME, {2015: (40, 40), 2016: (40, 40)}),
    "Personalkostnader": (AccountClass.PERSONNEL, {2015: (335, 330), 2016: (335, 330)}),
    "Projekt och utredningar": (AccountClass.COSTS, {2015: (65, 62), 2016: (64, 62)}),
    "Stimulans- och omstruktureringsmedel": (
        AccountClass.COSTS, {2015: (35, 35), 2016: (65, 63)}
    ),
    "Reserv för flyktingmottagande": (AccountClass.COSTS, {2015: (30, 25), 2016: (30, 25)}),
    "Sociala investeringsfonder": (AccountClass.COSTS, {2015: (30, 30), 2016: (30, 30)}),
    "Kommungemensamma IT-kostnader": (
        AccountClass.OTHER_COSTS_6, {2015: (55, 58), 2016: (60, 66)}
    ),
    "Nytt ekonomisystem": (AccountClass.OTHER_COSTS_6, {2015: (8, 8), 2016: (20, 22)}),
    "Hyra tidigare konserthuset": (AccountClass.OTHER_COSTS_7, {2015: (4, 4), 2016: (15, 15)}),
}

# Rows that fund assignments: by row name, the serial numbers (0-based) of
# the demo assignments they fund.
FUNDED = {
    "Projekt och utredningar": [0, 1, 2, 3, 5, 9, 10],
    "Sociala investeringsfonder": [5, 6, 8, 16, 20],
    "Stimulans- och omstruktureringsmedel": [8, 24, 30],
}


def load(assignments):
    """Create each year's rows at the start of the year, the outcome the February after."""
    rows = []
    for name, (account_class, years) in ROWS.items():
        for year, (budget, outcome) in years.items():
            row = BudgetRow(year=year, name=name, account_class=account_class,
                            budget=budget * MKR)
            row.attribute(reason=DEMO_REASON, at=moment(date(year, 1, 15)))
            row.full_clean()
            row.save()
            row.assignments.set([assignments[i] for i in FUNDED.get(name, [])])
            row.outcome = outcome * MKR
            row.attribute(reason="Demodata: utfall enligt bokslut", at=moment(date(year + 1, 2, 15)))
            row.full_clean()
            row.save()
            rows.append(row)
    return rows
