"""URLs of the person's notifications: following, their own page, their calendar feed."""

from django.urls import path, register_converter

from . import views


class CalendarTokenConverter:
    """What `secrets.token_urlsafe` writes, and nothing else reaches the database (no NUL)."""

    regex = r"[A-Za-z0-9_-]{1,64}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(CalendarTokenConverter, "calendar_token")

app_name = "notifications"

urlpatterns = [
    path("uppdrag/<int:pk>/bevaka/", views.subscribe, name="subscribe"),
    path("konto/aviseringar/", views.preferences, name="preferences"),
    path(
        "konto/aviseringar/ny-kalenderadress/", views.renew_calendar, name="renew_calendar"
    ),
    path("kalender/<calendar_token:token>.ics", views.calendar, name="calendar"),
]
