"""The compilation for KS: print-ready pages of the register at a date, and the same as XLSX."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from malmo_ks import tables
from malmo_ks.paging import PAGE_PARAM

from ..changes import TooManyChanges
from ..compilation import TooManyAssignments, compile_register
from ..exports import compilation_tables
from ..forms import CompilationForm


def _compiled(form, page=None):
    """The compilation the valid `form` asks for (one `page` of it, or the whole);
    None, and an error on the form, if too large."""
    try:
        return compile_register(form.cleaned_data["per"], form.cleaned_data["jamfor"], page)
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
        # Page 1 when `sida` is missing or unreadable, the last page when past the end.
        context["compilation"] = _compiled(form, request.GET.get(PAGE_PARAM) or 1)
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
