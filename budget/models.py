"""KS budget rows per year: budget and outcome (utfall) in kronor, linked to assignments."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assignments.models import VersionedModel, tracked_history
from malmo_ks.dates import EARLIEST, LATEST


class AccountClass(models.IntegerChoices):
    """Kommun-Bas account classes; class 3 is income, the rest are costs."""

    INCOME = 3, _("3 Income")
    COSTS = 4, _("4 Costs")
    PERSONNEL = 5, _("5 Personnel")
    OTHER_COSTS_6 = 6, _("6 Other operating costs")
    OTHER_COSTS_7 = 7, _("7 Other operating costs")
    FINANCIAL = 8, _("8 Financial items")


def percent_of(part, whole) -> Decimal | None:
    """`part` as a percentage of `whole` in exact decimals; None without a whole to compare with.

    Computed in Python rather than SQL: SQLite divides whole numbers as integers.
    """
    if part is None or not whole:
        return None
    return Decimal(part) / Decimal(whole) * 100


class BudgetRowQuerySet(models.QuerySet):
    def income(self):
        return self.filter(account_class=AccountClass.INCOME)

    def costs(self):
        return self.exclude(account_class=AccountClass.INCOME)


# The fields an edit conflict tells in words, in the order of the form.
BUDGET_ROW_FIELDS = ("year", "name", "account_class", "budget", "outcome")


class BudgetRow(VersionedModel):
    """One KS budget row (budgetrad) for one year."""

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(EARLIEST.year), MaxValueValidator(LATEST.year)]
    )
    name = models.CharField(_("name"), max_length=200)
    account_class = models.PositiveSmallIntegerField(
        _("account class"), choices=AccountClass.choices
    )
    budget = models.DecimalField(
        _("budget (kr)"),
        max_digits=15,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    outcome = models.DecimalField(
        _("outcome (kr)"),
        max_digits=15,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Utfall; empty until the year's accounts are known."),
    )
    assignments = models.ManyToManyField(
        "assignments.Assignment",
        verbose_name=_("assignments"),
        blank=True,
        related_name="budget_rows",
    )

    history = tracked_history(m2m_fields=[assignments])
    objects = BudgetRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("budget row")
        verbose_name_plural = _("budget rows")
        ordering = ["year", "account_class", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "name"],
                name="budget_row_unique_per_year",
                violation_error_message=_("This year already has a budget row with this name."),
            ),
            models.CheckConstraint(
                condition=Q(account_class__gte=3) & Q(account_class__lte=8),
                name="budget_row_account_class_3_to_8",
                violation_error_message=_("Account class must be 3 to 8 (Kommun-Bas)."),
            ),
            models.CheckConstraint(
                condition=Q(budget__gte=0) & (Q(outcome__isnull=True) | Q(outcome__gte=0)),
                name="budget_row_amounts_not_negative",
                violation_error_message=_(
                    "Amounts are not negative; income is told apart by account class 3."
                ),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=EARLIEST.year) & Q(year__lte=LATEST.year),
                name="budget_row_year_plausible",
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.name}"

    @property
    def deviation(self):
        """Avvikelse: outcome minus budget, so positive means more than budgeted."""
        return None if self.outcome is None else self.outcome - self.budget

    @property
    def deviation_percent(self):
        return percent_of(self.deviation, self.budget)

    @transaction.atomic
    def save_tracked(self, *, user, reason="", at=None, assignments=None):
        """One user action: the row as a new version, and the assignments it funds."""
        super().save_tracked(user=user, reason=reason, at=at)
        if assignments is not None:
            self.assignments.set(assignments)
