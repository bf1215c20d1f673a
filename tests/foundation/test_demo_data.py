"""The demo register reproduces the 2016 annual report and loads idempotently."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import Max, Min
from django.urls import reverse

from assignments.models import Assignment, CommissionArea, DeadlineChange, Unit
from assignments.querysets import count_by_status
from assignments.selectors import end_of_day, register_at
from budget.models import BudgetRow
from budget.selectors import net_cost_change
from demo.register import REORGANISATION
from malmo_ks.history import ActorHistory, command_label


def test_as_of_end_of_2016_it_counts_19_closed_8_reported_4_ongoing(demo):
    assert count_by_status(register_at(date(2016, 12, 31))) == {
        "avslutad": 19,
        "lagesrapport": 8,
        "pagaende": 4,
    }


def test_net_cost_rises_61_mkr_or_11_9_percent_from_2015_to_2016(demo):
    change = net_cost_change(2016)
    assert change.previous == Decimal(512000000)
    assert change.net_cost == Decimal(573000000)
    assert change.change == Decimal(61000000)
    assert round(change.percent, 1) == Decimal("11.9")


def _row_counts():
    """Rows in every table of the register, its history tables and the accounts."""
    tables = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in {"assignments", "budget", "auth"}
    ]
    return {model._meta.label: model._default_manager.count() for model in tables}


def _assignment_states():
    return list(Assignment.objects.order_by("pk").values_list("reference", "status", "version"))


def test_loading_twice_leaves_the_same_data(demo):
    counts, states = _row_counts(), _assignment_states()
    output = io.StringIO()

    call_command("load_demo", stdout=output)

    assert "already loaded" in output.getvalue()
    assert _row_counts() == counts
    assert _assignment_states() == states


def test_the_demo_register_holds_31_assignments_with_the_real_titles(demo):
    titles = set(Assignment.objects.values_list("title", flat=True))

    assert len(titles) == 31
    assert "Översyn och eventuell revidering av Malmö stads folkhälsopolicy" in titles
    assert "Tillskriva regeringen gällande riksnormen för försörjningsstödet" in titles
    assert sum(title.startswith("Fiktivt demouppdrag") for title in titles) == 15


@pytest.mark.parametrize(
    "username, group, staff",
    [
        ("handlaggare", "Handläggare", False),
        ("politiker", "Förtroendevald", False),
        ("admin", "Administratör", True),
    ],
)
def test_it_creates_demo_users_with_password_demo_in_their_groups(demo, username, group, staff):
    user = authenticate(username=username, password="demo")

    assert user is not None
    assert list(user.groups.values_list("name", flat=True)) == [group]
    assert user.is_staff is staff
    assert not user.is_superuser


def test_the_demo_administrator_can_log_in_to_the_admin(demo, client):
    assert client.login(username="admin", password="demo")

    assert client.get(reverse("admin:index")).status_code == 200


def test_today_the_counts_differ_from_the_end_of_2016(demo):
    assert count_by_status(register_at()) == {"avslutad": 24, "lagesrapport": 5, "pagaende": 2}
    assert count_by_status(register_at(date(2016, 12, 31))) != count_by_status(register_at())


def test_at_the_start_the_31_assignments_were_all_ongoing(demo):
    assert count_by_status(register_at(date(2014, 3, 31))) == {"avslutad": 0, "lagesrapport": 0, "pagaende": 31}


def test_history_is_dated_as_it_happened_from_2014_to_2017(demo):
    dates = Assignment.history.aggregate(first=Min("history_date"), last=Max("history_date"))

    assert dates["first"].date() == date(2014, 3, 12)
    assert dates["last"].year == 2017


def test_an_assignment_moved_units_at_the_2017_reorganisation(demo):
    moved = Assignment.objects.filter(responsible_unit__valid_from=REORGANISATION)
    assert moved.exists()

    for assignment in moved.select_related("responsible_unit"):
        before = assignment.history.as_of(end_of_day(date(2017, 4, 30)) - timedelta(microseconds=1))
        old_unit = Unit.objects.get(pk=before.responsible_unit_id)
        assert old_unit.valid_to == date(2017, 4, 30)
        assert old_unit.replaced_by == assignment.responsible_unit
        move = assignment.history.filter(history_date__date=REORGANISATION).get()
        assert move.history_change_reason == (
            f"Omorganisation 2017-05-01: ansvaret övergick från {old_unit.name}."
        )


def test_closed_assignments_stay_with_the_unit_that_closed_them(demo):
    closed_by_old_units = Assignment.objects.filter(
        status=Assignment.Status.CLOSED, responsible_unit__valid_to=date(2017, 4, 30)
    )

    assert closed_by_old_units.exists()


def test_demo_records_without_a_person_are_attributed_to_the_command(demo):
    label = command_label("load_demo")

    for model in (Unit, CommissionArea, BudgetRow):
        names = set(model.history.values_list("history_user_name", flat=True))
        assert names == {label}, model


def test_every_history_record_names_who_made_it(demo):
    history_models = [model for model in apps.get_models() if issubclass(model, ActorHistory)]
    assert len(history_models) == 8

    for model in history_models:
        assert not model.objects.filter(history_user_name="").exists(), model


def test_closed_development_processes_name_their_follow_up_owner(demo):
    processes = Assignment.objects.filter(outcome=Assignment.Outcome.DEVELOPMENT_PROCESS)

    assert processes.exists()
    assert not processes.filter(follow_up_owner__isnull=True).exists()


def test_every_deadline_move_keeps_the_earlier_date_and_a_reason(demo):
    moves = DeadlineChange.objects.all()

    assert moves.exists()
    assert not moves.filter(reason="").exists()
    assert not moves.filter(previous_date__isnull=True).exists()


def test_the_four_rows_of_the_annual_report_explain_the_rise(demo):
    def net(year):
        rows = BudgetRow.objects.filter(year=year)
        return sum(row.outcome for row in rows.costs()) - sum(row.outcome for row in rows.income())

    named = [
        "Stimulans- och omstruktureringsmedel",
        "Nytt ekonomisystem",
        "Hyra tidigare konserthuset",
        "Kommungemensamma IT-kostnader",
    ]
    rise = {
        name: BudgetRow.objects.get(year=2016, name=name).outcome
        - BudgetRow.objects.get(year=2015, name=name).outcome
        for name in named
    }

    assert net(2016) - net(2015) == Decimal(61000000)
    assert sum(rise.values()) == Decimal(61000000)
    assert all(change > 0 for change in rise.values())
