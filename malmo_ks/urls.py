"""The register's URLs: Swedish, stable and bookmarkable."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from . import views

urlpatterns = [
    path("halsa/", views.health, name="health"),
    path("konto/logga-in/", views.LoginView.as_view(), name="login"),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    # The language can be chosen before logging in, on the login page.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("api/v1/", include("api.urls")),
    path("budget/", include("budget.urls")),
    path("", include("reports.urls")),
    path("", include("imports.urls")),
    # Before the register's own: `uppdrag/<pk>/bevaka/` sits beside its pages.
    path("", include("notifications.urls")),
    path("", include("assignments.urls")),
]
