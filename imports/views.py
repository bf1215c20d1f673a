"""Importing assignments or budget rows from a file: upload, preview, then confirm."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from . import pipeline
from .forms import ImportForm
from .reading import SizeLimitedMemoryUpload

IMPORT = "assignments.import_assignments"
# A meeting plan is imported by whoever may add meetings to the plan.
IMPORT_PLAN = "assignments.add_meeting"
DONE_PAGES = {
    pipeline.ASSIGNMENTS: "assignments:list",
    pipeline.BUDGET: "budget:index",
    pipeline.MEETINGS: "assignments:meetings",
}
KEY_LABELS = {
    pipeline.ASSIGNMENTS: gettext_lazy("Diarienummer"),
    pipeline.BUDGET: gettext_lazy("Budget row"),
    pipeline.MEETINGS: gettext_lazy("Meeting"),
}
# Each upload page, its preview and the kinds of file it takes.
REGISTER = ("imports:upload", "imports:preview", pipeline.REGISTER_KINDS)
PLAN = ("imports:meeting_plan", "imports:meeting_plan_preview", pipeline.PLAN_KINDS)


@csrf_exempt
@require_http_methods(["GET", "POST"])
@permission_required(IMPORT, raise_exception=True)
def upload(request):
    # The upload handlers must be set before anything reads the request body,
    # the CSRF check included; `_upload` makes that check afterwards.
    request.upload_handlers = [SizeLimitedMemoryUpload(request)]
    return _upload(request, REGISTER, "imports/upload.html")


@csrf_exempt
@require_http_methods(["GET", "POST"])
@permission_required(IMPORT_PLAN, raise_exception=True)
def meeting_plan(request):
    """A sammanträdesplan from a file: organ;datum[;diarienummer], previewed, then written once."""
    request.upload_handlers = [SizeLimitedMemoryUpload(request)]
    return _upload(request, PLAN, "imports/meeting_plan.html")


@csrf_protect
def _upload(request, pages, template):
    upload_page, preview_page, accepted = pages
    posted = request.method == "POST"
    form = ImportForm(
        request.POST if posted else None, request.FILES if posted else None, accepted=accepted
    )
    if form.is_bound and form.is_valid():
        token = pipeline.keep_in_session(request.session, form.upload)
        return redirect(f"{reverse(preview_page)}?{urlencode({'token': token})}")
    return render(request, template, {
        "form": form,
        "assignment_columns": pipeline.ASSIGNMENT_COLUMNS,
        "budget_columns": pipeline.BUDGET_COLUMNS,
        "meeting_headers": ";".join(column.header for column in pipeline.MEETING_COLUMNS),
        "max_bytes": pipeline.MAX_BYTES,
        "max_rows": pipeline.MAX_ROWS,
    })


def _preview_page(request, plan, token, pages, refusal=""):
    return render(request, "imports/preview.html", {
        "plan": plan,
        "token": token,
        "refusal": refusal,
        "key_label": KEY_LABELS[plan.upload.kind],
        "upload_page": pages[0],
        "preview_page": pages[1],
    })


@require_http_methods(["GET", "POST"])
@permission_required(IMPORT, raise_exception=True)
def preview(request):
    """GET: what the pending file would do now. POST: write it, if still exactly that."""
    return _preview(request, REGISTER)


@require_http_methods(["GET", "POST"])
@permission_required(IMPORT_PLAN, raise_exception=True)
def meeting_plan_preview(request):
    return _preview(request, PLAN)


def _preview(request, pages):
    upload_page, _preview_name, accepted = pages
    token = (request.POST if request.method == "POST" else request.GET).get("token")
    pending = pipeline.pending_upload(request.session, token)
    # A file is confirmed on the preview of the page it was uploaded on, under its rights.
    if pending is not None and pending.kind not in accepted:
        pending = None
    if pending is None:
        messages.error(request, _(
            "There is no import waiting to be confirmed: the preview is missing, was replaced "
            "by a later upload or has already been imported. Nothing has been imported; "
            "upload the file again."
        ))
        return redirect(upload_page)
    if request.method == "GET":
        return _preview_page(request, pipeline.plan_import(pending), token, pages)
    try:
        plan = pipeline.import_upload(
            pending, user=request.user, expected_digest=request.POST.get("digest", "")
        )
    except pipeline.PlanNotConfirmable as refusal:
        return _preview_page(request, refusal.plan, token, pages, refusal=str(refusal))
    except pipeline.ImportRefused as refusal:
        pipeline.forget(request.session)
        messages.error(request, str(refusal))
        return redirect(upload_page)
    pipeline.forget(request.session)
    messages.success(request, plan.done_message())
    return redirect(DONE_PAGES[pending.kind])
