"""The three roles (groups) and what each may do; kept in step after every migrate."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

HANDLAGGARE = "Handläggare"
FORTROENDEVALD = "Förtroendevald"
ADMINISTRATOR = "Administratör"

DOMAIN_APPS = ("assignments", "budget")
# Case officers add and change these; nobody but administrators deletes anything.
CASE_OFFICER_WRITES = {
    "assignments": ["assignment", "treatment", "statusreport", "deadlinechange"],
    "budget": ["budgetrow"],
}


def _domain_permissions():
    return Permission.objects.filter(content_type__app_label__in=DOMAIN_APPS)


def role_permissions():
    """Map each group to its permissions; nobody but administrators may delete."""
    domain = _domain_permissions()
    view = domain.filter(codename__startswith="view_")
    writable_models = [model for models in CASE_OFFICER_WRITES.values() for model in models]
    case_officer = domain.filter(
        Q(codename__startswith="view_")
        | Q(content_type__model__in=writable_models, codename__regex=r"^(add|change)_")
    )
    return {
        FORTROENDEVALD: list(view),
        HANDLAGGARE: list(case_officer),
        ADMINISTRATOR: list(Permission.objects.all()),
    }


def ensure_roles(**kwargs):
    # Runs after every app's migrate: permissions appear app by app.
    for name, permissions in role_permissions().items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)
