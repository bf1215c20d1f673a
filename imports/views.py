"""Importing assignments or budget rows from a file: upload, preview, then confirm."""

import io
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from . import pipeline as imports

IMPORT = "assignments.import_assignments"
DONE_PAGES = {imports.ASSIGNMENTS: "assignments:list", imports.BUDGET: "budget:index"}
KEY_LABELS = {
    imports.ASSIGNMENTS: gettext_lazy("Diarienummer"),
    imports.BUDGET: gettext_lazy("Budget row"),
}


class SizeLimitedMemoryUpload(FileUploadHandler):
    """Keeps an uploaded file in memory, never on disk, and only up to the import's limit.

    Past the limit the content is dropped as it arrives; the file that remains has
    its name and its real size, all `read_upload` needs to refuse it.
    """

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.content = io.BytesIO()
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received <= imports.MAX_BYTES:
            self.content.write(raw_data)
        elif self.content.tell():
            self.content = io.BytesIO()

    def file_complete(self, file_size):
        self.content.seek(0)
        return InMemoryUploadedFile(
            self.content, self.field_name, self.file_name, self.content_type,
            file_size, self.charset, self.content_type_extra,
        )


class ImportForm(forms.Form):
    """The file to import; reading it is the import service's, which refuses it in Swedish."""

    file = forms.FileField(
        label=gettext_lazy("File (XLSX or CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        try:
            self.upload = imports.read_upload(self.cleaned_data["file"])
        except imports.ImportRefused as refusal:
            raise forms.ValidationError(str(refusal)) from refusal
        return self.cleaned_data["file"]


@csrf_exempt
@require_http_methods(["GET", "POST"])
@permission_required(IMPORT, raise_exception=True)
def upload(request):
    # The upload handlers must be set before anything reads the request body,
    # the CSRF check included; `_upload` makes that check afterwards.
    request.upload_handlers = [SizeLimitedMemoryUpload(request)]
    return _upload(request)


@csrf_protect
def _upload(request):
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    if form.is_bound and form.is_valid():
        token = imports.keep_in_session(request.session, form.upload)
        return redirect(f"{reverse('imports:preview')}?{urlencode({'token': token})}")
    return render(request, "imports/upload.html", {
        "form": form,
        "assignment_columns": imports.ASSIGNMENT_COLUMNS,
        "budget_columns": imports.BUDGET_COLUMNS,
        "max_bytes": imports.MAX_BYTES,
        "max_rows": imports.MAX_ROWS,
    })


def _preview_page(request, plan, token, refusal=""):
    return render(request, "imports/preview.html", {
        "plan": plan,
        "token": token,
        "refusal": refusal,
        "key_label": KEY_LABELS[plan.upload.kind],
    })


@require_http_methods(["GET", "POST"])
@permission_required(IMPORT, raise_exception=True)
def preview(request):
    """GET: what the pending file would do now. POST: write it, if still exactly that."""
    token = (request.POST if request.method == "POST" else request.GET).get("token")
    pending = imports.pending_upload(request.session, token)
    if pending is None:
        messages.error(request, _(
            "There is no import waiting to be confirmed: the preview is missing, was replaced "
            "by a later upload or has already been imported. Nothing has been imported; "
            "upload the file again."
        ))
        return redirect("imports:upload")
    if request.method == "GET":
        return _preview_page(request, imports.plan_import(pending), token)
    try:
        plan = imports.import_upload(
            pending, user=request.user, expected_digest=request.POST.get("digest", "")
        )
    except imports.PlanNotConfirmable as refusal:
        return _preview_page(request, refusal.plan, token, refusal=str(refusal))
    except imports.ImportRefused as refusal:
        imports.forget(request.session)
        messages.error(request, str(refusal))
        return redirect("imports:upload")
    imports.forget(request.session)
    messages.success(request, plan.done_message())
    return redirect(DONE_PAGES[pending.kind])
