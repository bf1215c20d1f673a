"""What a person sends about their notifications: follow or not, their choices, a new address."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Preferences

# Where the follow button sends the person back to: the page it stood on.
BACK_TO_ASSIGNMENT, BACK_TO_PREFERENCES = "uppdrag", "aviseringar"


class SubscribeForm(forms.Form):
    """The "Bevaka" / "Sluta bevaka" button: one hidden field says which of the two."""

    bevaka = forms.TypedChoiceField(
        choices=[("1", _("Follow")), ("0", _("Stop following"))],
        coerce=lambda value: value == "1",
        error_messages={
            "required": _("Choose whether to follow the assignment or to stop following it."),
            "invalid_choice": _(
                "Choose whether to follow the assignment or to stop following it."
            ),
        },
    )
    tillbaka = forms.ChoiceField(
        choices=[(back, back) for back in (BACK_TO_ASSIGNMENT, BACK_TO_PREFERENCES)],
        required=False,
    )


class PreferencesForm(forms.ModelForm):
    """How the person wants to hear of what they follow; the first save makes their row."""

    class Meta:
        model = Preferences
        fields = ["change_delivery", "wants_digest", "language"]
        widgets = {"change_delivery": forms.RadioSelect}
        help_texts = {
            "wants_digest": _(
                "Sent before each KS meeting: what changed, what is due and what is overdue. "
                "Whoever follows an assignment gets it anyway; tick this to get it about the "
                "whole register."
            ),
            "language": _("The language of your e-mail and your calendar feed."),
        }

    def save(self, commit=True):
        """Keep the choices on the person's row, made now if this is their first save.

        update_or_create rather than the instance's save: two first saves at once
        (two tabs) leave one row, and the calendar token is never overwritten.
        """
        preferences, _created = Preferences.objects.update_or_create(
            user=self.instance.user,
            defaults={name: self.cleaned_data[name] for name in self.Meta.fields},
        )
        return preferences


class RenewCalendarForm(forms.Form):
    """The "Byt adress" button; its hidden field makes a stray empty POST change nothing."""

    byt = forms.BooleanField(widget=forms.HiddenInput, initial=True)
