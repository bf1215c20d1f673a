"""A person's own notification pages.

PLACEHOLDER on branch h-deliver: helper "subscribe" builds the real page; the
e-mails only link to `notifications:preferences`.
"""

from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("konto/aviseringar/", views.preferences, name="preferences"),
]
