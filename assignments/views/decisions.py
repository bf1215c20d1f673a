"""A meeting's decisions for several assignments at once: one form, one transaction."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from ..forms import DecisionRowsForm, MeetingDecisionsForm, decision_formset, decision_options
from ..models import Assignment, Meeting, StatusReport, Treatment

# What recording a decision takes, as on the single assignment's status page.
RECORD_DECISIONS = ("assignments.change_assignment", "assignments.add_treatment")


class Refused(Exception):
    """A row was refused: every row of the submission is undone."""


@require_http_methods(["GET", "POST"])
@permission_required(RECORD_DECISIONS, raise_exception=True)
def record_decisions(request, pk):
    """What a held meeting decided for each of several assignments: all rows saved, or none."""
    meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)
    posted = request.POST if request.method == "POST" else None
    rows = DecisionRowsForm(request.GET)
    form = MeetingDecisionsForm(posted)
    formset = decision_formset(rows.rows())(
        posted, prefix="rad", form_kwargs={"options": decision_options()}
    )
    if posted is not None and not meeting.is_planned:
        registered = _register(meeting, form, formset, request.user)
        if registered is not None:
            messages.success(request, registered)
            return redirect("assignments:meeting", pk=meeting.pk)
    return render(request, "assignments/meetings/decisions.html", {
        "meeting": meeting,
        "form": form,
        "formset": formset,
        "rows": rows,
        "more_rows": min(len(formset.forms) + 5, rows.fields["rader"].max_value),
    })


def _register(meeting, form, formset, user):
    """Record every filled row through the verbs, in one transaction; the message to show.

    None when a row is refused: its errors are on the row, and nothing is saved.
    Each row runs in a savepoint of its own, so that every row's errors are found
    in one submit; the assignments are locked and read once, so two rows about one
    assignment see each other's change.
    """
    if not (form.is_valid() and formset.is_valid()):
        return None
    filled = formset.filled()
    tokens = {index: form.row_token(index) for index, _row in filled}
    try:
        with transaction.atomic():
            # Two submits of this page at once: the second waits here, then finds the first's.
            Meeting.objects.select_for_update().only("pk").get(pk=meeting.pk)
            if Treatment.objects.filter(submission__in=tokens.values()).exists():
                return _("These decisions had already been registered; they are registered once.")
            assignments = _locked([row.cleaned_data["assignment"].pk for _index, row in filled])
            reports = _untreated_reports(assignments)
            refused = False
            for index, row in filled:
                assignment = assignments[row.cleaned_data["assignment"].pk]
                try:
                    with transaction.atomic():
                        _decide(assignment, meeting, row, tokens[index], reports, user)
                except ValidationError as error:
                    row.add_model_errors(error)
                    # The verb may have changed it in memory before it was refused.
                    assignment.refresh_from_db()
                    refused = True
            if refused:
                raise Refused
    except Refused:
        return None
    return ngettext(
        "%(count)s decision of the meeting has been registered.",
        "%(count)s decisions of the meeting have been registered.",
        len(filled),
    ) % {"count": len(filled)}


def _locked(pks):
    """The rows' assignments, locked in one order (no deadlock with another batch), by id."""
    locked = Assignment.objects.select_for_update().filter(pk__in=pks).order_by("pk")
    return {assignment.pk: assignment for assignment in locked}


def _untreated_reports(assignments):
    """Each assignment's latest status report not yet treated: the one a meeting handles."""
    latest = {}
    for report in StatusReport.objects.filter(
        assignment__in=list(assignments), treatment__isnull=True
    ).order_by("report_date", "id"):
        report.assignment = assignments[report.assignment_id]
        latest[report.assignment_id] = report
    return latest


def _decide(assignment, meeting, row, token, reports, user):
    """One row through the verb its kind names; the verb judges it."""
    data = row.cleaned_data
    treatment = Treatment(meeting=meeting, paragraph=data["paragraph"], submission=token)
    # The history says which meeting and § decided, then why in the user's words.
    reason = f"{meeting} § {data['paragraph']}"
    if data["reason"]:
        reason = f"{reason}: {data['reason']}"
    kind = data["kind"]
    if kind == Treatment.Kind.STATUS_REPORT:
        # As the status page's "status report treated": the report is frozen with it.
        assignment.report_status(
            treatment, report=reports.pop(assignment.pk, None), user=user, reason=reason
        )
    elif kind == Treatment.Kind.FINAL_REPORT:
        assignment.close(
            treatment,
            outcome=data["outcome"],
            follow_up_owner=data["follow_up_owner"],
            user=user,
            reason=reason,
        )
    else:
        treatment.kind = Treatment.Kind.DECISION
        assignment.add_treatment(treatment, user=user, reason=reason)
