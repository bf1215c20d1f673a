"""The parts of a chart that grow with it, written in Python rather than a template.

The status over time draws a marker per series and quarter (150 and more), and the
bar chart of units a bar segment per unit and status (120 and more at 40 units): as
template variables these were most of the overview's rendering time. The markup is
the one the templates wrote (includes/chart_line.html, includes/chart_bar.html).
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

# Written with f-strings: every value here is a number or a chart's own key or colour,
# except the categories' names, escaped. format_html() escaped each value through
# Django's lazy-aware wrapper, 2 700 calls a page at 40 units: a third of its rendering.


def _marker(point, style):
    colour = style["colour"]
    if style["marker"] == "circle":
        return f'<circle cx="{point["x"]}" cy="{point["y"]}" r="3.5" fill="{colour}"/>'
    if style["marker"] == "square":
        return (
            f'<rect x="{point["corner_x"]}" y="{point["corner_y"]}" width="6" height="6" '
            f'fill="#ffffff" stroke="{colour}" stroke-width="1.5"/>'
        )
    return f'<path d="{point["triangle"]}" fill="{colour}"/>'


@register.simple_tag
def chart_markers(points, style):
    """`{% chart_markers line.markers style %}`: every point of a line in its series' shape."""
    return mark_safe("\n".join(_marker(point, style) for point in points))


def _segment(chart, row, segment):
    series = segment["series"]
    bar = (
        f'<rect x="{segment["x"]}" y="{row["bar_y"]}" width="{segment["width"]}" '
        f'height="{row["bar_height"]}" fill="url(#{chart.id}-{series.key})" '
        f'stroke="{series.style["colour"]}"/>'
    )
    if not segment["show_value"]:
        return bar
    return bar + (
        f'<text x="{segment["text_x"]}" y="{row["text_y"]}" text-anchor="middle" '
        f'font-weight="700" fill="#1b1b1b" stroke="#ffffff" stroke-width="3" '
        f'paint-order="stroke">{segment["value"]}</text>'
    )


def _bar_row(chart, row):
    return "\n".join([
        f'<text x="0" y="{row["label_y"]}" fill="#1b1b1b">{escape(str(row["name"]))}</text>',
        *(_segment(chart, row, segment) for segment in row["segments"]),
        f'<text x="{row["total_x"]}" y="{row["text_y"]}" fill="#1b1b1b">{row["total"]}</text>',
    ])


@register.simple_tag
def chart_bar_rows(chart):
    """`{% chart_bar_rows chart %}`: every category's name, bar segments and total."""
    return mark_safe("\n".join(_bar_row(chart, row) for row in chart.rows))
