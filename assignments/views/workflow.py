"""The handläggare's write pages: each asks for what one domain verb needs and calls it."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..access import get_assignment_for_user
from ..concurrency import perform
from ..forms import (
    AssignmentEditForm,
    ChangeStatusForm,
    MoveDeadlineForm,
    NewAssignmentForm,
    NewTreatmentForm,
    ReopenForm,
    StatusReportForm,
)
from ..models import Assignment, StatusReport, Treatment

ADD = "assignments.add_assignment"
CHANGE = "assignments.change_assignment"
ADD_TREATMENT = "assignments.add_treatment"
ADD_REPORT = "assignments.add_statusreport"
ADD_DEADLINE_CHANGE = "assignments.add_deadlinechange"
REOPEN = "assignments.reopen_assignment"


def _posted(request):
    return request.POST if request.method == "POST" else None


def _perform(form, action, assignment=None, *, versioned=False):
    """Run the user action (see `perform`); a refused one shows the assignment as stored."""
    if perform(form, action, assignment, versioned=versioned):
        return True
    if assignment is not None:
        # An edit form or a refused verb may have changed the object in memory;
        # the page must show what is stored.
        assignment.refresh_from_db()
    return False


def _done(request, assignment, message):
    messages.success(request, message)
    return redirect("assignments:detail", pk=assignment.pk)


def _add_once(request, assignment, form, record, add, texts):
    """Register `record` through the verb `add`, once however often the page is sent.

    `texts` are the heading, the button, the confirmation and what a repeated
    submit is told (the verb then returns the record the first submit made).
    """
    heading, submit, added, repeated = texts
    saved = []

    def action():
        saved.append(add(form.stamp(record), user=request.user, reason=form.cleaned_data["reason"]))

    if form.is_bound and _perform(form, action, assignment):
        return _done(request, assignment, added if saved[0] is record else repeated)
    return _page(request, form, heading, submit, assignment)


def _page(request, form, heading, submit, assignment=None, template="assignments/form.html"):
    context = {"form": form, "heading": heading, "submit": submit, "assignment": assignment}
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@permission_required(ADD, raise_exception=True)
def create_assignment(request):
    form = NewAssignmentForm(_posted(request))
    if form.is_bound and _perform(
        form,
        lambda: form.instance.save_tracked(user=request.user, reason=form.cleaned_data["reason"]),
    ):
        message = _("Assignment %(reference)s has been registered.")
        return _done(request, form.instance, message % {"reference": form.instance.reference})
    return _page(request, form, _("New assignment"), _("Register the assignment"))


@require_http_methods(["GET", "POST"])
def edit_assignment(request, pk):
    assignment = get_assignment_for_user(request, pk, CHANGE)
    form = AssignmentEditForm(
        _posted(request), instance=assignment, initial={"version": assignment.version}
    )
    if form.is_bound and _perform(
        form,
        lambda: assignment.save_tracked(user=request.user, reason=form.cleaned_data["reason"]),
        assignment,
        versioned=True,
    ):
        return _done(request, assignment, _("The changes have been saved."))
    return _page(request, form, _("Edit the assignment"), _("Save the changes"), assignment)


def _record_status(assignment, form, user):
    """Hand the treatment to the verb for the chosen status; the verb checks the rules."""
    data = form.cleaned_data
    if data["status"] == Assignment.Status.CLOSED:
        assignment.close(
            form.instance,
            outcome=data["outcome"],
            follow_up_owner=data["follow_up_owner"],
            user=user,
            reason=data["reason"],
        )
    else:
        assignment.report_status(
            form.instance, report=data["report"], user=user, reason=data["reason"]
        )


@require_http_methods(["GET", "POST"])
def change_status(request, pk):
    assignment = get_assignment_for_user(request, pk, CHANGE, ADD_TREATMENT)
    form = ChangeStatusForm(
        _posted(request), assignment=assignment, initial={"version": assignment.version}
    )
    if form.is_bound and _perform(
        form, lambda: _record_status(assignment, form, request.user), assignment, versioned=True
    ):
        message = _("The status is now: %(status)s.") % {"status": assignment.get_status_display()}
        return _done(request, assignment, message)
    return _page(
        request,
        form,
        _("Change status"),
        _("Save the status"),
        assignment,
        template="assignments/change_status.html",
    )


@require_http_methods(["GET", "POST"])
def add_status_report(request, pk):
    assignment = get_assignment_for_user(request, pk, ADD_REPORT)
    report = StatusReport(assignment=assignment)
    form = StatusReportForm(_posted(request), instance=report)
    return _add_once(request, assignment, form, report, assignment.add_status_report, (
        _("New status report"),
        _("Add the status report"),
        _("The status report has been added."),
        _("This status report had already been added; it is registered once."),
    ))


@require_http_methods(["GET", "POST"])
def add_treatment(request, pk):
    assignment = get_assignment_for_user(request, pk, ADD_TREATMENT)
    treatment = Treatment(kind=Treatment.Kind.DECISION)
    form = NewTreatmentForm(_posted(request), instance=treatment)
    return _add_once(request, assignment, form, treatment, assignment.add_treatment, (
        _("New decision"),
        _("Register the decision"),
        _("The decision has been registered."),
        _("This decision had already been registered; it is registered once."),
    ))


@require_http_methods(["GET", "POST"])
def move_deadline(request, pk):
    assignment = get_assignment_for_user(request, pk, CHANGE, ADD_DEADLINE_CHANGE)
    form = MoveDeadlineForm(
        _posted(request),
        initial={
            "version": assignment.version,
            "new_date": assignment.planned_completion,
            "new_is_year": assignment.planned_completion_is_year,
        },
    )
    if form.is_bound and _perform(
        form,
        lambda: assignment.move_deadline(
            form.cleaned_data["new_date"],
            is_year=form.cleaned_data["new_is_year"],
            user=request.user,
            reason=form.cleaned_data["reason"],
        ),
        assignment,
        versioned=True,
    ):
        return _done(request, assignment, _("The planned completion has been moved."))
    return _page(request, form, _("Move the planned completion"), _("Move"), assignment)


@require_http_methods(["GET", "POST"])
def reopen(request, pk):
    assignment = get_assignment_for_user(request, pk, REOPEN)
    form = ReopenForm(_posted(request), initial={"version": assignment.version})
    if form.is_bound and _perform(
        form,
        lambda: assignment.reopen(user=request.user, reason=form.cleaned_data["reason"]),
        assignment,
        versioned=True,
    ):
        return _done(request, assignment, _("The assignment has been reopened."))
    return _page(request, form, _("Reopen the assignment"), _("Reopen"), assignment)
