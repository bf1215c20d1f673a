"""The compilation's rows written in Python: the part of its page that grows with the register.

Fifty rows through the shared table frame's `row` block resolved some fifteen
variables, a filter or two and a `{% url %}` each: most of the page's rendering
(about half its time at 100 000 assignments). The markup is the one the block
wrote; tests/exports/test_compilation.py reads it.
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from assignments.links import detail_prefix
from malmo_ks.wording import format_planned_completion

register = template.Library()

NONE = "–"


def _link(prefix, entry, day):
    return f'<a href="{prefix}{entry.id}/?per={escape(day)}">{escape(entry.reference)}</a>'


def _text(value):
    """`{{ value|default:"–" }}`."""
    return escape(str(value)) if value else NONE


@register.simple_tag
def compilation_rows(entries, day):
    """`{% compilation_rows rows day %}`: the open assignments of a section, a row each."""
    overdue = f' <span class="flag-overdue">{escape(gettext("Overdue"))}</span>'
    prefix = detail_prefix()
    return mark_safe("".join(
        f"""
      <tr>
        <th scope="row">{_link(prefix, entry, day)}</th>
        <td>{escape(entry.title)}</td>
        <td>{escape(entry.status_label)}</td>
        <td>{escape(entry.unit)}</td>
        <td class="treatment">{_text(entry.treatment)}</td>
        <td>{f"{entry.report_date.isoformat()}: {escape(entry.report_summary)}"
             if entry.report_date else NONE}</td>
        <td>{_text(entry.assessment)}</td>
        <td>{_text(format_planned_completion(
            entry.planned_completion, entry.planned_completion_is_year
        ))}{overdue if entry.is_overdue else ""}</td>
      </tr>
      """
        for entry in entries
    ))


@register.simple_tag
def compilation_closed_rows(entries, day):
    """`{% compilation_closed_rows rows day %}`: the closed assignments, a line each."""
    prefix = detail_prefix()
    return mark_safe("".join(
        f"""
      <tr>
        <th scope="row">{_link(prefix, entry, day)}</th>
        <td>{escape(entry.title)}</td>
        <td>{_text(entry.outcome)}</td>
        <td class="treatment">{_text(entry.treatment)}</td>
      </tr>
      """
        for entry in entries
    ))
