"""The periods the changes page and the compilation read from their addresses."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assignments.models import Meeting
from malmo_ks.dates import plausible_date_field

from .changes import default_start
from .compilation import previous_ks_meeting

DATE_ERROR = _("Write the date as 2016-11-02.")


def optional_date(label, help_text):
    """An optional date in the query string: a date picker, and a Swedish message for a non-date."""
    return plausible_date_field(
        label=label,
        required=False,
        error_messages={"invalid": DATE_ERROR},
        help_text=help_text,
    )


class PeriodForm(forms.Form):
    """`?sedan=2016-11-02`, optionally `&till=2017-03-01`; both days count.

    Without `sedan` the period starts at `default` (the latest KS meeting): an
    end before that is as reversed as an end before a start typed in.
    """

    sedan = optional_date(_("Changed from and including"), _("Empty: since the latest KS meeting."))
    till = optional_date(_("up to and including"), _("Empty: up to now."))

    default = None  # the DefaultStart used when `sedan` was left empty

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if not cleaned.get("sedan"):
            self.default = default_start()
            cleaned["sedan"] = self.default.day
        end = cleaned.get("till")
        if end and end < cleaned["sedan"]:
            if self.default:
                message = _(
                    "The end date is before the period's start, %(start)s. Choose a start date too."
                ) % {"start": self.default.day.isoformat()}
            else:
                message = _("The end date is before the start date.")
            self.add_error("till", message)
        return cleaned


class CompilationForm(forms.Form):
    """`?per=2016-12-31&jamfor=2016-06-30`: the day shown and the previous compilation's day.

    Without `per` the compilation shows today; without `jamfor` it compares with
    the latest KS meeting before `per`.
    """

    per = optional_date(_("State as of"), _("Empty: today."))
    jamfor = optional_date(
        _("Compared with the compilation of"),
        _("Empty: the latest KS meeting before."),
    )
    # `?sammantrade=` comes from a meeting's page and is kept, unseen, as the days change.
    sammantrade = forms.ModelChoiceField(
        queryset=Meeting.objects.select_related("committee"),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("There is no such meeting.")},
    )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        today = timezone.localdate()
        meeting = cleaned.get("sammantrade")
        # Prepared for a meeting: its state on the meeting's day (today for one ahead),
        # compared with the KS meeting before it.
        day = cleaned.get("per") or (min(meeting.date, today) if meeting else today)
        if day > today:
            self.add_error("per", gettext("The compilation cannot show a day after today."))
            return cleaned
        compared_with = cleaned.get("jamfor") or previous_ks_meeting(
            meeting.date if meeting else day
        )
        if compared_with >= day:
            self.add_error("jamfor", gettext("Compare with a day before %(day)s.") % {
                "day": day.isoformat()
            })
            return cleaned
        cleaned["per"], cleaned["jamfor"] = day, compared_with
        return cleaned
