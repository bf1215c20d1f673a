"""The changed-since page: what happened to the assignments since a date (the last KS meeting)."""

from django import forms
from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from ..change_selectors import changes_between, default_start

DATE_ERROR = _("Write the date as 2016-11-02.")


def optional_date(label, help_text):
    """An optional date in the query string: a date picker, and a Swedish message for a non-date."""
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": DATE_ERROR},
        help_text=help_text,
    )


class PeriodForm(forms.Form):
    """`?sedan=2016-11-02`, optionally `&till=2017-03-01`; both days count."""

    sedan = optional_date(_("Changed from and including"), _("Empty: since the latest KS meeting."))
    till = optional_date(_("up to and including"), _("Empty: up to now."))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("sedan"), cleaned.get("till")
        if start and end and end < start:
            self.add_error("till", _("The end date is before the start date."))
        return cleaned


@require_GET
@permission_required("assignments.view_assignment", raise_exception=True)
def changed_since(request):
    form = PeriodForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "assignments/changes.html", {"form": form})
    period = form.cleaned_data if form.is_bound else {}
    default = None if period.get("sedan") else default_start()
    start = period.get("sedan") or default.day
    return render(
        request,
        "assignments/changes.html",
        {
            "form": form,
            "default": default,
            "changes": changes_between(start, period.get("till")),
        },
    )
