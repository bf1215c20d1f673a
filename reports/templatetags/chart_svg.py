"""The parts of a chart that grow with it, written in Python rather than a template.

The status over time draws a marker per series and quarter (150 and more), and the
bar chart of units a bar segment per unit and status (120 and more at 40 units): as
template variables these were most of the overview's rendering time. The markup is
the one the templates wrote (includes/chart_line.html, includes/chart_bar.html).
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


def _segment(chart, row, segment):
    style = segment["series"].style
    bar = format_html(
        '<rect x="{}" y="{}" width="{}" height="{}" fill="url(#{}-{})" stroke="{}"/>',
        segment["x"], row["bar_y"], segment["width"], row["bar_height"],
        chart.id, segment["series"].key, style["colour"],
    )
    if not segment["show_value"]:
        return bar
    return bar + format_html(
        '<text x="{}" y="{}" text-anchor="middle" font-weight="700" fill="#1b1b1b" '
        'stroke="#ffffff" stroke-width="3" paint-order="stroke">{}</text>',
        segment["text_x"], row["text_y"], segment["value"],
    )


def _bar_row(chart, row):
    return "\n".join([
        format_html('<text x="0" y="{}" fill="#1b1b1b">{}</text>', row["label_y"], row["name"]),
        *(_segment(chart, row, segment) for segment in row["segments"]),
        format_html('<text x="{}" y="{}" fill="#1b1b1b">{}</text>',
                    row["total_x"], row["text_y"], row["total"]),
    ])


@register.simple_tag
def chart_bar_rows(chart):
    """`{% chart_bar_rows chart %}`: every category's name, bar segments and total."""
    return mark_safe("\n".join(_bar_row(chart, row) for row in chart.rows))
