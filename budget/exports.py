"""Not yet built: answers 404 until its feature lands."""

from django.http import Http404


def export_budget(request, *args, **kwargs):
    raise Http404
