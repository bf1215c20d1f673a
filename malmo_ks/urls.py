"""The register's URLs: Swedish, stable and bookmarkable."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from . import signin, views

urlpatterns = [
    path("halsa/", views.health, name="health"),
    path("konto/logga-in/", views.LoginView.as_view(), name="login"),
    path("konto/logga-ut/", views.LogoutView.as_view(), name="logout"),
    # Sign-in with the city's identity provider (malmo_ks.signin); the callback is the
    # redirect URI registered at the provider.
    path("oidc/logga-in/", login_not_required(signin.SignInView.as_view()), name="oidc_login"),
    path("oidc/callback/", login_not_required(signin.CallbackView.as_view()), name="oidc_callback"),
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
