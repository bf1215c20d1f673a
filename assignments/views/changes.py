"""The changed-since page: what happened to the assignments since a date (the last KS meeting)."""

from dataclasses import dataclass

from django import forms
from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from ..change_selectors import changes_between, default_start

DATE_ERROR = _("Write the date as 2016-11-02.")


@dataclass(frozen=True)
class Section:
    """One table of the page: a kind of change, and its columns between the
    assignment and when it was registered (their cells: assignments/change_cells.html)."""

    kind: str
    caption: str
    headings: tuple = ()


SECTIONS = (
    Section("status_changes", _("Changed status"), (_("Status"), _("Treatment"))),
    Section("new_treatments", _("New treatments"), (_("Treatment"), _("Summary"))),
    Section("new_reports", _("New status reports"), (_("Report date"), _("Text"))),
    Section("deadline_moves", _("Moved planned completions"),
            (_("Planned completion"), _("Reason"))),
    Section("new_assignments", _("New assignments")),
    Section("other_changes", _("Other changes"), (_("What changed"),)),
)


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
    changes = changes_between(start, period.get("till"))
    return render(
        request,
        "assignments/changes.html",
        {
            "form": form,
            "default": default,
            "changes": changes,
            "sections": [(section, getattr(changes, section.kind)) for section in SECTIONS],
        },
    )
