"""Budget rows from a file: the budget export's header, Swedish amounts, history and no-op re-import."""

from decimal import Decimal

import pytest

from budget.models import BudgetRow
from tests.imports.files import (
    BUDGET_HEADER,
    confirm,
    csv_file,
    force_confirm,
    register_state,
    text,
    upload,
    xlsx_file,
)

pytestmark = pytest.mark.django_db

ROWS = [
    [2016, "Nytt ekonomisystem", "6 Övriga verksamhetskostnader", "20 000 000", "22 000 000,50"],
    [2016, "Hyra tidigare konserthuset", "7", "15000000", ""],
]


def test_budget_rows_are_previewed_imported_with_history_and_reimported_as_a_no_op(
    importer, administrator
):
    preview = upload(importer, csv_file(ROWS, header=BUDGET_HEADER, name="budget.csv"))
    page = text(preview)
    assert "Budgetrader" in page and "2 nya rader" in page
    assert "2 2016 Nytt ekonomisystem Skapas" in page
    assert "Utfall (kr): 22 000 000,50 kr" in page
    assert "Kontoklass: 7 Övriga verksamhetskostnader" in page

    done = confirm(importer, preview)
    assert done.redirect_chain[-1][0] == "/budget/"
    row = BudgetRow.objects.get(year=2016, name="Nytt ekonomisystem")
    assert (row.account_class, row.budget, row.outcome) == (
        6, Decimal(20000000), Decimal("22000000.50")
    )
    assert BudgetRow.objects.get(name="Hyra tidigare konserthuset").outcome is None
    record = row.history.get()
    assert record.history_user == administrator
    assert record.history_change_reason == "Import från budget.csv"

    after = register_state()
    again = upload(importer, csv_file(ROWS, header=BUDGET_HEADER, name="budget.csv"))
    assert "2 oförändrade rader" in text(again)
    force_confirm(importer, again)
    assert register_state() == after


def test_a_changed_amount_shows_old_and_new(importer):
    confirm(importer, upload(importer, xlsx_file(ROWS, header=BUDGET_HEADER)))
    changed = [ROWS[0][:4] + ["23 000 000"], ROWS[1]]
    preview = upload(importer, xlsx_file(changed, header=BUDGET_HEADER))
    assert "Utfall (kr): 22 000 000,50 kr → 23 000 000,00 kr" in text(preview)
    confirm(importer, preview)
    row = BudgetRow.objects.get(name="Nytt ekonomisystem")
    assert row.outcome == Decimal(23000000)
    assert row.history.count() == 2


@pytest.mark.parametrize(
    "row, message",
    [
        ([2016, "Reserv", "6", "-5 000", ""],
         ("Rad 2, kolumn ”budget”: ”-5 000” är negativt. Belopp är aldrig negativa; intäkter "
         "skiljs ut med kontoklass 3.")),
        ([2016, "Reserv", "9", "5 000", ""],
         "Rad 2, kolumn ”kontoklass”: Okänd kontoklass ”9”; använd 3 till 8 (Kommun-Bas)."),
        ([2016, "Reserv", "6", "fem tusen", ""],
         "Rad 2, kolumn ”budget”: ”fem tusen” är inget belopp i kronor som 1 234 567,50."),
        (["tjugosexton", "Reserv", "6", "5000", ""],
         "Rad 2, kolumn ”år”: ”tjugosexton” är inget år."),
        ([1999, "Reserv", "6", "5000", ""],
         "Rad 2, kolumn ”år”: Kontrollera att detta värde är större än eller lika med 2000."),
    ],
    ids=["negative amount", "unknown account class", "not an amount", "not a year", "too early"],
)
def test_a_bad_budget_row_is_refused_by_row_and_column(importer, row, message):
    before = register_state()
    preview = upload(importer, csv_file([row], header=BUDGET_HEADER))
    assert message in text(preview)
    force_confirm(importer, preview)
    assert register_state() == before


def test_a_budget_row_twice_in_the_file_is_refused(importer):
    preview = upload(importer, csv_file([ROWS[0], ROWS[0]], header=BUDGET_HEADER))
    assert (
        "Rad 3, kolumn ”namn”: Budgetraden 2016 Nytt ekonomisystem finns också på rad 2; "
        "varje budgetrad får bara finnas en gång i filen."
    ) in text(preview)


def test_the_done_message_counts_one_budget_row_in_the_singular(importer):
    confirm(importer, upload(importer, csv_file(ROWS[:1], header=BUDGET_HEADER, name="b.csv")))
    changed = [ROWS[0][:4] + ["23 000 000"], ROWS[1]]
    preview = upload(importer, csv_file(changed, header=BUDGET_HEADER, name="b.csv"))
    done = confirm(importer, preview)
    # "budgetrad" is common gender: one new, one changed; none unchanged is plural.
    assert "b.csv har importerats: 1 ny, 1 ändrad, 0 oförändrade." in text(done)
