"""The changed-since page: what happened to the assignments since a date (the last KS meeting)."""

from dataclasses import dataclass

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from ..changes import TooManyChanges, changes_between
from ..forms import PeriodForm


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
