"""The demo register reproduces the 2016 annual report and loads idempotently."""

from datetime import date
from decimal import Decimal

from django.core.management import call_command

from assignments.models import Assignment, StatusReport, Treatment
from assignments.selectors import status_counts
from budget.models import BudgetRow
from budget.selectors import net_cost_change


def test_as_of_end_of_2016_it_counts_19_closed_8_reported_4_ongoing(demo):
    assert status_counts(date(2016, 12, 31)) == {
        "avslutad": 19,
        "lagesrapport": 8,
        "pagaende": 4,
    }


def test_net_cost_rises_61_mkr_or_11_9_percent_from_2015_to_2016(demo):
    change = net_cost_change(2016)
    assert change.previous == Decimal("512000000")
    assert change.net_cost == Decimal("573000000")
    assert change.change == Decimal("61000000")
    assert round(change.percent, 1) == Decimal("11.9")
