"""The assignment list: who sees it, filters, Swedish search, sorting, pages, as of a past date."""

import html
import re
from datetime import date, datetime, time

import pytest
from django.db import connection
from django.urls import resolve
from django.utils import timezone

from assignments.models import SEARCH_INDEX, Assignment
from assignments.querysets import months_before
from assignments.swedish_search import lexemes
from tests.factories import (
    ks_treatment,
    make_area,
    make_assignment,
    make_assignments,
    make_closed_assignment,
    make_status_report,
    make_unit,
)
from tests.query_counts import assert_queries_do_not_grow
from tests.register.test_workflow import edit_data, url

URL = "/uppdrag/"
ROW = re.compile(
    r'<tr( class="overdue")?>\s*<th scope="row"><a href="([^"]*)">([^<]+)</a>(.*?)</tr>', re.S
)
COUNT = re.compile(r'<p class="result-count" role="status"><strong>(\d+) uppdrag</strong>')


def listed(response):
    """The diarienummer of the rows shown, in order."""
    return [match[2] for match in ROW.findall(response.content.decode())]


def shown_count(response):
    """The number of assignments the page says it found, read from its own element."""
    return int(COUNT.search(response.content.decode())[1])


def row_html(response, reference):
    return next(m for m in ROW.finditer(response.content.decode()) if m[3] == reference)[0]


def visible_text(response):
    """What a reader sees: the page without tags, whitespace collapsed."""
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(text))


def moment(day):
    return timezone.make_aware(datetime.combine(day, time(10)))


@pytest.fixture
def register(handlaggare):
    """Three assignments, one per status, that the filters tell apart."""
    today = timezone.localdate()
    school = make_unit("Grundskolenämnden")
    culture = make_unit("Kulturnämnden")
    children = make_area(1, "Barn och ungas vardagsvillkor")
    housing = make_area(2, "Boendemiljö och stadsplanering")
    overdue = make_assignment(
        reference="STK-2014-101",
        title="Stöd till barn i förskolan",
        responsible_unit=school,
        area=children,
        planned_completion=date(2015, 12, 31),
        planned_completion_is_year=True,
    )
    make_status_report(overdue, months_before(today, 6))
    reported = make_assignment(
        reference="STK-2015-102",
        title="Trygga skolvägar",
        description="Samverkan med polisen och fastighetsägarna.",
        responsible_unit=culture,
        area=housing,
        decided_on=date(2015, 6, 1),
        planned_completion=date(2030, 6, 30),
    )
    reported.report_status(
        ks_treatment(), user=handlaggare,
        report=make_status_report(reported, months_before(today, 1)),
    )
    make_closed_assignment(
        reference="STK-2014-103",
        title="Bibliotekens läxhjälp",
        responsible_unit=school,
        area=housing,
        planned_completion=date(2015, 12, 31),
        paragraph=313,
    )
    return {
        "school": school.pk,
        "culture": culture.pk,
        "children": children.pk,
        "housing": housing.pk,
    }


@pytest.fixture
def staff_client(client, handlaggare):
    client.force_login(handlaggare)
    return client


# Access


def test_anonymous_visitor_is_sent_to_the_login_page(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == "/konto/logga-in/?next=/uppdrag/"


def test_an_account_without_a_role_gets_403(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("utan-roll"))
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("persona", ["politiker", "handlaggare", "administrator"])
def test_every_role_sees_the_list(client, register, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(URL)
    assert response.status_code == 200
    assert listed(response) == ["STK-2014-101", "STK-2014-103", "STK-2015-102"]
    assert shown_count(response) == 3


@pytest.mark.parametrize("persona", ["handlaggare", "administrator"])
def test_case_officers_and_admins_get_the_new_assignment_button(client, db, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(URL)
    assert '<a href="/uppdrag/nytt/">Nytt uppdrag</a>' in response.content.decode()


def test_politicians_get_no_new_assignment_button(client, politiker):
    client.force_login(politiker)
    response = client.get(URL)
    assert "/uppdrag/nytt/" not in response.content.decode()
    assert "Nytt uppdrag" not in visible_text(response)


# What a row shows


def test_a_row_links_its_diarienummer_and_shows_status_unit_area_and_deadline(
    staff_client, register
):
    response = staff_client.get(URL)
    row = row_html(response, "STK-2015-102")
    assert '<a href="/uppdrag/' in row
    assert '<span class="badge badge-lagesrapport">lägesrapport</span>' in row
    assert "Kulturnämnden" in row
    assert "2. Boendemiljö och stadsplanering" in row
    assert "2030-06-30" in row


def test_markup_in_a_title_a_unit_or_an_area_is_shown_as_text_in_rows_and_filters(
    staff_client, db
):
    unit = make_unit("Nämnden <b>för</b> & \"fritid\"")
    area = make_area(5, "Trygghet <i>och</i> 'delaktighet'")
    make_assignment(reference="STK-2016-7", title="<script>alert(1)</script> & mer",
                    responsible_unit=unit, area=area)
    response = staff_client.get(URL)
    body = response.content.decode()
    row = row_html(response, "STK-2016-7")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; mer" in row
    assert "Nämnden &lt;b&gt;för&lt;/b&gt; &amp; &quot;fritid&quot;" in row
    assert "5. Trygghet &lt;i&gt;och&lt;/i&gt; &#x27;delaktighet&#x27;" in row
    assert "<script>alert" not in body and "<b>för" not in body and "<i>och" not in body
    # The filters name the same unit and area as options, as text.
    assert f'<option value="{unit.pk}">Nämnden &lt;b&gt;för&lt;/b&gt; &amp; &quot;fritid&quot;' \
        '</option>' in body
    assert f'<option value="{area.pk}">5. Trygghet &lt;i&gt;och&lt;/i&gt; ' \
        '&#x27;delaktighet&#x27;</option>' in body


@pytest.mark.parametrize("params", [{}, {"per": "2016-12-31"}])
def test_each_row_links_to_the_detail_page_of_its_own_assignment(staff_client, demo, params):
    response = staff_client.get(URL, params)
    rows = ROW.findall(response.content.decode())
    assert len(rows) == 31
    for _overdue, link, reference, _rest in rows:
        address, _, query = html.unescape(link).partition("?")
        found = resolve(address)
        assert found.view_name == "assignments:detail"
        assert Assignment.objects.get(pk=found.kwargs["pk"]).reference == reference
        assert query == ("per=2016-12-31" if params else "")


def test_a_year_only_deadline_reads_during_that_year(staff_client, register):
    response = staff_client.get(URL)
    assert "under 2015" in row_html(response, "STK-2014-101")


def test_overdue_rows_are_marked_in_words_not_only_by_colour(staff_client, register):
    response = staff_client.get(URL)
    overdue = row_html(response, "STK-2014-101")
    assert overdue.startswith('<tr class="overdue">')
    assert '<span class="flag-overdue">Försenad</span>' in overdue
    for on_time in ("STK-2015-102", "STK-2014-103"):  # a later deadline; closed
        assert "Försenad" not in row_html(response, on_time)


def test_the_counts_per_status_follow_the_filter(staff_client, register):
    response = staff_client.get(URL, {"enhet": register["school"]})
    assert shown_count(response) == 2
    assert "pågående 1 lägesrapport 0 avslutad 1" in visible_text(response)


# Filters


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"status": "pagaende"}, ["STK-2014-101"]),
        ({"status": "lagesrapport"}, ["STK-2015-102"]),
        ({"status": "avslutad"}, ["STK-2014-103"]),
        ({"enhet": "{school}"}, ["STK-2014-101", "STK-2014-103"]),
        ({"omrade": "{housing}"}, ["STK-2014-103", "STK-2015-102"]),
        ({"beslutsar": "2015"}, ["STK-2015-102"]),
        ({"avslutsar": "2030"}, ["STK-2015-102"]),
        ({"forsenade": "ja"}, ["STK-2014-101"]),
        ({"utan_rapport": "3"}, ["STK-2014-101"]),
        ({"utan_rapport": "12"}, []),
        ({"enhet": "{school}", "status": "avslutad"}, ["STK-2014-103"]),
    ],
)
def test_each_filter_narrows_the_rows(staff_client, register, query, expected):
    params = {name: value.format(**register) for name, value in query.items()}
    response = staff_client.get(URL, params)
    assert listed(response) == expected
    assert shown_count(response) == len(expected)


def test_an_assignment_given_within_the_months_is_not_yet_without_a_report(staff_client, db):
    make_assignment(reference="STK-2014-1", decided_on=months_before(timezone.localdate(), 4))
    make_assignment(reference="STK-2014-2", decided_on=months_before(timezone.localdate(), 2))
    assert listed(staff_client.get(URL, {"utan_rapport": "3"})) == ["STK-2014-1"]


def test_an_empty_result_says_so(staff_client, register):
    response = staff_client.get(URL, {"avslutsar": "2040"})
    assert shown_count(response) == 0
    assert "Inga uppdrag matchar filtren." in visible_text(response)


@pytest.mark.parametrize(
    "query, field, message",
    [
        ({"beslutsar": "tjugo"}, "beslutsar", "Fyll i ett heltal."),
        (
            {"status": "okand"},
            "status",
            "Välj ett giltigt alternativ. okand finns inte bland tillgängliga alternativ.",
        ),
        (
            {"enhet": "999999"},
            "enhet",
            "Välj ett giltigt alternativ. Det valet finns inte bland tillgängliga alternativ.",
        ),
        (
            {"utan_rapport": "0"},
            "utan_rapport",
            "Kontrollera att detta värde är större än eller lika med 1.",
        ),
        (
            {"sortering": "hemligt"},
            "sortering",
            "Välj ett giltigt alternativ. hemligt finns inte bland tillgängliga alternativ.",
        ),
    ],
)
def test_an_invalid_filter_value_shows_a_swedish_error_next_to_its_field(
    staff_client, register, query, field, message
):
    response = staff_client.get(URL, query)
    assert response.status_code == 200
    page = response.content.decode()
    error_list = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', page, re.S)
    assert error_list and message in html.unescape(error_list[1])
    assert "Ett filtervärde kunde inte läsas och används inte." in visible_text(response)
    # The other filters still apply: the user does not get an unexplained empty list.
    assert listed(response) == ["STK-2014-101", "STK-2014-103", "STK-2015-102"]


# Search


def test_swedish_search_finds_an_inflected_word(staff_client, register):
    response = staff_client.get(URL, {"q": "barnens"})
    assert listed(response) == ["STK-2014-101"]  # "Stöd till barn i förskolan"


def test_search_ignores_case_in_swedish_letters(staff_client, register):
    make_assignment(reference="STK-2016-104", title="Översyn av folkhälsopolicyn")
    assert listed(staff_client.get(URL, {"q": "översyn"})) == ["STK-2016-104"]
    assert listed(staff_client.get(URL, {"q": "ÖVERSYN"})) == ["STK-2016-104"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("barn förskolan", ["STK-2014-101"]),  # every word must match
        ("barn polisen", []),
        ("barn och förskolan", ["STK-2014-101"]),  # "och" is a stop word: not looked for
        ("och", []),  # nothing but stop words finds nothing
        ("förskolan or skolvägar", ["STK-2014-101", "STK-2015-102"]),
        ("-polisen", ["STK-2014-101", "STK-2014-103"]),
        ('"barn i förskolan"', ["STK-2014-101"]),
        ('"förskolan barn"', []),  # a phrase keeps its order
        ("läxhjälpen", ["STK-2014-103"]),  # "läxhjälp" in the title
    ],
)
def test_search_reads_the_words_as_the_database_search_does(
    staff_client, register, text, expected
):
    assert listed(staff_client.get(URL, {"q": text})) == expected


def test_search_finds_a_diarienummer(staff_client, register):
    assert listed(staff_client.get(URL, {"q": "STK-2015-102"})) == ["STK-2015-102"]


def test_search_finds_part_of_a_diarienummer(staff_client, register):
    assert listed(staff_client.get(URL, {"q": "2015-102"})) == ["STK-2015-102"]


@pytest.mark.postgresql_only("compares with PostgreSQL's own Swedish stemmer and stop words")
def test_sqlite_stems_the_demo_words_as_postgresql_does(demo):
    texts = Assignment.objects.values_list("title", "description")
    words = {word for text in texts for word in re.findall(r"[^\W\d_]+", " ".join(text).lower())}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word, ts_lexize('swedish_stem', word) FROM unnest(%s::text[]) AS word",
            [sorted(words)],
        )
        postgresql = {word: lexemes[0] if lexemes else None for word, lexemes in cursor}
    ours = {word: next((stem for _, stem in lexemes(word)), None) for word in words}
    assert len(words) > 100
    assert ours == postgresql


@pytest.mark.postgresql_only("the GIN index and its query plan exist on PostgreSQL only")
def test_a_word_search_uses_the_swedish_index(register):
    with connection.cursor() as cursor:
        # 3 rows: make the planner show its hand. A GIN index is read by a bitmap scan
        # only; with plain index scans off too, another index walked whole in order
        # (the overview's, say) is no way round the search condition.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_indexonlyscan = off")
        plan = Assignment.objects.search("barnens").explain()
    assert SEARCH_INDEX in plan


def test_an_edited_title_is_searched_at_once_and_the_old_words_no_longer(staff_client, register):
    """The stored search document follows every save: no rebuild, no stale matches."""
    assignment = Assignment.objects.get(reference="STK-2014-103")
    response = staff_client.post(
        url("edit", assignment), edit_data(assignment, title="Läsfrämjande i skolbiblioteken")
    )
    assert response.status_code == 302
    assert listed(staff_client.get(URL, {"q": "skolbibliotek"})) == ["STK-2014-103"]
    assert listed(staff_client.get(URL, {"q": "läxhjälpen"})) == []


def test_search_looks_in_the_description(staff_client, register):
    assert listed(staff_client.get(URL, {"q": "polisen"})) == ["STK-2015-102"]


def test_search_syntax_characters_do_not_break_the_page(staff_client, register):
    response = staff_client.get(URL, {"q": "\"barn OR -(!&|:*"})
    assert response.status_code == 200


# Sorting


@pytest.mark.parametrize(
    "sorting, expected",
    [
        ("-diarienummer", ["STK-2015-102", "STK-2014-103", "STK-2014-101"]),
        ("titel", ["STK-2014-103", "STK-2014-101", "STK-2015-102"]),
        ("status", ["STK-2014-103", "STK-2015-102", "STK-2014-101"]),
        # Equal units keep a stable order by the unique id underneath.
        ("-enhet", ["STK-2015-102", "STK-2014-101", "STK-2014-103"]),
        ("-planerat_avslut", ["STK-2015-102", "STK-2014-101", "STK-2014-103"]),
    ],
)
def test_sorting_orders_the_rows(staff_client, register, sorting, expected):
    assert listed(staff_client.get(URL, {"sortering": sorting})) == expected


@pytest.mark.parametrize(
    "sorting, expected",
    [
        ("planerat_avslut", ["STK-2014-2", "STK-2014-3", "STK-2014-1"]),
        ("-planerat_avslut", ["STK-2014-3", "STK-2014-2", "STK-2014-1"]),
    ],
)
def test_assignments_without_a_deadline_sort_last_either_way(staff_client, db, sorting, expected):
    make_assignment(reference="STK-2014-1", planned_completion=None)
    make_assignment(reference="STK-2014-2", planned_completion=date(2016, 6, 30))
    make_assignment(reference="STK-2014-3", planned_completion=date(2017, 6, 30))
    assert listed(staff_client.get(URL, {"sortering": sorting})) == expected


def test_the_sorted_column_header_reverses_and_keeps_the_filters(staff_client, register):
    response = staff_client.get(URL, {"status": "pagaende", "sortering": "titel", "sida": "1"})
    page = html.unescape(response.content.decode())
    assert (
        '<th scope="col" aria-sort="ascending"><a href="?status=pagaende&sortering=-titel">'
        in page
    )
    assert '<a href="?status=pagaende&sortering=enhet">' in page


# Pages


def test_pages_hold_50_rows_and_the_next_page_keeps_the_filters(staff_client, db):
    make_assignments(51)
    make_closed_assignment(title="Stängt uppdrag")
    first = staff_client.get(URL, {"status": "pagaende"})
    assert len(listed(first)) == 50
    assert shown_count(first) == 51
    next_link = re.search(r'<a href="([^"]+)" rel="next">', first.content.decode())[1]
    next_link = html.unescape(next_link)
    assert next_link == "?status=pagaende&sida=2"
    second = staff_client.get(URL + next_link)
    assert len(listed(second)) == 1
    assert "Sida 2 av 2" in visible_text(second)


# As of a past date


def test_as_of_end_of_2016_the_demo_register_shows_19_closed_8_reported_4_ongoing(
    staff_client, demo
):
    response = staff_client.get(URL, {"per": "2016-12-31"})
    text = visible_text(response)
    assert shown_count(response) == 31
    assert "pågående 4 lägesrapport 8 avslutad 19" in text
    assert "Historiskt läge: sidan visar registret som det såg ut vid slutet av 2016-12-31." in text
    assert len(listed(response)) == 31


def test_as_of_links_to_details_stay_in_the_past(staff_client, demo):
    response = staff_client.get(URL, {"per": "2016-12-31"})
    links = [match[1] for match in ROW.findall(response.content.decode())]
    assert links and all(re.fullmatch(r"/uppdrag/\d+/\?per=2016-12-31", link) for link in links)
    assert '<input type="hidden" name="per" value="2016-12-31">' in response.content.decode()


def test_as_of_the_filters_apply_to_the_past_state(staff_client, demo):
    reported = staff_client.get(URL, {"per": "2016-12-31", "status": "lagesrapport"})
    assert len(listed(reported)) == 8
    # At the end of 2016 only the four ongoing had no report in the last year; the
    # reports they got in 2017 did not exist yet.
    stale = staff_client.get(URL, {"per": "2016-12-31", "utan_rapport": "12"})
    assert "pågående 4 lägesrapport 0 avslutad 0" in visible_text(stale)
    found = visible_text(staff_client.get(URL, {"per": "2016-12-31", "q": "barnens"}))
    assert "Förbättra möjligheterna för barn och unga i Malmö" in found
    assert "Översyn av befintliga samarbetsstrukturer för barns hälsa" in found


def test_as_of_a_later_reorganisation_is_not_yet_visible(staff_client, demo):
    response = staff_client.get(URL, {"per": "2016-12-31"})
    rows = " ".join(row_html(response, reference) for reference in listed(response))
    assert "Stadsområdesnämnd Norr" in rows
    assert "Vård- och omsorgsnämnden" not in rows


@pytest.mark.parametrize("written", ["2016-W52-6", "20161231", "2000010100", "２０１６-12-31"])
def test_only_a_date_written_2016_12_31_is_read_as_one(staff_client, register, written):
    """Python alone would read 20161231 or even 2000010100 as a day of the register's era."""
    response = staff_client.get(URL, {"per": written})
    assert response.status_code == 200
    assert f"”{written}” är inget datum. Skriv det som 2016-12-31." in visible_text(response)


def test_a_malformed_as_of_date_is_explained_and_today_is_shown(staff_client, register):
    response = staff_client.get(URL, {"per": "31/12/2016"})
    assert response.status_code == 200
    text = visible_text(response)
    assert "”31/12/2016” är inget datum. Skriv det som 2016-12-31." in text
    assert "Historiskt läge" not in text
    assert listed(response) == ["STK-2014-101", "STK-2014-103", "STK-2015-102"]


# Queries


def registered_in_2015(serials):
    """An ongoing assignment per serial, each with its own unit, whose history starts in 2015."""
    for serial in serials:
        make_assignment(
            reference=f"STK-2015-{serial + 1}",
            title=f"Uppdrag {serial + 1}",
            area=make_area(serial % 6 + 1),
            decided_on=date(2015, 1, 15),
            at=moment(date(2015, 1, 15)),
        )


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"status": "pagaende", "beslutsar": "2015", "sortering": "enhet"},
        {"q": "uppdrag"},
        {"per": "2016-12-31", "forsenade": "ja"},
    ],
    ids=["all", "filtered and sorted", "search", "as of a past day"],
)
def test_the_list_makes_as_many_queries_for_50_rows_as_for_5(staff_client, params):
    response = assert_queries_do_not_grow(
        lambda: staff_client.get(URL, params), registered_in_2015
    )
    assert len(listed(response)) == 50
    assert shown_count(response) == 50
