"""Not yet built: answers 404 until its feature lands."""

from django.http import Http404


def upload(request, *args, **kwargs):
    raise Http404


def preview(request, *args, **kwargs):
    raise Http404
