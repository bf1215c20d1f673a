"""A line chart's point markers written in Python: the one part of a chart that grows with it.

The status over time draws a marker per series and quarter (150 and more); an
include per marker was most of the overview's rendering time. The markup is the
one the include wrote: a circle, a square or a triangle, by the series' style.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


def _marker(point, style):
    if style["marker"] == "circle":
        return format_html(
            '<circle cx="{}" cy="{}" r="3.5" fill="{}"/>', point["x"], point["y"], style["colour"]
        )
    if style["marker"] == "square":
        return format_html(
            '<rect x="{}" y="{}" width="6" height="6" fill="#ffffff" stroke="{}" '
            'stroke-width="1.5"/>',
            point["corner_x"], point["corner_y"], style["colour"],
        )
    return format_html('<path d="{}" fill="{}"/>', point["triangle"], style["colour"])


@register.simple_tag
def chart_markers(points, style):
    """`{% chart_markers line.markers style %}`: every point of a line in its series' shape."""
    return mark_safe("\n".join(_marker(point, style) for point in points))
