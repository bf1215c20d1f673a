"""URLs of the register's pages: Swedish, stable and bookmarkable."""

from django.urls import path

from .views import changes, compilation, detail, exports, imports, listing, overview, workflow

app_name = "assignments"

urlpatterns = [
    path("", overview.overview, name="overview"),
    path("uppdrag/", listing.assignment_list, name="list"),
    path("uppdrag/nytt/", workflow.create_assignment, name="create"),
    path("uppdrag/export.<str:fmt>", exports.export_assignments, name="export"),
    path("sammanstallning/", compilation.compilation, name="compilation"),
    path("sammanstallning/sammanstallning.xlsx", compilation.compilation_xlsx, name="compilation_xlsx"),
    path("import/", imports.upload, name="import"),
    path("import/forhandsgranska/", imports.preview, name="import_preview"),
    path("uppdrag/forandringar/", changes.changed_since, name="changes"),
    path("uppdrag/<int:pk>/", detail.assignment_detail, name="detail"),
    path("uppdrag/<int:pk>/andra/", workflow.edit_assignment, name="edit"),
    path("uppdrag/<int:pk>/status/", workflow.change_status, name="change_status"),
    path("uppdrag/<int:pk>/lagesrapport/", workflow.add_status_report, name="add_report"),
    path("uppdrag/<int:pk>/behandling/", workflow.add_treatment, name="add_treatment"),
    path("uppdrag/<int:pk>/deadline/", workflow.move_deadline, name="move_deadline"),
    path("uppdrag/<int:pk>/ateroppna/", workflow.reopen, name="reopen"),
]
