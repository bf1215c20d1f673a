"""The admin's history pages tell every version as the register's timeline does, in Swedish."""

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib import admin

from assignments.admin import RecordAdmin
from budget.models import AccountClass, BudgetRow
from tests.factories import ks_treatment, make_assignment, make_status_report
from tests.foundation.test_admin import (
    REGISTERED,
    admin_url,
    one_of_each,  # noqa: F401 – a fixture
)
from tests.query_counts import assert_queries_do_not_grow

RECORD_ADMINS = [
    model for model in REGISTERED if isinstance(admin.site._registry[model], RecordAdmin)
]


@pytest.fixture
def reported(handlaggare):
    """An assignment given a status report by KS and a moved deadline, by a case officer."""
    assignment = make_assignment()
    report = make_status_report(assignment, text="Pågår.")
    assignment.report_status(ks_treatment(), user=handlaggare, report=report)
    assignment.move_deadline(date(2017, 12, 31), is_year=True, user=handlaggare, reason="Utvidgat")
    return assignment


def history_page(client, record, **headers):
    response = client.get(admin_url(type(record), "history", record.pk), **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_a_status_change_reads_as_labels_with_the_case_officers_name(admin_page, reported):
    page = history_page(admin_page, reported)

    assert "Status: pågående → lägesrapport" in page
    assert "Behandling bakom statusen: – → KS 2016-11-02 § 312" in page
    assert "Planerat avslut: 2015-12-31 → under 2017" in page
    assert "Handlaggaren Test" in page


def test_no_raw_value_or_missing_object_is_shown(admin_page, reported):
    page = history_page(admin_page, reported)

    assert "pk=None" not in page
    assert "Deleted" not in page
    assert "pagaende" not in page and "lagesrapport" not in page
    assert "None" not in page


def test_the_headings_are_in_swedish(admin_page, reported):
    page = history_page(admin_page, reported)

    assert f"Historik för {reported}" in page
    for heading in ["Datum och tid", "Händelse", "Ändrad av", "Motivering", "Förändringar"]:
        assert f'<th scope="col">{heading}</th>' in page
    assert "Registrerat" in page and "Ändrat" in page
    assert "HISTORY_USER_NAME" not in page and "history_user_name" not in page
    assert "View history" not in page


def test_the_page_is_in_english_when_english_is_chosen(admin_page, reported):
    admin_page.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = history_page(admin_page, reported)

    assert f"History of {reported}" in page
    assert "Status: ongoing → status report" in page
    assert "Treatment behind the status: – → KS 2016-11-02 § 312" in page
    assert '<th scope="col">Changed by</th>' in page


def test_a_budget_row_shows_amounts_and_what_it_funds(admin_page, handlaggare):
    funded = make_assignment()
    row = BudgetRow(year=2016, name="Projekt och utredningar", account_class=AccountClass.COSTS,
                    budget=Decimal(64000000))
    row.attribute(handlaggare, "Registrerad")
    row.save()
    row.attribute(handlaggare, "Utfallet känt")
    row.outcome = Decimal("63500000.50")
    row.save()
    row.attribute(handlaggare, "Finansierar uppdraget")
    row.assignments.add(funded)

    page = history_page(admin_page, row)

    assert "Utfall (kr): – → 63 500 000,50" in page
    assert f"Uppdrag: – → {funded}" in page
    assert "Utfallet känt" in page and "Handlaggaren Test" in page
    assert "pk=None" not in page and "None" not in page


@pytest.mark.parametrize(
    "model",
    RECORD_ADMINS,
    ids=lambda model: model._meta.label,
)
def test_every_record_admin_tells_its_history_in_swedish(
    admin_page, one_of_each, model  # noqa: F811
):
    record = model.objects.order_by("pk").first()

    page = history_page(admin_page, record)

    assert f"Historik för {record}" in page
    assert '<th scope="col">Ändrad av</th>' in page
    assert "pk=None" not in page and "None" not in page


def test_the_query_count_is_the_same_with_5_and_50_versions(admin_page, handlaggare):
    assignment = make_assignment()

    def retitle(serials):
        for number in serials:
            assignment.title = f"Titel {number}"
            assignment.save_tracked(user=handlaggare, reason="Rättad titel")

    # The first version is the assignment's registration.
    page = assert_queries_do_not_grow(
        lambda: history_page(admin_page, assignment), retitle, few=4, many=49
    )
    assert "50 versioner" in page


def test_the_oldest_version_on_a_page_is_compared_with_the_next_page(
    admin_page, handlaggare
):
    assignment = make_assignment(title="Titel 0")
    for number in range(1, RecordAdmin.history_list_per_page + 1):
        assignment.title = f"Titel {number}"
        assignment.save_tracked(user=handlaggare, reason="Rättad titel")

    page = history_page(admin_page, assignment)

    # The first page holds the 100 changes; the registration is on the second.
    assert "Titel: Titel 0 → Titel 1</li>" in page
    assert "Titel: Titel 99 → Titel 100</li>" in page
