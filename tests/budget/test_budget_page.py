"""The budget page (`/budget/`): a year's rows against outcome, and KS net cost over the years."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from budget.models import AccountClass, BudgetRow
from tests.factories import make_assignment, set_up
from tests.query_counts import assert_queries_do_not_grow
from tests.register.reading import body_rows

URL = reverse("budget:index")
MKR = Decimal("1000000")


def section(html, heading_id):
    """The HTML of the section labelled by `heading_id`."""
    start = html.index(f'aria-labelledby="{heading_id}"')
    return html[start:html.index("</section>", start)]


def make_row(year=2016, name="Projekt och utredningar", budget=10, outcome=9, assignments=(),
             account_class=4):
    """A budget row in Mkr, funding `assignments`."""
    row = BudgetRow(year=year, name=name, account_class=account_class,
                    budget=budget * MKR, outcome=None if outcome is None else outcome * MKR)
    with set_up():
        row.save_tracked(user=None, assignments=assignments)
    return row


def test_2016_shows_the_net_cost_rising_61_mkr_or_11_9_percent(client, politiker, demo):
    client.force_login(politiker)
    html = client.get(URL, {"ar": "2016"}).content.decode()
    net_cost = section(html, "net-cost-heading")
    assert "Nettokostnad (utfall för kostnader minus intäkter): 573,0 Mkr." in net_cost
    assert "Den ökade med 61,0 Mkr (11,9 %) jämfört med 2015." in net_cost


def test_2016_shows_the_four_explaining_rows_as_the_largest_changes(client, politiker, demo):
    client.force_login(politiker)
    html = client.get(URL, {"ar": "2016"}).content.decode()
    changes = section(html, "changes-heading")
    # The demo's outcomes (demo.budget): net cost 2015, 2016 and the change.
    assert body_rows(changes) == [
        ["Stimulans- och omstruktureringsmedel", "35,0 Mkr", "63,0 Mkr", "28,0 Mkr"],
        ["Nytt ekonomisystem", "8,0 Mkr", "22,0 Mkr", "14,0 Mkr"],
        ["Hyra tidigare konserthuset", "4,0 Mkr", "15,0 Mkr", "11,0 Mkr"],
        ["Kommungemensamma IT-kostnader", "58,0 Mkr", "66,0 Mkr", "8,0 Mkr"],
        ["Summa", "", "", "61,0 Mkr"],
    ]


def test_each_row_shows_budget_outcome_and_deviation_and_what_it_funds(client, politiker, demo):
    client.force_login(politiker)
    html = client.get(URL, {"ar": "2016"}).content.decode()
    rows = section(html, "rows-heading")
    stimulans = rows[rows.index("Stimulans- och omstruktureringsmedel"):]
    stimulans = stimulans[:stimulans.index("</tr>")]
    assert "65,0 Mkr" in stimulans
    assert "63,0 Mkr" in stimulans
    assert "−2,0 Mkr" in stimulans
    assert "−3,1 %" in stimulans
    row = BudgetRow.objects.get(year=2016, name="Stimulans- och omstruktureringsmedel")
    for assignment in row.assignments.all():
        assert f'href="/uppdrag/{assignment.pk}/"' in stimulans


def test_each_funded_assignment_shows_its_share_of_its_rows(client, politiker, demo):
    client.force_login(politiker)
    html = client.get(URL, {"ar": "2016"}).content.decode()
    sums = section(html, "assignments-heading")
    # Demo assignment STK-2014-209 draws on two rows in 2016: Sociala
    # investeringsfonder (30 Mkr, shared by 5) and Stimulans- och
    # omstruktureringsmedel (65 Mkr budget, 63 Mkr outcome, shared by 3).
    line = sums[sums.index("STK-2014-209"):]
    line = line[:line.index("</tr>")]
    assert "Sociala investeringsfonder: 30,0 Mkr, delas med 4 andra uppdrag" in line
    assert "Stimulans- och omstruktureringsmedel: 65,0 Mkr, delas med 2 andra uppdrag" in line
    assert "27,7 Mkr" in line  # budget: 30 / 5 + 65 / 3
    assert "27,0 Mkr" in line  # outcome: 30 / 5 + 63 / 3


def test_the_net_cost_of_every_year_is_listed_with_its_change(client, politiker, demo):
    client.force_login(politiker)
    years = section(client.get(URL, {"ar": "2016"}).content.decode(), "years-heading")
    assert "573,0 Mkr" in years and "512,0 Mkr" in years
    assert "11,9 %" in years
    no_year_before = '<td class="number">–</td><td class="number">–</td>'
    assert no_year_before in years  # 2015 has no 2014 to compare with


def test_without_a_year_it_shows_the_latest_year_with_rows(client, politiker, demo):
    client.force_login(politiker)
    assert "<h1>Budget 2016</h1>" in client.get(URL).content.decode()


def test_a_year_without_rows_says_so_and_shows_zeros(client, politiker, demo):
    client.force_login(politiker)
    response = client.get(URL, {"ar": "2019"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Budget 2019</h1>" in html
    assert "Det finns inga budgetrader för 2019 ännu." in html
    assert "0,0 Mkr" in section(html, "net-cost-heading")


def test_an_empty_database_renders_with_zeros_and_says_there_is_nothing_yet(client, politiker):
    client.force_login(politiker)
    html = client.get(URL).content.decode()
    year = timezone.localdate().year
    assert f"<h1>Budget {year}</h1>" in html
    assert f"Det finns inga budgetrader för {year} ännu." in html
    assert "Inget år har budgetrader ännu." in html
    assert "0,0 Mkr" in html


def test_a_malformed_year_is_a_message_not_an_error(client, politiker, demo):
    client.force_login(politiker)
    response = client.get(URL, {"ar": "tjugosexton"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "”tjugosexton” är inget år som budgeten kan visa; visar 2016." in html
    assert "Fyll i ett heltal." in html


def test_income_lowers_the_net_cost(client, politiker):
    make_row(2016, "Kostnader", budget=10, outcome=12)
    make_row(2016, "Intäkter", budget=3, outcome=4, account_class=AccountClass.INCOME)
    client.force_login(politiker)
    html = client.get(URL, {"ar": "2016"}).content.decode()
    assert "Nettokostnad (utfall för kostnader minus intäkter): 8,0 Mkr." in html
    assert "Det finns ingen nettokostnad för 2015 att jämföra med." in html


@pytest.mark.parametrize("user_fixture", ["politiker", "handlaggare", "administrator"])
def test_every_role_sees_the_budget(client, db, request, user_fixture):
    make_row()
    user = request.getfixturevalue(user_fixture)
    client.force_login(user)
    html = client.get(URL, {"ar": "2016"}).content.decode()
    assert "Projekt och utredningar" in html
    can_write = user_fixture != "politiker"
    assert ("Lägg till en budgetrad" in html) is can_write
    assert ('href="/budget/rader/' in html) is can_write


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_query_count_is_the_same_with_5_and_50_rows(client, handlaggare):
    assignments = [make_assignment() for _ in range(3)]

    def add_rows(serials):
        for number in serials:
            make_row(2016, f"Rad {number}", assignments=assignments)
            make_row(2015, f"Rad {number}")

    client.force_login(handlaggare)
    response = assert_queries_do_not_grow(lambda: client.get(URL, {"ar": "2016"}), add_rows)
    assert "Rad 49" in response.content.decode()
