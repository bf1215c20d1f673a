"""The register's admin site: Django's own, but its login page follows LOCAL_LOGIN.

While passwords sign in, the admin's login form is Django's. Once they do not
(LOCAL_LOGIN off, the city's identity provider on), a visitor sent to that form is
sent to the register's login page instead, which offers the provider and comes back
to the admin afterwards. A password posted to the admin's form is still refused by the
password backend itself (malmo_ks.throttle): the redirect only spares people a form
that cannot work.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache


class RegisterAdminSite(admin.AdminSite):
    @method_decorator(never_cache)
    @login_not_required
    def login(self, request, extra_context=None):
        # Someone signed in without the admin's permission keeps Django's page, which
        # says so: the register's login page would send them straight back here.
        anonymous = not request.user.is_authenticated
        if request.method == "GET" and anonymous and not settings.LOCAL_LOGIN:
            after = request.GET.get(REDIRECT_FIELD_NAME) or reverse(
                "admin:index", current_app=self.name
            )
            return redirect_to_login(after, reverse("login"))
        return super().login(request, extra_context)
