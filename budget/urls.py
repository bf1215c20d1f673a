"""URLs of the budget pages."""

from django.urls import path

from . import exports, views

app_name = "budget"

urlpatterns = [
    path("", views.budget_overview, name="index"),
    path("export.<str:fmt>", exports.export_budget, name="export"),
    path("rader/ny/", views.create_row, name="create_row"),
    path("rader/<int:pk>/andra/", views.edit_row, name="edit_row"),
]
