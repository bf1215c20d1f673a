"""The product's URLs and the floor view, which exists only while the benchmark runs."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("bench/golv/", views.floor, name="bench_floor"),
    path("", include("malmo_ks.urls")),
]
