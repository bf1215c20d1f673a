"""`load_demo` only fills an empty register: it never mixes demo data into real records."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from assignments.models import Assignment, DemoDataset
from tests.factories import make_unit


@pytest.mark.django_db
def test_it_refuses_a_register_that_holds_other_data():
    make_unit("Stadskontoret")

    with pytest.raises(CommandError, match="not demo data"):
        call_command("load_demo", stdout=io.StringIO())

    assert not Assignment.objects.exists()
    assert not get_user_model().objects.filter(username="handlaggare").exists()
    assert not DemoDataset.objects.exists()
