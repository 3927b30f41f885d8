"""Forms for the treatment pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .domain import Attendance, Outcome


class DateInput(forms.DateInput):
    input_type = "date"


class ReferralForm(forms.Form):
    provider = forms.ChoiceField(label=_("Treatment provider"), widget=forms.RadioSelect)
    programme = forms.CharField(label=_("Programme"), max_length=200)
    expected_sessions = forms.IntegerField(label=_("Expected sessions"), min_value=1, max_value=200)

    def __init__(self, *args, providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [(str(p.pk), p.name) for p in providers]


class SessionForm(forms.Form):
    date = forms.DateField(label=_("Date of the session"), widget=DateInput)
    attendance = forms.ChoiceField(
        label=_("Attendance"), choices=Attendance.choices, widget=forms.RadioSelect
    )
    missed_reason = forms.CharField(
        label=_("Reason the session was missed"),
        required=False,
        widget=forms.Textarea,
        max_length=2000,
        help_text=_("Needed when the session was missed"),
    )


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Progress note"), widget=forms.Textarea, max_length=20000)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea,
        max_length=4000,
        help_text=_("Needed when treatment was not completed"),
    )


class BreachReviewForm(forms.Form):
    reason = forms.CharField(label=_("Why a breach review"), widget=forms.Textarea, max_length=4000)


class BreachDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("confirm", _("Confirm the breach")), ("reject", _("Do not confirm the breach"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for the decision"), widget=forms.Textarea, max_length=4000
    )
