"""The assignment list's rows written in Python: the one part of the list that grows with the page.

A template loop resolves about ten variables and a filter per row; at 50 rows that was
a fifth of the list's rendering (5 of 25 ms at 100 000 assignments). The markup is
the one the loop wrote, escaped the same way; tests/register/test_list.py reads it.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from malmo_ks.wording import format_planned_completion

from .badges import status_badge

register = template.Library()

ROW = """
    <tr{}>
      <th scope="row"><a href="{}">{}</a></th>
      <td>{}</td>
      <td>{}</td>
      <td>{}</td>
      <td>{}. {}</td>
      <td class="date">{}{}</td>
      <td>{}</td>
    </tr>
    """


@register.simple_tag
def assignment_rows(rows):
    """`{% assignment_rows listing.rows %}`: every row of the page, in the table's column order."""
    overdue_flag = format_html(' <span class="flag-overdue">{}</span>', gettext("Overdue"))
    return mark_safe(
        "".join(
            format_html(
                ROW,
                mark_safe(' class="overdue"') if row["is_overdue"] else "",
                row["url"],
                row["reference"],
                row["title"],
                status_badge(row["status"], row["status_label"]),
                row["responsible_unit__name"],
                row["area__number"],
                row["area__name"],
                format_planned_completion(
                    row["planned_completion"], row["planned_completion_is_year"]
                ),
                overdue_flag if row["is_overdue"] else "",
                row["assessment_label"],
            )
            for row in rows
        )
    )
