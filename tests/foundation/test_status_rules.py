"""The status rules of DOMAIN.md hold in the model layer, whoever saves: form, admin or import."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assignments.models import Assignment, DeadlineChange, StatusReport, Treatment
from tests.factories import ks_treatment, make_assignment, make_unit

pytestmark = pytest.mark.django_db

# The Swedish messages a handläggare or administrator reads when a rule says no.
NEEDS_TREATMENT = "En lägesrapport eller ett avslut kräver den politiska behandlingen bakom."
NEEDS_OUTCOME = "Ett avslut kräver ett resultat."
NEEDS_FOLLOW_UP_OWNER = "Ange vem som ansvarar för uppföljningen av utvecklingsprocessen."
REOPEN_ONLY_BY_ADMIN = (
    "Ett avslutat uppdrag kan bara återöppnas av en administratör, med motivering."
)
DEADLINE_NEEDS_MOVE = (
    "Ett planerat avslut flyttas med en motivering, så att det tidigare datumet sparas."
)
FROZEN = "Lägesrapporten är politiskt behandlad och kan inte längre ändras."


def refuse(assignment):
    """The messages per field that full_clean() gives for `assignment`."""
    with pytest.raises(ValidationError) as refused:
        assignment.full_clean()
    return refused.value.message_dict


def refuse_edit(assignment, user):
    """The messages per field that saving `assignment` as an edit gives; nothing is saved."""
    version = stored(assignment).version
    with pytest.raises(ValidationError) as refused:
        assignment.save_tracked(user=user, reason="Ändrat")
    assert stored(assignment).version == version
    return refused.value.message_dict


def stored(assignment):
    return Assignment.objects.get(pk=assignment.pk)


def closed_assignment(user, **close_options):
    assignment = make_assignment()
    close_options.setdefault("outcome", Assignment.Outcome.IMPLEMENTED)
    assignment.close(ks_treatment(), user=user, reason="Slutrapport", **close_options)
    return assignment


def test_reporting_status_moves_the_assignment_to_lagesrapport_with_its_treatment(handlaggare):
    assignment = make_assignment()
    treatment = assignment.report_status(ks_treatment(), user=handlaggare, reason="Lägesrapport")

    saved = stored(assignment)
    assert saved.status == Assignment.Status.STATUS_REPORT
    assert saved.get_status_display() == "lägesrapport"
    assert saved.status_treatment == treatment
    assert str(treatment) == "KS 2016-11-02 § 312"
    assert treatment.kind == Treatment.Kind.STATUS_REPORT
    assert treatment.assignment == assignment


def test_closing_records_the_final_report_treatment_and_the_outcome(handlaggare):
    assignment = make_assignment()
    treatment = assignment.close(
        ks_treatment(), outcome=Assignment.Outcome.PARTLY_IMPLEMENTED, user=handlaggare
    )

    saved = stored(assignment)
    assert saved.status == Assignment.Status.CLOSED
    assert saved.get_status_display() == "avslutad"
    assert saved.status_treatment == treatment
    assert treatment.kind == Treatment.Kind.FINAL_REPORT
    assert saved.get_outcome_display() == "delvis genomfört"


def test_a_status_report_cannot_be_saved_without_its_treatment(handlaggare):
    assignment = make_assignment()
    assignment.status = Assignment.Status.STATUS_REPORT

    assert NEEDS_TREATMENT in refuse(assignment)["status_treatment"]
    with pytest.raises(ValidationError):
        assignment.save_tracked(user=handlaggare)
    assert stored(assignment).status == Assignment.Status.ONGOING


def test_closing_cannot_be_saved_without_its_treatment():
    assignment = make_assignment()
    assignment.status = Assignment.Status.CLOSED
    assignment.outcome = Assignment.Outcome.IMPLEMENTED

    assert NEEDS_TREATMENT in refuse(assignment)["status_treatment"]


def test_a_treatment_of_another_assignment_does_not_count(handlaggare):
    assignment, other = make_assignment(), make_assignment()
    foreign = other.add_treatment(ks_treatment(kind=Treatment.Kind.STATUS_REPORT), user=handlaggare)
    assignment.status = Assignment.Status.STATUS_REPORT
    assignment.status_treatment = foreign

    assert refuse(assignment)["status_treatment"] == [
        "Behandlingen måste vara en lägesrapport av detta uppdrag."
    ]


def test_closing_without_an_outcome_is_refused_and_changes_nothing(handlaggare):
    assignment = make_assignment()

    with pytest.raises(ValidationError) as refused:
        assignment.close(ks_treatment(), outcome="", user=handlaggare)

    assert NEEDS_OUTCOME in refused.value.message_dict["outcome"]
    assert stored(assignment).status == Assignment.Status.ONGOING
    assert not Treatment.objects.filter(assignment=assignment).exists()


def test_a_development_process_needs_a_follow_up_owner(handlaggare):
    assignment = make_assignment()

    with pytest.raises(ValidationError) as refused:
        assignment.close(
            ks_treatment(), outcome=Assignment.Outcome.DEVELOPMENT_PROCESS, user=handlaggare
        )

    assert NEEDS_FOLLOW_UP_OWNER in refused.value.message_dict["follow_up_owner"]
    assert stored(assignment).status == Assignment.Status.ONGOING


def test_a_development_process_names_who_follows_it_up(handlaggare):
    owner = make_unit("Funktionsstödsnämnden")
    assignment = closed_assignment(
        handlaggare, outcome=Assignment.Outcome.DEVELOPMENT_PROCESS, follow_up_owner=owner
    )

    saved = stored(assignment)
    assert saved.get_outcome_display() == "övergår i utvecklingsprocess"
    assert saved.follow_up_owner == owner


def test_a_closed_assignment_cannot_be_reopened_by_changing_its_status(handlaggare):
    assignment = closed_assignment(handlaggare)
    assignment.status = Assignment.Status.ONGOING
    assignment.status_treatment = None
    assignment.outcome = ""

    assert REOPEN_ONLY_BY_ADMIN in refuse_edit(assignment, handlaggare)["status"]


def test_a_refreshed_closed_assignment_still_cannot_be_reopened_by_a_status_change(
    handlaggare,
):
    """An instance loaded before the closing and refreshed after it knows it is closed."""
    assignment = make_assignment()
    stored(assignment).close(
        ks_treatment(), outcome=Assignment.Outcome.IMPLEMENTED, user=handlaggare
    )
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.CLOSED

    assignment.status = Assignment.Status.ONGOING
    assignment.status_treatment = None
    assignment.outcome = ""

    assert REOPEN_ONLY_BY_ADMIN in refuse_edit(assignment, handlaggare)["status"]


def test_a_closed_assignment_cannot_report_status_or_close_again(handlaggare):
    assignment = closed_assignment(handlaggare)

    with pytest.raises(ValidationError) as reporting:
        assignment.report_status(ks_treatment(paragraph=400), user=handlaggare)
    with pytest.raises(ValidationError) as closing:
        assignment.close(ks_treatment(paragraph=401), outcome="genomfort", user=handlaggare)

    # Issue 12: the same message for every way a closed assignment is reported on.
    assert reporting.value.message_dict["status"] == [
        "Uppdraget är avslutat och tar inte emot fler lägesrapporter eller flyttade avslut. "
        "En administratör kan återöppna det."
    ]
    assert closing.value.message_dict["status"] == ["Uppdraget är redan avslutat."]
    assert stored(assignment).treatments.count() == 1


def test_a_case_officer_may_not_reopen_a_closed_assignment(handlaggare):
    assignment = closed_assignment(handlaggare)

    with pytest.raises(PermissionDenied):
        assignment.reopen(user=handlaggare, reason="Fel i slutrapporten")

    assert stored(assignment).status == Assignment.Status.CLOSED


def test_an_administrator_reopens_a_closed_assignment_with_a_reason(handlaggare, administrator):
    assignment = closed_assignment(handlaggare)

    assignment.reopen(user=administrator, reason="Slutrapporten saknade bilagan")

    saved = stored(assignment)
    assert saved.status == Assignment.Status.ONGOING
    assert saved.status_treatment is None
    assert saved.outcome == ""
    last = saved.history.latest()
    assert last.history_user == administrator
    assert last.history_change_reason == "Slutrapporten saknade bilagan"


def test_reopening_after_a_status_report_returns_to_lagesrapport(handlaggare, administrator):
    assignment = make_assignment()
    report = assignment.report_status(ks_treatment(date(2016, 6, 1), 180), user=handlaggare)
    assignment.close(ks_treatment(), outcome="genomfort", user=handlaggare)

    assignment.reopen(user=administrator, reason="Beslutet upphävdes")

    saved = stored(assignment)
    assert saved.status == Assignment.Status.STATUS_REPORT
    assert saved.status_treatment == report


@pytest.mark.parametrize("reason", ["", "   "])
def test_reopening_needs_a_reason(handlaggare, administrator, reason):
    assignment = closed_assignment(handlaggare)

    with pytest.raises(ValidationError) as refused:
        assignment.reopen(user=administrator, reason=reason)

    assert refused.value.message_dict["reason"] == ["Ange varför uppdraget återöppnas."]
    assert stored(assignment).status == Assignment.Status.CLOSED


def test_only_a_closed_assignment_can_be_reopened(administrator):
    assignment = make_assignment()

    with pytest.raises(ValidationError) as refused:
        assignment.reopen(user=administrator, reason="Av misstag")

    assert refused.value.message_dict["status"] == ["Bara ett avslutat uppdrag kan återöppnas."]


def test_a_deadline_cannot_change_without_move_deadline(handlaggare):
    assignment = make_assignment(planned_completion=date(2015, 12, 31))
    assignment.planned_completion = date(2016, 12, 31)

    assert refuse_edit(assignment, handlaggare)["planned_completion"] == [DEADLINE_NEEDS_MOVE]
    with pytest.raises(ValidationError):
        assignment.save_tracked(user=handlaggare)
    assert stored(assignment).planned_completion == date(2015, 12, 31)
    assert not DeadlineChange.objects.exists()


def test_moving_a_deadline_keeps_the_earlier_date_and_the_reason(handlaggare):
    assignment = make_assignment(planned_completion=date(2015, 12, 31))

    assignment.move_deadline(
        date(2016, 12, 31), is_year=True, user=handlaggare, reason="Remissvaret dröjde."
    )
    assignment.move_deadline(
        date(2017, 6, 30), user=handlaggare, reason="Ny lagstiftning inväntas."
    )

    saved = stored(assignment)
    assert saved.planned_completion == date(2017, 6, 30)
    assert saved.planned_completion_display() == "2017-06-30"
    moves = list(
        saved.deadline_changes.values_list(
            "previous_date", "previous_is_year", "new_date", "new_is_year", "reason", "changed_by"
        )
    )
    assert moves == [
        (
            date(2015, 12, 31),
            False,
            date(2016, 12, 31),
            True,
            "Remissvaret dröjde.",
            handlaggare.pk,
        ),
        (
            date(2016, 12, 31),
            True,
            date(2017, 6, 30),
            False,
            "Ny lagstiftning inväntas.",
            handlaggare.pk,
        ),
    ]


def test_a_deadline_given_as_a_year_reads_during_that_year(handlaggare):
    assignment = make_assignment()

    assignment.move_deadline(date(2017, 12, 31), is_year=True, user=handlaggare, reason="Utvidgat")

    assert stored(assignment).planned_completion_display() == "under 2017"


@pytest.mark.parametrize(
    "reason, message",
    [
        ("", "Detta fält får inte vara tomt."),
        ("   ", "Ange varför det planerade avslutet flyttas."),
    ],
)
def test_moving_a_deadline_needs_a_reason(handlaggare, reason, message):
    assignment = make_assignment(planned_completion=date(2015, 12, 31))

    with pytest.raises(ValidationError) as refused:
        assignment.move_deadline(date(2016, 12, 31), user=handlaggare, reason=reason)

    assert message in str(refused.value)
    assert stored(assignment).planned_completion == date(2015, 12, 31)
    assert not DeadlineChange.objects.exists()


def _report(assignment, user):
    report = StatusReport(
        assignment=assignment, report_date=date(2016, 10, 1), text="Arbetet pågår.", author=user
    )
    report.attribute(user, "Ny lägesrapport")
    report.full_clean()
    report.save()
    return report


def test_an_untreated_status_report_can_still_be_corrected(handlaggare):
    report = _report(make_assignment(), handlaggare)

    report.text = "Arbetet pågår enligt plan."
    report.attribute(handlaggare, "Rättelse")
    report.full_clean()
    report.save()

    assert StatusReport.objects.get(pk=report.pk).text == "Arbetet pågår enligt plan."


def test_a_treated_status_report_is_frozen(handlaggare):
    assignment = make_assignment()
    report = _report(assignment, handlaggare)
    treatment = assignment.report_status(ks_treatment(), user=handlaggare, report=report)

    frozen = StatusReport.objects.get(pk=report.pk)
    assert frozen.treatment == treatment
    frozen.text = "Efterhandsändring"
    with pytest.raises(ValidationError) as refused_by_clean:
        frozen.full_clean()
    with pytest.raises(ValidationError) as refused_by_save:
        frozen.save()

    assert refused_by_clean.value.messages == [FROZEN]
    assert refused_by_save.value.messages == [FROZEN]
    assert StatusReport.objects.get(pk=report.pk).text == "Arbetet pågår."
