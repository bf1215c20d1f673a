"""Not yet built: answers 404 until its feature lands."""

from django.http import Http404


def compilation(request, *args, **kwargs):
    raise Http404


def compilation_xlsx(request, *args, **kwargs):
    raise Http404
