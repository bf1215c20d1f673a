"""Bevaka: following an assignment from its page, the person's own page, and who follows what."""

from datetime import date, datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from malmo_ks import roles
from notifications.models import Preferences, Subscription
from notifications.selectors import followed_by, follower_pairs
from tests.conftest import signed_in
from tests.databases import concurrent_writers
from tests.factories import make_assignment
from tests.notifications.people import make_person
from tests.query_counts import assert_queries_do_not_grow, queries_made
from tests.register.reading import body_rows, visible_text
from tests.security.test_concurrent_edits import save_all_at_once
from tests.security.test_parallel_creates import while_a_parallel_insert_commits

pytestmark = pytest.mark.django_db

PREFERENCES = reverse("notifications:preferences")


def detail(assignment):
    return reverse("assignments:detail", args=[assignment.pk])


def follow_url(assignment):
    return reverse("notifications:subscribe", args=[assignment.pk])


def follows(user, assignment):
    return Subscription.objects.filter(user=user, assignment=assignment).count()


def button_form(page, assignment):
    return f'action="{follow_url(assignment)}"' in page


# The button on the assignment's page


def test_a_politician_follows_an_assignment_from_its_page(politiker):
    assignment = make_assignment()
    client = signed_in(politiker)
    page = visible_text(client.get(detail(assignment)))
    assert "Bevaka" in page and "Sluta bevaka" not in page

    response = client.post(follow_url(assignment), {"bevaka": "1"}, follow=True)

    assert response.redirect_chain == [(detail(assignment), 302)]
    text = visible_text(response)
    assert f"Du bevakar nu {assignment.reference}." in text
    assert "Du bevakar uppdraget. Sluta bevaka" in text
    assert follows(politiker, assignment) == 1


def test_stopping_removes_the_subscription_and_says_so(politiker):
    assignment = make_assignment()
    client = signed_in(politiker)
    client.post(follow_url(assignment), {"bevaka": "1"})

    response = client.post(follow_url(assignment), {"bevaka": "0"}, follow=True)

    text = visible_text(response)
    assert f"Du bevakar inte längre {assignment.reference}." in text
    assert "Sluta bevaka" not in text
    assert follows(politiker, assignment) == 0


def test_the_same_post_twice_leaves_one_subscription(politiker):
    assignment = make_assignment()
    client = signed_in(politiker)

    for _ in range(2):
        assert client.post(follow_url(assignment), {"bevaka": "1"}).status_code == 302

    assert follows(politiker, assignment) == 1


def test_anonymous_visitors_are_sent_to_log_in_and_nothing_is_stored(client):
    assignment = make_assignment()

    response = client.post(follow_url(assignment), {"bevaka": "1"})

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/konto/logga-in/")
    assert Subscription.objects.count() == 0


def test_the_button_only_posts(politiker):
    assert signed_in(politiker).get(follow_url(make_assignment())).status_code == 405


def test_an_unknown_assignment_is_404(politiker):
    response = signed_in(politiker).post("/uppdrag/999999/bevaka/", {"bevaka": "1"})
    assert response.status_code == 404
    assert Subscription.objects.count() == 0


def test_someone_who_cannot_read_the_register_is_refused():
    outsider = make_person(role=None)
    response = signed_in(outsider).post(follow_url(make_assignment()), {"bevaka": "1"})
    assert response.status_code == 403
    assert Subscription.objects.count() == 0


@pytest.mark.parametrize("value", ["", "2", "ja", "1<script>"])
def test_a_broken_choice_is_told_in_swedish_and_changes_nothing(politiker, value):
    assignment = make_assignment()

    response = signed_in(politiker).post(follow_url(assignment), {"bevaka": value}, follow=True)

    assert response.status_code == 200
    assert "Välj om du vill bevaka uppdraget eller sluta bevaka det." in visible_text(response)
    assert Subscription.objects.count() == 0


def test_a_case_officer_follows_their_own_assignment_without_a_button(handlaggare):
    own = make_assignment(case_officer=handlaggare)
    client = signed_in(handlaggare)

    page = client.get(detail(own))

    assert "Du är handläggare och bevakar uppdraget." in visible_text(page)
    assert not button_form(page.content.decode(), own)
    assert [own] == list(followed_by(handlaggare))
    # Asked anyway (an old page): no row, since the assignment is theirs.
    response = client.post(follow_url(own), {"bevaka": "1"}, follow=True)
    assert "Du är handläggare och bevakar uppdraget." in visible_text(response)
    assert Subscription.objects.count() == 0


def test_a_case_officer_is_offered_the_button_for_someone_else_s_assignment(handlaggare):
    other = make_assignment(case_officer=make_person(role=roles.HANDLAGGARE))
    page = signed_in(handlaggare).get(detail(other)).content.decode()
    assert button_form(page, other)


def test_the_page_at_a_past_day_offers_no_button(politiker):
    assignment = make_assignment(at=timezone.make_aware(datetime(2015, 1, 1, 12)))

    response = signed_in(politiker).get(detail(assignment), {"per": "2016-12-31"})

    assert response.status_code == 200
    assert assignment.title in visible_text(response)
    assert not button_form(response.content.decode(), assignment)


def test_the_button_costs_the_page_one_query_however_many_follow(politiker):
    assignment = make_assignment()
    client = signed_in(politiker)

    def others_follow(serials):
        for _serial in serials:
            Subscription.follow(make_person(), assignment)

    assert_queries_do_not_grow(lambda: client.get(detail(assignment)), others_follow)
    _response, queries = queries_made(lambda: client.get(detail(assignment)))
    table = connection.ops.quote_name(Subscription._meta.db_table)
    assert len([sql for sql in queries if table in sql]) == 1


@concurrent_writers
@pytest.mark.django_db(transaction=True)
def test_eight_identical_follows_at_once_leave_one_subscription():
    assignment, person = make_assignment(), make_person()
    clients = [signed_in(person) for _ in range(8)]

    responses = save_all_at_once(clients, follow_url(assignment), [{"bevaka": "1"}] * 8)

    assert [response.status_code for response in responses] == [302] * 8
    assert follows(person, assignment) == 1


@concurrent_writers
@pytest.mark.django_db(transaction=True)
def test_a_follow_losing_the_race_at_the_database_is_followed_once():
    assignment, person = make_assignment(), make_person()
    client = signed_in(person)

    response = while_a_parallel_insert_commits(
        lambda: Subscription.objects.create(user=person, assignment=assignment),
        lambda: client.post(follow_url(assignment), {"bevaka": "1"}),
    )

    assert response.status_code == 302
    assert follows(person, assignment) == 1


# The person's own page


def test_the_own_page_lists_what_one_handles_and_what_one_follows(handlaggare):
    own = make_assignment(
        title="Eget uppdrag", case_officer=handlaggare,
        planned_completion=date(2017, 12, 31), planned_completion_is_year=True,
    )
    followed = make_assignment(title="Bevakat uppdrag", planned_completion=date(2016, 6, 30))
    make_assignment(title="Ett annat uppdrag")
    client = signed_in(handlaggare)
    client.post(follow_url(followed), {"bevaka": "1"})

    response = client.get(PREFERENCES)

    page = response.content.decode()
    assert body_rows(page) == [
        [f"{followed.reference} Bevakat uppdrag", "pågående", "2016-06-30", "Bevakas av dig",
         "Sluta bevaka"],
        [f"{own.reference} Eget uppdrag", "pågående", "under 2017", "Handläggare", "–"],
    ]
    assert "Ett annat uppdrag" not in page
    assert button_form(page, followed) and not button_form(page, own)


def test_stopping_on_the_own_page_comes_back_to_it(politiker):
    assignment = make_assignment(title="Bevakat uppdrag")
    client = signed_in(politiker)
    client.post(follow_url(assignment), {"bevaka": "1"})

    response = client.post(
        follow_url(assignment), {"bevaka": "0", "tillbaka": "aviseringar"}, follow=True
    )

    assert response.redirect_chain == [(PREFERENCES, 302)]
    text = visible_text(response)
    assert f"Du bevakar inte längre {assignment.reference}." in text
    assert "Du bevakar inga uppdrag." in text


def test_the_own_page_shows_the_defaults_before_the_first_save(politiker):
    response = signed_in(politiker).get(PREFERENCES)

    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="each" required id="id_change_delivery_0" checked' in page
    assert '<option value="sv" selected>Svenska</option>' in page
    assert "Du har ingen kalenderadress ännu." in visible_text(response)
    assert Preferences.objects.count() == 0


def test_the_choices_are_saved_and_saved_again(politiker):
    client = signed_in(politiker)

    response = client.post(
        PREFERENCES, {"change_delivery": "daily", "wants_digest": "on", "language": "en"},
        follow=True,
    )

    # The page stays in the browser's language: the choice is for e-mail and the calendar.
    assert "Dina inställningar för aviseringar är sparade." in visible_text(response)
    saved = Preferences.objects.get(user=politiker)
    assert (saved.change_delivery, saved.wants_digest, saved.language) == ("daily", True, "en")
    token = saved.calendar_token

    client.post(PREFERENCES, {"change_delivery": "each", "language": "sv"})

    saved.refresh_from_db()
    assert (saved.change_delivery, saved.wants_digest, saved.language) == ("each", False, "sv")
    assert saved.calendar_token == token


def test_wrong_choices_are_refused_in_swedish(politiker):
    response = signed_in(politiker).post(
        PREFERENCES, {"change_delivery": "weekly", "language": "de"}
    )

    assert response.status_code == 200
    text = visible_text(response)
    assert "Inget har sparats. Rätta felen nedan." in text
    assert "Välj ett giltigt alternativ." in text
    assert Preferences.objects.count() == 0


def test_the_menu_links_to_the_own_page(politiker):
    page = signed_in(politiker).get(reverse("reports:overview")).content.decode()
    assert f'<a href="{PREFERENCES}">Aviseringar</a>' in page


def test_the_own_page_makes_as_many_queries_for_50_followed_as_for_5(handlaggare):
    client = signed_in(handlaggare)

    def follow_more(serials):
        for serial in serials:
            if serial % 2:
                make_assignment(case_officer=handlaggare)
            else:
                Subscription.follow(handlaggare, make_assignment())

    response = assert_queries_do_not_grow(lambda: client.get(PREFERENCES), follow_more)
    assert visible_text(response).count("Sluta bevaka") == 25


# Who follows what (notifications.selectors, also read by the messages)


def test_followers_are_subscribers_and_case_officers_who_can_read_the_register(handlaggare):
    politician, gone, outsider = make_person(), make_person(is_active=False), make_person(role=None)
    handled = make_assignment(case_officer=handlaggare)
    followed = make_assignment()
    nobody_s = make_assignment()
    for person in (politician, gone, outsider, handlaggare):
        Subscription.objects.create(user=person, assignment=followed)
    Subscription.objects.create(user=handlaggare, assignment=handled)  # from before: once

    assert set(follower_pairs()) == {
        (handlaggare.pk, handled.pk),
        (handlaggare.pk, followed.pk),
        (politician.pk, followed.pk),
    }
    assert set(follower_pairs([handled.pk, nobody_s.pk])) == {(handlaggare.pk, handled.pk)}
    assert list(followed_by(gone)) == [] and list(followed_by(outsider)) == []
    assert list(followed_by(politician)) == [followed]


def test_an_administrator_without_a_group_follows_as_a_superuser():
    admin = make_person(role=None, is_superuser=True)
    assignment = make_assignment()
    Subscription.follow(admin, assignment)
    assert set(follower_pairs()) == {(admin.pk, assignment.pk)}


def test_follower_pairs_is_one_query_however_large_the_register(handlaggare):
    def more(serials):
        for _serial in serials:
            assignment = make_assignment(case_officer=handlaggare)
            Subscription.follow(make_person(), assignment)

    pairs = assert_queries_do_not_grow(lambda: set(follower_pairs()), more)
    assert len(pairs) == 50 * 2
    _pairs, queries = queries_made(lambda: set(follower_pairs()))
    assert len(queries) == 1
