"""The floor: what any page costs at least, one query for 50 rows and a minimal template."""

from django.shortcuts import render

from assignments.models import Assignment

FLOOR_ROWS = 50


def floor(request):
    rows = Assignment.objects.order_by("reference", "id").values_list(
        "id", "reference", "title", "status"
    )[:FLOOR_ROWS]
    return render(request, "bench/floor.html", {"rows": rows})
