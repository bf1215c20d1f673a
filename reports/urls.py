"""URLs of the overview, the changes page and the compilation: stable and bookmarkable."""

from django.urls import path

from .views import changes, compilation, overview

app_name = "reports"

urlpatterns = [
    path("", overview.overview, name="overview"),
    path("uppdrag/forandringar/", changes.changed_since, name="changes"),
    path("sammanstallning/", compilation.compilation, name="compilation"),
    path("sammanstallning/sammanstallning.xlsx", compilation.compilation_xlsx, name="compilation_xlsx"),
    path("sammanstallning/sammanstallning.pdf", compilation.compilation_pdf_document,
         name="compilation_pdf"),
    path("sammanstallning/sammanstallning.docx", compilation.compilation_docx_document,
         name="compilation_docx"),
]
