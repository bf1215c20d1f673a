"""The overview's linked numbers written in Python: the cells that grow with the register.

The tables per responsible unit and per quarter hold a few hundred linked numbers;
a template loop resolving two variables and localising a number for each was a
third of the overview's rendering. The markup is the one the loop wrote.
"""

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html_join

register = template.Library()


@register.simple_tag
def count_cells(cells):
    """`{% count_cells row.cells %}`: one `<td>` per `Cell`, its number linking to its list."""
    return format_html_join(
        "",
        '<td class="number"><a href="{}">{}</a></td>',
        ((cell.url, number_format(cell.count)) for cell in cells),
    )
