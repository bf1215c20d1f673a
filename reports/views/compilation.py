"""The compilation for KS: a print-ready page of the register at a date, and the same as XLSX."""

from django import forms
from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from malmo_ks import tables

from ..changes import TooManyChanges
from ..compilation import TooManyAssignments, compile_register, previous_ks_meeting
from ..exports import compilation_tables
from .changes import optional_date


class CompilationForm(forms.Form):
    """`?per=2016-12-31&jamfor=2016-06-30`: the day shown and the previous compilation's day.

    Without `per` the compilation shows today; without `jamfor` it compares with
    the latest KS meeting before `per`.
    """

    per = optional_date(gettext_lazy("State as of"), gettext_lazy("Empty: today."))
    jamfor = optional_date(
        gettext_lazy("Compared with the compilation of"),
        gettext_lazy("Empty: the latest KS meeting before."),
    )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        today = timezone.localdate()
        day = cleaned.get("per") or today
        if day > today:
            self.add_error("per", _("The compilation cannot show a day after today."))
            return cleaned
        compared_with = cleaned.get("jamfor") or previous_ks_meeting(day)
        if compared_with >= day:
            self.add_error("jamfor", _("Compare with a day before %(day)s.") % {
                "day": day.isoformat()
            })
            return cleaned
        cleaned["per"], cleaned["jamfor"] = day, compared_with
        return cleaned


def _compiled(form):
    """The compilation the valid `form` asks for; None, and an error on the form, if too large."""
    try:
        return compile_register(form.cleaned_data["per"], form.cleaned_data["jamfor"])
    except TooManyAssignments as error:
        form.add_error(None, _(
            "The register held more than %(limit)s assignments on that day: "
            "too many for one compilation."
        ) % {"limit": error.limit})
    except TooManyChanges as error:
        form.add_error("jamfor", _(
            "More than %(limit)s changes of one kind were registered since that day: "
            "too many for one compilation. Compare with a later day."
        ) % {"limit": error.limit})
    return None


@permission_required("assignments.view_assignment", raise_exception=True)
@require_safe
def compilation(request):
    form = CompilationForm(request.GET)
    context = {"form": form}
    if form.is_valid():
        context["compilation"] = _compiled(form)
    return render(request, "reports/compilation.html", context)


@permission_required("assignments.view_assignment", raise_exception=True)
@require_safe
def compilation_xlsx(request):
    form = CompilationForm(request.GET)
    compiled = _compiled(form) if form.is_valid() else None
    if compiled is None:
        return tables.refused(_("The compilation was not made."), tables.form_errors(form))
    return tables.xlsx_response(
        f"sammanstallning-{compiled.day.isoformat()}.xlsx", compilation_tables(compiled)
    )
