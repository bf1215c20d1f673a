"""Units have a validity period, so the register knows who was responsible when."""

from datetime import date

import pytest

from assignments.models import Unit
from tests.factories import make_unit

pytestmark = pytest.mark.django_db

CITY_DISTRICTS = {
    "Stadsområdesnämnd Norr",
    "Stadsområdesnämnd Öster",
    "Stadsområdesnämnd Väster",
    "Stadsområdesnämnd Söder",
    "Stadsområdesnämnd Innerstaden",
}
NEW_COMMITTEES = {
    "Vård- och omsorgsnämnden",
    "Funktionsstödsnämnden",
    "Arbetsmarknads- och socialnämnden",
    "Gymnasie- och vuxenutbildningsnämnden",
}


def names_valid_on(day):
    return set(Unit.objects.valid_on(day).values_list("name", flat=True))


def test_before_the_2017_reorganisation_the_city_districts_are_responsible(demo):
    names = names_valid_on(date(2017, 4, 30))

    assert CITY_DISTRICTS <= names
    assert {"Sociala resursnämnden", "Kommunstyrelsen"} <= names
    assert not NEW_COMMITTEES & names


def test_from_2017_05_01_the_new_committees_replace_them(demo):
    names = names_valid_on(date(2017, 5, 1))

    assert NEW_COMMITTEES <= names
    assert "Kommunstyrelsen" in names
    assert not CITY_DISTRICTS & names
    assert "Sociala resursnämnden" not in names


def test_each_ended_unit_names_its_successor(demo):
    ended = Unit.objects.filter(valid_to=date(2017, 4, 30)).select_related("replaced_by")

    assert {unit.name for unit in ended} >= CITY_DISTRICTS
    assert all(unit.replaced_by.valid_from == date(2017, 5, 1) for unit in ended)


def test_a_unit_is_valid_on_its_first_and_last_day_only():
    # make_unit starts every unit on 2000-01-01.
    make_unit("Tillfälliga nämnden", valid_to=date(2017, 4, 30))

    assert "Tillfälliga nämnden" in names_valid_on(date(2000, 1, 1))
    assert "Tillfälliga nämnden" in names_valid_on(date(2017, 4, 30))
    assert "Tillfälliga nämnden" not in names_valid_on(date(1999, 12, 31))
    assert "Tillfälliga nämnden" not in names_valid_on(date(2017, 5, 1))
