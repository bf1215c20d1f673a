"""A status as a labelled badge: the word carries the meaning, the colour only helps."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def status_badge(status, label):
    """`{% status_badge row.status row.status_label %}`; a tag, not an include, because
    the list shows one per row and an include costs a template render each."""
    return mark_safe(badge_markup(status, label))


def badge_markup(status, label):
    """The badge's markup, escaped, as plain text for tags that write many at once."""
    return f'<span class="badge badge-{escape(status)}">{escape(str(label))}</span>'

