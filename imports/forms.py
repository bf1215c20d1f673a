"""The import's form: the file to read."""

from django import forms
from django.utils.translation import gettext_lazy

from .columns import REGISTER_KINDS
from .reading import ImportRefused, read_upload


class ImportForm(forms.Form):
    """The file to import; reading it is the import service's, which refuses it in Swedish."""

    file = forms.FileField(
        label=gettext_lazy("File (XLSX or CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, accepted=REGISTER_KINDS, **kwargs):
        super().__init__(*args, **kwargs)
        self.accepted = accepted

    def clean_file(self):
        try:
            self.upload = read_upload(self.cleaned_data["file"], self.accepted)
        except ImportRefused as refusal:
            raise forms.ValidationError(str(refusal)) from refusal
        return self.cleaned_data["file"]
