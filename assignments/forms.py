"""Forms of the handläggare's workflow: they ask for input, the model verbs judge it."""

import uuid

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _

from malmo_ks import roles
from malmo_ks.dates import EARLIEST, LATEST, validate_plausible_date
from malmo_ks.history import display_name
from malmo_ks.widgets import Select

from .concurrency import edited_values
from .models import (
    REASON_MAX,
    Assignment,
    DeadlineChange,
    Meeting,
    StatusReport,
    Treatment,
    Unit,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def short_text(rows=3):
    return forms.Textarea(attrs={"rows": rows})


class ModelErrorsShown:
    """Show a model's ValidationError next to the field it names, or above the form.

    A model's `clean()` may name a field the form does not show (the treatment
    behind a status on the edit page); Django's `add_error` answers that with a
    ValueError, a 500. Such an error is shown above the form instead.
    """

    def add_error(self, field, error):
        if field is None:
            if not isinstance(error, ValidationError):
                error = ValidationError(error)
            if hasattr(error, "error_dict"):
                shown = {}
                for name, errors in error.error_dict.items():
                    key = name if name in self.fields else NON_FIELD_ERRORS
                    shown.setdefault(key, []).extend(errors)
                error = ValidationError(shown)
        super().add_error(field, error)


class RecordAdminForm(ModelErrorsShown, forms.ModelForm):
    """The Django admin's forms for the register's records."""


class ActionForm(ModelErrorsShown, forms.Form):
    """What every write form shares: an optional change reason kept in the history."""

    reason = forms.CharField(
        label=_("Change reason"),
        required=False,
        max_length=REASON_MAX,
        widget=short_text(2),
        help_text=_("Optional. Saved in the history with this change."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The reason is asked last, after what it explains.
        if "reason" in self.fields:
            self.fields["reason"] = self.fields.pop("reason")

    def add_model_errors(self, error):
        """Show a model verb's ValidationError next to the field it names, or above the form."""
        self.add_error(None, error)


class SubmittedOnce(forms.Form):
    """A form that creates a row carries a one-time token, issued with the page.

    The model verb stores it on the row (`models.save_once`), so a double click or
    a repeated request finds the row the first submit made instead of making another.
    """

    submission = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission", uuid.uuid4())

    def stamp(self, record):
        """Put the submitted token on the new `record` before the verb saves it."""
        record.submission = self.cleaned_data.get("submission")
        return record


class VersionedForm(ActionForm):
    """A form that saves the assignment: it carries the version its page was loaded with."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    conflict = None

    def edited(self):
        """The stored fields this form sets, for a three-way merge; None for a verb's form."""
        return None

    def refuse_stale(self, conflict):
        """Keep the user's input, merged with what was saved since, armed with the current version.

        Fields only the other person changed now hold their values; a field both
        changed keeps the user's input, with the other value next to it. Having
        seen both, saving again is a deliberate decision, not a silent overwrite.
        """
        self.conflict = conflict
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = conflict.current_version
        if conflict.merge is None:
            return
        for name, value in conflict.merge.taken.items():
            if isinstance(value, frozenset):
                self.data.setlist(self.add_prefix(name), sorted(value))
            else:
                self.data[self.add_prefix(name)] = "" if value is None else value
        for disagreement in conflict.merge.disagreements:
            self.add_error(
                disagreement.name,
                _(
                    "Someone else changed this field too. Saved now: “%(theirs)s”. Yours, still "
                    "in the field: “%(yours)s”. Save again to keep yours, or change the field."
                )
                % {"theirs": disagreement.theirs, "yours": disagreement.yours},
            )


def case_officer_choices(current=None):
    """Active handläggare, plus whoever is named now, so an edit never loses them."""
    return (
        get_user_model()
        .objects.filter(Q(is_active=True, groups__name=roles.HANDLAGGARE) | Q(pk=current))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class AssignmentEditForm(forms.ModelForm, VersionedForm):
    """The assignment's own facts; status, outcome and deadline have verbs of their own."""

    class Meta:
        model = Assignment
        fields = [
            "reference",
            "title",
            "description",
            "area",
            "responsible_unit",
            "case_officer",
            "decided_on",
            "decision_reference",
            "decision_paragraph",
        ]
        widgets = {"description": short_text(6), "decided_on": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        officer = self.fields["case_officer"]
        officer.queryset = case_officer_choices(self.instance.case_officer_id)
        officer.label_from_instance = display_name

    def edited(self):
        return edited_values(self)


class NewAssignmentForm(AssignmentEditForm):
    """A new assignment also gets its first planned completion; later moves need a reason."""

    version = None  # nothing to be outdated against yet

    class Meta(AssignmentEditForm.Meta):
        fields = [
            *AssignmentEditForm.Meta.fields,
            "planned_completion",
            "planned_completion_is_year",
        ]
        widgets = {**AssignmentEditForm.Meta.widgets, "planned_completion": DATE_WIDGET}


class TreatmentForm(forms.ModelForm, ActionForm):
    """A political treatment: its meeting (body, committee, date) and §.

    The meeting is asked as the protocol names it ("KS 2016-11-02 § 312"), which is
    quicker than choosing from a list of every meeting: the verb finds it in the
    plan (sammanträdesplan) or registers it (`Meeting.find_or_register`).
    """

    body = forms.ChoiceField(
        label=capfirst(_("body")), choices=Meeting.Body.choices, initial=Meeting.Body.KS
    )
    body_unit = forms.ModelChoiceField(
        label=capfirst(_("committee")),
        queryset=Unit.objects.all(),
        required=False,
        help_text=_("Only when the body is a committee."),
    )
    meeting_date = forms.DateField(
        label=capfirst(_("meeting date")), widget=DATE_WIDGET, validators=[validate_plausible_date]
    )

    # The meeting's fields as the form calls them: its rules' errors land next to them.
    MEETING_ERRORS = {"body": "body", "committee": "body_unit", "date": "meeting_date",
                      "meeting": "meeting_date"}

    class Meta:
        model = Treatment
        fields = ["body", "body_unit", "meeting_date", "paragraph", "reference", "summary"]
        widgets = {"summary": short_text()}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("meeting_date") and cleaned.get("body"):
            # Unsaved: the verb finds or registers it; the treatment's own rule
            # (its meeting has taken place) is judged on it now.
            self.instance.meeting = Meeting(
                body=cleaned["body"], committee=cleaned.get("body_unit"),
                date=cleaned["meeting_date"],
            )
        return cleaned

    def add_error(self, field, error):
        if field is None and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            renamed = {}
            for name, errors in error.error_dict.items():
                renamed.setdefault(self.MEETING_ERRORS.get(name, name), []).extend(errors)
            error = ValidationError(renamed)
        super().add_error(field, error)


class NewTreatmentForm(TreatmentForm, SubmittedOnce):
    """A decision registered on its own page: submitted twice, it is registered once."""


def report_label(report):
    """Date and opening words: what tells one report of the assignment from another."""
    return f"{report.report_date:%Y-%m-%d}: {Truncator(report.text).chars(60)}"


_closing_fields = forms.fields_for_model(
    Assignment,
    fields=["outcome", "follow_up_owner"],
    help_texts={
        "follow_up_owner": _("Needed when the assignment continues as a development process.")
    },
)


class ChangeStatusForm(TreatmentForm, VersionedForm):
    """A new status with the treatment behind it; what each status needs is the model's rule."""

    status = forms.ChoiceField(
        label=_("New status"),
        choices=[
            ("", "---------"),
            (Assignment.Status.STATUS_REPORT, Assignment.Status.STATUS_REPORT.label),
            (Assignment.Status.CLOSED, Assignment.Status.CLOSED.label),
        ],
    )
    report = forms.ModelChoiceField(
        label=_("Status report treated"),
        queryset=StatusReport.objects.none(),
        required=False,
        help_text=_("Optional: the registered status report this meeting handled."),
    )
    outcome = _closing_fields["outcome"]
    follow_up_owner = _closing_fields["follow_up_owner"]

    def __init__(self, *args, assignment, **kwargs):
        super().__init__(*args, **kwargs)
        report = self.fields["report"]
        report.queryset = assignment.status_reports.filter(treatment__isnull=True)
        report.label_from_instance = report_label

    def treatment_fields(self):
        return [self[name] for name in self._meta.fields]


class StatusReportForm(forms.ModelForm, ActionForm, SubmittedOnce):
    """A status report with the handläggare's assessment; the motivation rule is the model's."""

    class Meta:
        model = StatusReport
        fields = ["report_date", "text", "assessment", "assessment_motivation"]
        widgets = {
            "report_date": DATE_WIDGET,
            "text": short_text(8),
            "assessment_motivation": short_text(),
        }


class MoveDeadlineForm(forms.ModelForm, VersionedForm):
    """A new planned completion; the deadline log's own reason field is the change reason.

    A date in the past may be deliberate (recording a move made earlier) or a typo:
    the form asks the user to confirm it, with a checkbox shown only then.
    """

    reason = None  # DeadlineChange.reason, required by the model, takes its place
    date_is_right = forms.BooleanField(
        label=_("Yes, the date is right"), required=False, widget=forms.HiddenInput
    )

    class Meta:
        model = DeadlineChange
        fields = ["new_date", "new_is_year", "reason"]
        widgets = {"new_date": DATE_WIDGET, "reason": short_text()}
        labels = {"new_is_year": _("planned completion is a year")}
        help_texts = {
            "new_is_year": _("Shown as “during 2017”; the date is then the last day of that year.")
        }

    def clean(self):
        cleaned = super().clean()
        new_date = cleaned.get("new_date")
        if new_date and new_date < timezone.localdate() and not cleaned.get("date_is_right"):
            self.fields["date_is_right"].widget = forms.CheckboxInput()
            self.add_error(
                "date_is_right",
                _("The new planned completion %(date)s is in the past. If that is right, "
                  "tick the box and save again.") % {"date": new_date.isoformat()},
            )
        return cleaned


class ReopenForm(VersionedForm):
    reason = forms.CharField(
        label=_("Reason for reopening"),
        max_length=REASON_MAX,
        widget=short_text(),
        help_text=_("Saved in the history: reopening a closed assignment is rare."),
    )


class MeetingForm(forms.ModelForm, ActionForm):
    """A meeting of the plan (sammanträdesplan), entered by hand; the model judges it."""

    class Meta:
        model = Meeting
        fields = ["body", "committee", "date", "protocol_reference"]
        widgets = {"date": DATE_WIDGET}


class MeetingYearForm(forms.Form):
    """The year of the plan shown; an impossible year is told, not shown as an empty plan."""

    ar = forms.IntegerField(
        label=_("Year"), required=False, min_value=EARLIEST.year, max_value=LATEST.year
    )


# --- A meeting's decisions for several assignments at once (issue 14) ---------------

# Rows a decisions page offers unless asked for more, and the most one page takes: a KS
# meeting treats a few dozen assignments at the most.
DECISION_ROWS = 5
DECISION_ROWS_MAX = 40


class DecisionRowsForm(forms.Form):
    """How many rows the decisions page offers (`?rader=`): more rows without JavaScript."""

    rader = forms.IntegerField(
        label=_("Rows"), required=False, min_value=1, max_value=DECISION_ROWS_MAX
    )

    def rows(self):
        if self.is_valid() and self.cleaned_data["rader"]:
            return self.cleaned_data["rader"]
        return DECISION_ROWS


class MeetingDecisionsForm(SubmittedOnce):
    """The page's one-time token: the whole meeting's decisions are one submission.

    Each row's treatment carries a token derived from it (`row_token`), so a repeated
    submit finds the treatments the first one stored (`save_once`'s token, per row).
    """

    def row_token(self, index):
        submission = self.cleaned_data.get("submission")
        return None if submission is None else uuid.uuid5(submission, str(index))


def decision_options():
    """The rows' choices, read once for the page (two queries), not once per row.

    Assignments: open ones first, then the closed (a decision may still concern
    one; a status report or closing is refused by the verb, on its row).
    """
    groups = {False: [], True: []}
    for pk, reference, title, status in Assignment.objects.order_by(
        "reference", "id"
    ).values_list("pk", "reference", "title", "status"):
        groups[status == Assignment.Status.CLOSED].append((pk, f"{reference} {title}"))
    assignments = [("", "---------")]
    for closed, label in ((False, _("Open assignments")), (True, _("Closed assignments"))):
        if groups[closed]:
            assignments.append((label, groups[closed]))
    units = [("", "---------"), *Unit.objects.order_by("name", "id").values_list("pk", "name")]
    return {"assignment": assignments, "follow_up_owner": units}


_row_closing_fields = forms.fields_for_model(
    Assignment,
    fields=["outcome", "follow_up_owner"],
    help_texts={
        "outcome": _("When closing."),
        "follow_up_owner": _("When closing: needed for a development process."),
    },
)


class DecisionRowForm(ModelErrorsShown, forms.Form):
    """One assignment's decision at the meeting; the kind chooses the verb that records it.

    The status each kind leads to is the verbs' (`report_status`, `close`,
    `add_treatment`); the choices only say it in words.
    """

    KINDS = [
        ("", "---------"),
        (Treatment.Kind.STATUS_REPORT, _("status report – the status becomes status report")),
        (Treatment.Kind.FINAL_REPORT, _("final report – the assignment is closed")),
        (Treatment.Kind.DECISION, _("decision – the status stays as it is")),
    ]
    # A verb's error on a field the row does not show lands on the row's field it is about.
    VERB_ERRORS = {"status": "assignment", "status_treatment": "kind", "meeting": "paragraph"}

    assignment = forms.ModelChoiceField(
        label=capfirst(_("assignment")), queryset=Assignment.objects.all(), widget=Select
    )
    paragraph = forms.fields_for_model(Treatment, fields=["paragraph"])["paragraph"]
    kind = forms.ChoiceField(label=capfirst(_("kind")), choices=KINDS, widget=Select)
    outcome = _row_closing_fields["outcome"]
    follow_up_owner = _row_closing_fields["follow_up_owner"]
    reason = forms.CharField(
        label=_("Change reason"),
        required=False,
        max_length=REASON_MAX,
        widget=short_text(2),
        help_text=_("Optional. Saved in the history after the meeting and §."),
    )

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        # Listed once for the page (`decision_options`), not once per row; the
        # fields' querysets still judge what is posted.
        for name, choices in options.items():
            self.fields[name].widget = Select(choices=choices)

    def clean(self):
        cleaned = super().clean()
        closing = cleaned.get("kind") == Treatment.Kind.FINAL_REPORT
        # The verbs would drop these silently for any other kind; say so instead.
        for name in ("outcome", "follow_up_owner"):
            if cleaned.get(name) and cleaned.get("kind") and not closing:
                self.add_error(name, _("Given only when closing (kind: final report)."))
        return cleaned

    def add_model_errors(self, error):
        """Show a verb's ValidationError on this row, next to the field it is about."""
        if hasattr(error, "error_dict"):
            renamed = {}
            for name, errors in error.error_dict.items():
                renamed.setdefault(self.VERB_ERRORS.get(name, name), []).extend(errors)
            error = ValidationError(renamed)
        self.add_error(None, error)


class BaseDecisionFormSet(forms.BaseFormSet):
    """The meeting's rows: empty ones are left out, and at least one must be filled in."""

    def filled(self):
        """The rows with input, each with its index (the row number is index + 1)."""
        return [(index, form) for index, form in enumerate(self.forms) if form.has_changed()]

    def clean(self):
        if any(self.errors):
            return
        if not self.filled():
            raise ValidationError(_("Fill in at least one row."))


def decision_formset(rows=DECISION_ROWS):
    """The rows of a meeting's decisions: `rows` empty ones, never more than the maximum."""
    return forms.formset_factory(
        DecisionRowForm,
        formset=BaseDecisionFormSet,
        extra=rows,
        max_num=DECISION_ROWS_MAX,
        absolute_max=DECISION_ROWS_MAX,
        validate_max=True,
    )
