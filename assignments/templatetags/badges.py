"""A status as a labelled badge: the word carries the meaning, the colour only helps."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def status_badge(status, label):
    """`{% status_badge row.status row.status_label %}`; a tag, not an include, because
    the list shows one per row and an include costs a template render each."""
    return format_html('<span class="badge badge-{}">{}</span>', status, label)
