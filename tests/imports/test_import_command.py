"""`manage.py import_register`: the same import from a shell, a preview unless --commit."""

import io

import pytest
from django.core.management import CommandError, call_command

from assignments.models import Assignment
from malmo_ks.history import command_label
from tests.imports.files import assignment_row, csv_bytes, register_state

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("import_register", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def good_file(tmp_path, register):
    path = tmp_path / "uppdrag.csv"
    path.write_bytes(csv_bytes([assignment_row("STK-2014-501"), assignment_row("STK-2014-502")]))
    return path


@pytest.mark.parametrize("flags", [[], ["--dry-run"]], ids=["default", "--dry-run"])
def test_without_commit_the_command_prints_the_preview_and_writes_nothing(good_file, flags):
    before = register_state()
    output = run(str(good_file), *flags)
    assert "Rad 2: STK-2014-501 – Skapas" in output
    assert "  Titel: – → Importerat uppdrag STK-2014-501" in output
    assert "Bara förhandsgranskning: inget har skrivits. Kör med --commit för att importera." in (
        output
    )
    assert register_state() == before


def test_with_commit_the_rows_are_written_in_the_commands_name(good_file):
    output = run(str(good_file), "--commit")
    assert "uppdrag.csv har importerats: 2 nya, 0 ändrade, 0 oförändrade." in output
    record = Assignment.history.get(reference="STK-2014-501")
    assert record.history_user is None
    assert record.history_user_name == command_label("import_register")
    assert record.history_change_reason == "Import från uppdrag.csv"

    after = register_state()
    output = run(str(good_file), "--commit")
    assert "0 nya, 0 ändrade, 2 oförändrade" in output
    assert register_state() == after


def test_a_file_with_errors_stops_the_command_and_writes_nothing(tmp_path, register):
    path = tmp_path / "fel.csv"
    path.write_bytes(csv_bytes([assignment_row(Beslutsdatum="igår")]))
    before = register_state()
    with pytest.raises(CommandError, match="fel.csv: Filen har fel; inget har importerats."):
        run(str(path), "--commit")
    assert register_state() == before


def test_an_unreadable_file_is_refused_by_the_command(tmp_path, register):
    path = tmp_path / "uppdrag.xlsx"
    path.write_bytes(b"inte ett kalkylblad")
    with pytest.raises(CommandError, match="Filen är inte ett XLSX-kalkylblad."):
        run(str(path))


def test_commit_and_dry_run_exclude_each_other(good_file):
    with pytest.raises(CommandError):
        run(str(good_file), "--commit", "--dry-run")


def test_the_summary_counts_one_assignment_in_the_singular(good_file, tmp_path):
    run(str(good_file), "--commit")
    path = tmp_path / "ett.csv"
    path.write_bytes(csv_bytes([
        assignment_row("STK-2014-501"),
        assignment_row("STK-2014-502", Titel="Ny titel"),
        assignment_row("STK-2014-503"),
    ]))
    # "uppdrag" is neuter: one new, one changed, one unchanged.
    assert "ett.csv har importerats: 1 nytt, 1 ändrat, 1 oförändrat." in run(str(path), "--commit")
