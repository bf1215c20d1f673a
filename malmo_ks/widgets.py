"""Form widgets that render in Python what Django renders with one template per part."""

from django import forms
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, mark_safe


class Select(forms.Select):
    """A select whose markup is exactly Django's own, built without a template per <option>.

    Django renders `select.html`, then `select_option.html` and `attrs.html` for every
    option: a list filter of 40 units costs a few milliseconds a page. The context is
    Django's (`get_context`), so ids, aria attributes and the selected option are the
    same; tests/interface/test_select_widget.py compares the two renderings.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
            parts.extend(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f'{_shown(option["label"])}</option>\n'
                for option in options
            )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        # Every value above is escaped by _attrs, _formatted or _shown.
        return mark_safe("".join(parts))


def _attrs(attrs):
    """What django/forms/widgets/attrs.html writes: ` name="value"`, ` name` for True."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _formatted(value):
    """`{{ value|stringformat:'s' }}`: the text of the value, escaped unless already safe."""
    text = "%s" % value
    return text if isinstance(value, SafeData) else escape(text)


def _shown(value):
    """`{{ value }}`: localized like any template variable, then escaped."""
    value = localize(value)
    if not issubclass(type(value), str):
        value = str(value)
    return conditional_escape(value)
