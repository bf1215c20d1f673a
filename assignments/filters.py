"""The assignment list's filters, sorting included; the GET names are linked to from other pages."""

from collections import Counter

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES

from malmo_ks.asof import parse_as_of
from malmo_ks.dates import EARLIEST, LATEST
from malmo_ks.history import name_of
from malmo_ks.numbers import WholeNumberField
from malmo_ks.roles import HANDLAGGARE
from malmo_ks.widgets import Select

from . import querysets
from .columns import LABELS
from .models import NO_ASSESSMENT as NO_ASSESSMENT_LABEL
from .models import Assessment, Assignment, CommissionArea, Unit
from .selectors import register_at, register_in_parts_at

OVERDUE = "ja"
# `?bedomning=` beside the assessments themselves: reports without one, and the
# overview's "Risk för avvikelse" (open, at risk or deviating).
NO_ASSESSMENT = "none"
AT_RISK_OR_DEVIATES = "at_risk_or_deviates"


class IntegerFilter(django_filters.NumberFilter):
    """A whole number in ASCII digits: "2016.5" or "２０１６" is an error to show, not a year."""

    field_class = WholeNumberField


class OneQueryChoiceIterator(django_filters.fields.ModelChoiceIterator):
    """The choices as (id, label) from one query of plain values.

    Django reads them through `QuerySet.iterator()`, which on PostgreSQL opens a
    server-side cursor: DECLARE, FETCH and CLOSE, three round trips for a few dozen
    units. And every list page writes an option per unit, area and handläggare: made
    into model instances, they cost more than the rest of their selects. The field
    names the columns its label is made of (`label_fields`) and how (`label_of`).
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        label_of = self.field.label_of
        for pk, *values in self.queryset.values_list("pk", *self.field.label_fields):
            yield (pk, label_of(*values))


class OneQueryChoiceField(django_filters.fields.ModelChoiceField):
    iterator = OneQueryChoiceIterator

    def __init__(self, *args, label_fields=("name",), label_of=str, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_fields, self.label_of = label_fields, label_of


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A choice among rows of a model (units, areas), whose choices cost one query."""

    field_class = OneQueryChoiceField


class CaseOfficerFilter(ModelChoiceFilter):
    """A handläggare, named as the register names people: "Mina uppdrag" is this filter
    with one's own account."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_fields", ("first_name", "last_name", "username"))
        kwargs.setdefault("label_of", name_of)
        super().__init__(*args, **kwargs)


def case_officers():
    """Everyone who handles an assignment today or has the handläggare role, so that a
    new handläggare's own (empty) list is a list, not a filter error. Exists rather than
    a join: the assignments are many and the people few."""
    handles = Exists(Assignment.objects.filter(case_officer=OuterRef("pk")))
    return (
        get_user_model().objects.filter(Q(groups__name=HANDLAGGARE) | Q(handles))
        .distinct()
        .order_by("first_name", "last_name", "username", "id")
    )


class StableOrderingFilter(django_filters.OrderingFilter):
    """Sorting that always ends in the unique `id`, so rows never swap between pages.

    Empty values (no planned completion yet) come last in both directions.
    """

    def get_ordering_value(self, param):
        value = super().get_ordering_value(param)
        if value.startswith("-"):
            return F(value[1:]).desc(nulls_last=True)
        return F(value).asc(nulls_last=True)

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        ordered = super().filter(qs, value)
        return ordered.order_by(*ordered.query.order_by, "id")


class AssignmentFilter(django_filters.FilterSet):
    """Filters for today's assignments and for their historical records alike.

    `day` is the day the questions are asked on: today, or the as-of date. The
    filter methods only use field names and `id`, which both querysets share.
    """

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        help_text=_("Diarienummer, title or description."),
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        field_name="status",
        lookup_expr="exact",
        choices=Assignment.Status.choices,
        empty_label=_("All"),
        widget=Select,
    )
    enhet = ModelChoiceFilter(
        label=LABELS["responsible_unit"],
        field_name="responsible_unit",
        lookup_expr="exact",
        queryset=Unit.objects.order_by("name", "id"),
        empty_label=_("All"),
        widget=Select,
    )
    omrade = ModelChoiceFilter(
        label=_("Commission area"),
        field_name="area",
        lookup_expr="exact",
        queryset=CommissionArea.objects.all(),
        label_fields=("number", "name"),
        label_of=CommissionArea.label,
        empty_label=_("All"),
        widget=Select,
    )
    handlaggare = CaseOfficerFilter(
        label=LABELS["case_officer"],
        field_name="case_officer",
        lookup_expr="exact",
        queryset=case_officers(),
        empty_label=_("All"),
        widget=Select,
    )
    beslutsar = IntegerFilter(
        label=_("Year decided"),
        field_name="decided_on",
        lookup_expr="year",
        min_value=EARLIEST.year,
        max_value=LATEST.year,
    )
    avslutsar = IntegerFilter(
        label=_("Planned completion year"),
        field_name="planned_completion",
        lookup_expr="year",
        min_value=EARLIEST.year,
        max_value=LATEST.year,
    )
    forsenade = django_filters.ChoiceFilter(
        label=_("Overdue assignments"),
        method="filter_overdue",
        choices=[(OVERDUE, _("Only overdue"))],
        empty_label=_("All"),
        widget=Select,
    )
    utan_rapport = IntegerFilter(
        label=_("No status report in (months)"),
        method="filter_stale",
        min_value=1,
        max_value=120,
    )
    bedomning = django_filters.ChoiceFilter(
        label=_("Latest assessment"),
        method="filter_assessment",
        choices=[
            *Assessment.choices,
            (NO_ASSESSMENT, NO_ASSESSMENT_LABEL),
            (AT_RISK_OR_DEVIATES, _("Open, at risk or deviates")),
        ],
        empty_label=_("All"),
        widget=Select,
    )
    sortering = StableOrderingFilter(
        label=_("Sort by"),
        fields=[
            ("reference", "diarienummer"),
            ("title", "titel"),
            ("status", "status"),
            ("responsible_unit__name", "enhet"),
            ("planned_completion", "planerat_avslut"),
        ],
        field_labels={
            "reference": LABELS["reference"],
            "title": LABELS["title"],
            "status": LABELS["status"],
            "responsible_unit__name": LABELS["responsible_unit"],
            "planned_completion": LABELS["planned_completion"],
        },
        empty_label=None,
        widget=Select,
    )

    def __init__(self, data, queryset, *, day, **kwargs):
        # Default order, also for historical records (which come newest first).
        super().__init__(data, queryset.order_by("reference", "id"), **kwargs)
        self.day = day

    def narrows(self):
        """Whether a filter leaves rows out. Sorting leaves none out, and a value in
        error is not applied (as `qs` does, the values read are in cleaned_data)."""
        self.is_valid()
        return any(
            value not in EMPTY_VALUES
            for name, value in self.form.cleaned_data.items()
            if not isinstance(self.filters[name], django_filters.OrderingFilter)
        )

    def count_by_status(self):
        """The rows the filters leave, counted per status.

        At a past day the register then is counted in the parts that each read one
        index (selectors.register_in_parts_at), the same filters applied to each, and
        added up: one aggregate over `qs` would read every version begun before the day.
        """
        if self.queryset.model is Assignment:
            return querysets.count_by_status(self.qs.order_by())
        self.is_valid()
        counts = Counter()
        for part in register_in_parts_at(self.day):
            counts.update(querysets.count_by_status(self.filter_queryset(part.order_by())))
        return dict(counts)

    def filter_search(self, queryset, name, value):
        return querysets.search(queryset, value)

    def filter_overdue(self, queryset, name, value):
        return querysets.overdue(queryset, self.day)

    def filter_assessment(self, queryset, name, value):
        if value == AT_RISK_OR_DEVIATES:
            return queryset.filter(querysets.at_risk_condition())
        return queryset.filter(last_assessment="" if value == NO_ASSESSMENT else value)

    def filter_stale(self, queryset, name, value):
        return querysets.stale(queryset, value, self.day)


def filter_for_request(request):
    """The `per` date and the list's FilterSet over the register as it stood then.

    The list page and its exports both start here, so that a file holds exactly
    the rows of the page it was exported from.
    """
    as_of = parse_as_of(request)
    filterset = AssignmentFilter(request.GET, register_at(as_of.day), day=as_of.day or timezone.localdate())
    return as_of, filterset
