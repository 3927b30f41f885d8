from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .rules import ADMISSION_LABELS, INTERVIEW_OFFENCES, OFFENCE_LABELS, Admission

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _yes_no(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": f"Select yes or no: {label[0].lower()}{label[1:]}"},
    )


class InterviewForm(forms.Form):
    held_on = forms.DateField(
        label=_("Date of the interview"),
        help_text=_("For example, 2026-03-27"),
        error_messages={"required": _("Enter the date of the interview")},
    )
    officer_ids = forms.TypedMultipleChoiceField(
        label=_("Officers present"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select the officers present")},
    )
    admission = forms.ChoiceField(
        label=_("Admission"),
        choices=[(a.value, ADMISSION_LABELS[a]) for a in Admission],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select whether the person admitted the offences")},
    )
    offences_admitted = forms.MultipleChoiceField(
        label=_("Offences admitted"),
        choices=[(o.value, OFFENCE_LABELS[o]) for o in INTERVIEW_OFFENCES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    recorded = _yes_no("Was the interview recorded (audio or video)?")
    recording_reference = forms.CharField(
        label=_("Recording reference"), required=False, max_length=100
    )
    legal_adviser_present = _yes_no("Was a legal adviser present?")
    narrative = forms.CharField(
        label=_("What the person admitted (summary)"),
        help_text=_("Encrypted, and shown only to police members of the case team"),
        required=False,
        max_length=20000,
        widget=forms.Textarea,
    )

    def __init__(self, *args, officer_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer_ids"].choices = list(officer_choices)

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("The interview date must be today or earlier"))
        return held_on

    def clean(self):
        data = super().clean()
        if data.get("admission") in (Admission.FULL, Admission.PARTIAL) and not data.get(
            "offences_admitted"
        ):
            self.add_error("offences_admitted", _("Select the offences admitted"))
        if data.get("recorded") and not (data.get("recording_reference") or "").strip():
            self.add_error("recording_reference", _("Enter the reference of the recording"))
        return data
