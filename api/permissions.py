"""Who may read the API: token clients and readers of the register; anyone under OPEN_DATA."""

from django.conf import settings
from rest_framework.permissions import SAFE_METHODS, BasePermission

READ = "assignments.view_assignment"


def reads_register(request):
    """A token, or a person who may read the register: the full, non-public answers."""
    return request.user.is_authenticated and request.user.has_perm(READ)


def is_public(request):
    """Whether the answer is the open data subset: no personal data in it."""
    return not reads_register(request)


class ReadsRegister(BasePermission):
    """Read only, for every client. Open data lets anyone read views marked `open_data`."""

    def has_permission(self, request, view):
        if request.method not in SAFE_METHODS:
            # Authenticated callers learn the method is not offered (405); others must log in.
            return request.user.is_authenticated
        if reads_register(request):
            return True
        return settings.OPEN_DATA and getattr(view, "open_data", False)
