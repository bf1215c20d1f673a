"""Mina uppdrag: the list filtered by handläggare, and a handläggare's own link to it."""

from datetime import date

import pytest

from tests.conftest import _make_user, signed_in
from tests.factories import make_assignment, set_up
from tests.query_counts import assert_queries_do_not_grow

from .test_list import URL, listed, moment, shown_count, visible_text

NAV_LINK = 'href="/uppdrag/?handlaggare={}">Mina uppdrag</a>'


@pytest.fixture
def anna(db):
    return _make_user("anna", "Handläggare")


@pytest.fixture
def bertil(db):
    return _make_user("bertil", "Handläggare")


@pytest.fixture
def handled(anna, bertil):
    """Two assignments of Anna's, one of Bertil's, one with nobody yet."""
    with set_up():
        return {
            "anna": [
                make_assignment(reference="STK-2014-201", case_officer=anna),
                make_assignment(reference="STK-2014-202", case_officer=anna),
            ],
            "bertil": [make_assignment(reference="STK-2014-203", case_officer=bertil)],
            "nobody": [make_assignment(reference="STK-2014-204")],
        }


def test_the_list_filters_by_handlaggare(politiker, anna, handled):
    response = signed_in(politiker).get(URL, {"handlaggare": anna.pk})

    assert listed(response) == ["STK-2014-201", "STK-2014-202"]
    assert shown_count(response) == 2


def test_the_filter_names_each_handlaggare_by_name(politiker, anna, handled):
    response = signed_in(politiker).get(URL)

    assert f'<option value="{anna.pk}">Anna Test</option>' in response.content.decode()


def test_a_handlaggare_without_a_name_is_offered_by_user_name_and_stays_chosen(politiker, handled):
    nameless = _make_user("ulla.n", "Handläggare")
    nameless.first_name = nameless.last_name = ""
    nameless.save()

    page = signed_in(politiker).get(URL, {"handlaggare": nameless.pk}).content.decode()

    assert f'<option value="{nameless.pk}" selected>ulla.n</option>' in page


def test_a_handlaggare_has_a_link_to_their_own_assignments(anna, handled):
    client = signed_in(anna)
    page = client.get("/").content.decode()

    assert NAV_LINK.format(anna.pk) in page
    assert listed(client.get(URL, {"handlaggare": anna.pk})) == ["STK-2014-201", "STK-2014-202"]


def test_a_politician_has_no_such_link(politiker, handled):
    assert "Mina uppdrag" not in signed_in(politiker).get("/").content.decode()


def test_a_new_handlaggare_without_assignments_gets_an_empty_list_not_an_error(db):
    newcomer = _make_user("cecilia", "Handläggare")

    response = signed_in(newcomer).get(URL, {"handlaggare": newcomer.pk})

    assert response.status_code == 200
    assert listed(response) == []
    assert "Inga uppdrag matchar filtren." in visible_text(response)
    assert "kunde inte läsas" not in visible_text(response)


def test_someone_who_is_no_handlaggare_cannot_be_chosen(politiker, handled):
    response = signed_in(politiker).get(URL, {"handlaggare": politiker.pk})

    assert response.status_code == 200
    assert "Ett filtervärde kunde inte läsas" in visible_text(response)
    # The value in error is not applied: every assignment is listed.
    assert shown_count(response) == 4


def test_the_export_holds_the_same_rows(politiker, anna, handled):
    response = signed_in(politiker).get("/uppdrag/export.csv", {"handlaggare": anna.pk})
    text = b"".join(response.streaming_content).decode("utf-8-sig")

    assert "STK-2014-201" in text and "STK-2014-202" in text
    assert "STK-2014-203" not in text and "STK-2014-204" not in text


def test_the_list_as_of_a_past_day_filters_by_who_handled_it_then(politiker, anna, bertil):
    with set_up():
        moved = make_assignment(
            reference="STK-2014-205", case_officer=anna, at=moment(date(2016, 1, 10))
        )
    moved.case_officer = bertil
    moved.save_tracked(user=anna, reason="Bertil tar över")
    client = signed_in(politiker)

    then = client.get(URL, {"handlaggare": anna.pk, "per": "2016-06-30"})
    now = client.get(URL, {"handlaggare": anna.pk})

    assert listed(then) == ["STK-2014-205"]
    assert listed(now) == []


def test_the_choices_cost_the_same_queries_however_many_handle_assignments(politiker):
    client = signed_in(politiker)

    def make(serials):
        with set_up():
            for serial in serials:
                make_assignment(case_officer=_make_user(f"officer{serial}", "Handläggare"))

    assert_queries_do_not_grow(lambda: client.get(URL), make, few=2, many=12)
