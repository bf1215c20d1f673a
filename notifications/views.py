"""PLACEHOLDER on branch h-deliver for helper "subscribe"'s preferences page."""

from django.http import HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def preferences(request):
    return HttpResponse(request.user.get_username())
