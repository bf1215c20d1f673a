"""URLs of the import: upload, then preview and confirm."""

from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("import/", views.upload, name="upload"),
    path("import/forhandsgranska/", views.preview, name="preview"),
    path("sammantraden/importera/", views.meeting_plan, name="meeting_plan"),
    path(
        "sammantraden/importera/forhandsgranska/",
        views.meeting_plan_preview,
        name="meeting_plan_preview",
    ),
]
