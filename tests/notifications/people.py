"""People for the notification tests: readers with a calendar address, made as an admin would."""

import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from malmo_ks import roles
from notifications.models import Preferences

_serial = itertools.count(1)


def make_person(role=roles.FORTROENDEVALD, **fields):
    """An account in `role` (a politician unless told), with a name of its own."""
    number = next(_serial)
    user = get_user_model().objects.create_user(
        f"lasare{number}", first_name=f"Läsare{number}", last_name="Test", **fields
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def calendar_token_of_a_reader():
    """The secret of a politician's calendar address, as their "Skapa kalenderadress" makes it."""
    return Preferences.renew_calendar_token(make_person()).calendar_token
