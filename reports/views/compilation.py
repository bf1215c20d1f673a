"""The compilation for KS: pages of the register at a date, and the same as XLSX, PDF/A and DOCX."""

from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from assignments.models import DemoDataset
from malmo_ks import tables
from malmo_ks.paging import PAGE_PARAM

from .. import compilation as read_model
from ..changes import TooManyChanges
from ..compilation import TooManyAssignments, compile_register, document_heading
from ..documents import DOCX_CONTENT_TYPE, PDF_CONTENT_TYPE, compilation_docx, compilation_pdf
from ..exports import compilation_tables
from ..forms import CompilationForm


def _compiled(form, page=None, limit=None):
    """The compilation the valid `form` asks for (one `page` of it, or the whole, of at
    most `limit` assignments); None, and an error on the form, if too large."""
    try:
        return compile_register(
            form.cleaned_data["per"], form.cleaned_data["jamfor"], page, limit,
            meeting=form.cleaned_data["sammantrade"],
        )
    except TooManyAssignments as error:
        if limit and error.limit == limit:
            message = _(
                "The register held more than %(limit)s assignments on that day: too many "
                "for one document. Download the compilation as Excel instead."
            )
        else:
            message = _(
                "The register held more than %(limit)s assignments on that day: "
                "too many for one compilation."
            )
        form.add_error(None, message % {"limit": error.limit})
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


def _document(request, make, extension, content_type):
    """The whole compilation the query asks for, as a document `make` writes; a 400 in words
    when the query is bad or the compilation too large, as the XLSX answers."""
    form = CompilationForm(request.GET)
    compiled = _compiled(form, limit=read_model.DOCUMENT_MAX_ENTRIES) if form.is_valid() else None
    if compiled is None:
        return tables.refused(_("The compilation was not made."), tables.form_errors(form))
    content = make(compiled, document_heading(compiled), DemoDataset.objects.exists())
    response = HttpResponse(content, content_type=content_type)
    filename = get_valid_filename(f"sammanstallning-{compiled.day.isoformat()}.{extension}")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@permission_required("assignments.view_assignment", raise_exception=True)
@require_safe
def compilation_pdf_document(request):
    return _document(request, compilation_pdf, "pdf", PDF_CONTENT_TYPE)


@permission_required("assignments.view_assignment", raise_exception=True)
@require_safe
def compilation_docx_document(request):
    return _document(request, compilation_docx, "docx", DOCX_CONTENT_TYPE)
