"""The budget's part of other apps' pages: the rows that fund an assignment."""

from django import template

from assignments.history_display import field_labels

from ..models import BudgetRow
from ..selectors import assignment_budget

register = template.Library()


@register.inclusion_tag("budget/assignment_budget.html")
def funding_rows(assignment, day=None):
    """`{% funding_rows assignment as_of.day %}` on the assignment page, today or at `day`."""
    return {"budget": assignment_budget(assignment, day), "labels": field_labels(BudgetRow)}
