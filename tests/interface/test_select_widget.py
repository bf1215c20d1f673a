"""The list's select widget writes, without a template per option, what Django's templates write."""

from unittest.mock import patch

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.safestring import mark_safe

from assignments.filters import AssignmentFilter
from assignments.models import Assignment
from malmo_ks.widgets import Select
from tests.factories import make_area, make_unit


def both(widget_kwargs, name, value, attrs=None):
    ours = Select(**widget_kwargs).render(name, value, attrs)
    django = forms.Select(**widget_kwargs).render(name, value, attrs)
    return ours, django


def test_it_writes_what_the_templates_write_with_a_selected_option():
    choices = [("", "Alla"), ("a", "Ett & två"), ("<b>", mark_safe("<em>säker</em>")), (3, 4000)]
    ours, django = both({"choices": choices}, "status", "a", {"id": "id_status"})
    assert ours == django
    assert '<option value="a" selected>Ett &amp; två</option>' in ours


def test_it_writes_optgroups_and_boolean_attributes_as_the_templates_do():
    choices = [("Nämnder", [(1, "Kultur"), (2, "Skola")]), ("", [("x", "Övrigt")])]
    attrs = {"id": "id_enhet", "required": True, "disabled": False, "aria-describedby": 'a"b'}
    ours, django = both({"choices": choices}, "enhet", ["2"], attrs)
    assert ours == django
    assert "<optgroup" in ours


def test_every_select_of_the_list_filters_is_written_as_django_writes_it(db):
    units = [make_unit(f"Nämnd {number} & co") for number in range(3)]
    make_area(2, "Boendemiljö och stadsplanering")
    data = QueryDict(f"status=lagesrapport&enhet={units[1].pk}&sortering=-titel&omrade=x")
    filterset = AssignmentFilter(data, Assignment.objects.all(), day=timezone.localdate())
    filterset.is_valid()
    selects = [field for field in filterset.form if isinstance(field.field.widget, Select)]
    names = [field.name for field in selects]
    assert names == [
        "status", "enhet", "omrade", "handlaggare", "forsenade", "bedomning", "sortering",
    ]
    ours = [str(field) for field in selects]
    with patch.object(Select, "render", forms.Select.render):  # Django's own templates
        django = [str(field) for field in selects]
    assert ours == django
    assert f'<option value="{units[1].pk}" selected>Nämnd 1 &amp; co</option>' in ours[1]
