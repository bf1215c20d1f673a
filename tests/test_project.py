"""The project as a whole: system checks pass and the models match their migrations."""

import io

import pytest
from django.core.management import call_command


def test_system_checks_pass():
    call_command("check", fail_level="WARNING", stdout=io.StringIO())


@pytest.mark.django_db
def test_models_have_no_unmigrated_changes():
    out = io.StringIO()
    call_command("makemigrations", check=True, dry_run=True, stdout=out)
    assert "No changes detected" in out.getvalue()
