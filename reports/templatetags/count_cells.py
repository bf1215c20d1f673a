"""The overview's linked numbers written in Python: the cells that grow with the register.

The tables per responsible unit and per quarter hold a few hundred linked numbers;
a template loop resolving two variables and localising a number for each was a
third of the overview's rendering. The markup is the one the loop wrote.
"""

from html import escape

from django import template
from django.utils.formats import number_format
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def count_cells(cells):
    """`{% count_cells row.cells %}`: one `<td>` per `Cell`, its number linking to its list.

    An f-string with the address escaped: format_html_join escaped every value
    through Django's lazy-aware wrapper, the most of this tag's time.
    """
    return mark_safe("".join(
        f'<td class="number"><a href="{escape(cell.url)}">{number_format(cell.count)}</a></td>'
        for cell in cells
    ))
