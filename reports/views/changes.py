"""The changed-since page: what happened to the assignments since a date (the last KS meeting)."""

from dataclasses import dataclass

from django import forms
from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from malmo_ks.dates import plausible_date_field

from ..changes import TooManyChanges, changes_between, default_start

DATE_ERROR = _("Write the date as 2016-11-02.")


@dataclass(frozen=True)
class Section:
    """One table of the page: a kind of change, and its columns between the
    assignment and when it was registered (their cells: reports/change_cells.html)."""

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
    return plausible_date_field(
        label=label,
        required=False,
        error_messages={"invalid": DATE_ERROR},
        help_text=help_text,
    )


class PeriodForm(forms.Form):
    """`?sedan=2016-11-02`, optionally `&till=2017-03-01`; both days count.

    Without `sedan` the period starts at `default` (the latest KS meeting): an
    end before that is as reversed as an end before a start typed in.
    """

    sedan = optional_date(_("Changed from and including"), _("Empty: since the latest KS meeting."))
    till = optional_date(_("up to and including"), _("Empty: up to now."))

    default = None  # the DefaultStart used when `sedan` was left empty

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if not cleaned.get("sedan"):
            self.default = default_start()
            cleaned["sedan"] = self.default.day
        end = cleaned.get("till")
        if end and end < cleaned["sedan"]:
            if self.default:
                message = _(
                    "The end date is before the period's start, %(start)s. Choose a start date too."
                ) % {"start": self.default.day.isoformat()}
            else:
                message = _("The end date is before the start date.")
            self.add_error("till", message)
        return cleaned


@require_safe
@permission_required("assignments.view_assignment", raise_exception=True)
def changed_since(request):
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return render(request, "reports/changes.html", {"form": form})
    try:
        changes = changes_between(form.cleaned_data["sedan"], form.cleaned_data["till"])
    except TooManyChanges as error:
        form.add_error(None, _(
            "More than %(limit)s changes of one kind were registered in this period: "
            "too many for one page. Choose a shorter period."
        ) % {"limit": error.limit})
        return render(request, "reports/changes.html", {"form": form})
    return render(
        request,
        "reports/changes.html",
        {
            "form": form,
            "default": form.default,
            "changes": changes,
            "sections": [(section, getattr(changes, section.kind)) for section in SECTIONS],
        },
    )
