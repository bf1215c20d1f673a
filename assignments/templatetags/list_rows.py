"""The assignment list's rows written in Python: the one part of the list that grows with the page.

A template loop resolves about ten variables and a filter per row; at 50 rows that was
a fifth of the list's rendering (5 of 25 ms at 100 000 assignments). The markup is
the one the loop wrote, escaped the same way; tests/register/test_list.py reads it.
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from malmo_ks.wording import format_planned_completion

from .badges import badge_markup

register = template.Library()


@register.simple_tag
def assignment_rows(rows):
    """`{% assignment_rows listing.rows %}`: every row of the page, in the table's column order.

    An f-string escaping only the text (str() first: a label may be lazy): format_html
    escaped every value through Django's lazy-aware wrapper, half of this tag's time.
    """
    overdue_flag = f' <span class="flag-overdue">{escape(gettext("Overdue"))}</span>'
    return mark_safe("".join(
        f"""
    <tr{' class="overdue"' if row["is_overdue"] else ""}>
      <th scope="row"><a href="{escape(row["url"])}">{escape(row["reference"])}</a></th>
      <td>{escape(row["title"])}</td>
      <td>{badge_markup(row["status"], row["status_label"])}</td>
      <td>{escape(row["responsible_unit__name"])}</td>
      <td>{row["area__number"]}. {escape(row["area__name"])}</td>
      <td class="date">{escape(format_planned_completion(
            row["planned_completion"], row["planned_completion_is_year"]
        ))}{overdue_flag if row["is_overdue"] else ""}</td>
      <td>{escape(str(row["assessment_label"]))}</td>
    </tr>
    """
        for row in rows
    ))
