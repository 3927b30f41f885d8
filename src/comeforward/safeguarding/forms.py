from __future__ import annotations

from django import forms
from django.utils import timezone

from .rules import REFERRAL_LABELS, ReferralKind

YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes_no(label: str, hint: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=hint,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": f"Select yes or no: {label[0].lower()}{label[1:]}"},
    )


class ScreenForm(forms.Form):
    children_in_household = _yes_no(
        "Are there children in the household?",
        "Including a partner's children, relatives or visiting children with regular contact",
    )
    works_with_children = _yes_no(
        "Does the person work or volunteer with children?",
        "Paid or unpaid: school, sport, faith, health, childcare, youth groups",
    )
    immediate_risk = _yes_no("Is any child at immediate risk?")
    suicide_or_self_harm_risk = _yes_no(
        "Is there a risk of suicide or self-harm?",
        "People in this position are at known risk, especially at first contact",
    )
    notes = forms.CharField(
        label="Notes (optional)", required=False, max_length=5000, widget=forms.Textarea
    )


class ReferralForm(forms.Form):
    kind = forms.ChoiceField(
        label="Referral made to",
        choices=[(k.value, REFERRAL_LABELS[k]) for k in ReferralKind],
        widget=forms.RadioSelect,
        error_messages={"required": "Select who the referral was made to"},
    )
    made_on = forms.DateField(
        label="Date the referral was made",
        help_text="For example, 2026-03-27",
        error_messages={"required": "Enter the date the referral was made"},
    )
    agency = forms.CharField(
        label="Team or agency (optional)",
        required=False,
        max_length=200,
        help_text="For example, the MASH of the local authority",
    )

    def clean_made_on(self):
        made_on = self.cleaned_data["made_on"]
        if made_on > timezone.localdate():
            raise forms.ValidationError("The date the referral was made must be today or earlier")
        return made_on


class OutcomeForm(forms.Form):
    outcome = forms.CharField(
        label="Outcome",
        max_length=5000,
        widget=forms.Textarea,
        error_messages={"required": "Enter the outcome of the referral"},
    )
    outcome_on = forms.DateField(
        label="Date of the outcome",
        help_text="For example, 2026-03-27",
        error_messages={"required": "Enter the date of the outcome"},
    )
