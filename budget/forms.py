"""Forms of the budget pages: choosing a year, and adding or changing a budget row."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from assignments.concurrency import edited_values
from assignments.forms import VersionedForm
from assignments.models import REASON_MAX, Assignment
from malmo_ks.dates import EARLIEST, LATEST
from malmo_ks.numbers import ChosenRecordsField

from .models import BudgetRow

YEAR_PARAM = "ar"


class YearForm(forms.Form):
    """`?ar=2016`: the year the budget page shows."""

    ar = forms.IntegerField(
        label=_("Year"),
        validators=[MinValueValidator(EARLIEST.year), MaxValueValidator(LATEST.year)],
    )


class BudgetRowForm(forms.ModelForm, VersionedForm):
    """A budget row and the assignments it funds; the rules live on the model.

    It carries the version its page was loaded with, so a stale save is merged
    with what was saved since instead of reverting it.
    """

    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=REASON_MAX,
        help_text=_("Optional; kept in the row's history with your name."),
    )

    class Meta:
        model = BudgetRow
        fields = ["year", "name", "account_class", "budget", "outcome", "assignments"]
        widgets = {"assignments": forms.CheckboxSelectMultiple}
        field_classes = {"assignments": ChosenRecordsField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignments"].queryset = Assignment.objects.only(
            "id", "reference", "title"
        ).order_by("reference", "id")

    def edited(self):
        return edited_values(self)


class NewBudgetRowForm(BudgetRowForm):
    version = None  # nothing to be outdated against yet
