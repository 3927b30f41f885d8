from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .rules import ACCESS_KINDS, AGE_BANDS, REFERRAL_LABELS, RELATIONSHIPS, ReferralKind

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


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
        label=_("Notes (optional)"), required=False, max_length=5000, widget=forms.Textarea
    )


class ReferralForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Referral made to"),
        choices=[(k.value, REFERRAL_LABELS[k]) for k in ReferralKind],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select who the referral was made to")},
    )
    made_on = forms.DateField(
        label=_("Date the referral was made"),
        help_text=_("For example, 2026-03-27"),
        error_messages={"required": _("Enter the date the referral was made")},
    )
    agency = forms.CharField(
        label=_("Team or agency (optional)"),
        required=False,
        max_length=200,
        help_text=_("For example, the MASH of the local authority"),
    )

    def clean_made_on(self):
        made_on = self.cleaned_data["made_on"]
        if made_on > timezone.localdate():
            raise forms.ValidationError(
                _("The date the referral was made must be today or earlier")
            )
        return made_on


class OutcomeForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome"),
        max_length=5000,
        widget=forms.Textarea,
        error_messages={"required": _("Enter the outcome of the referral")},
    )
    outcome_on = forms.DateField(
        label=_("Date of the outcome"),
        help_text=_("For example, 2026-03-27"),
        error_messages={"required": _("Enter the date of the outcome")},
    )


SUPERVISED = [("unknown", _("Not known")), ("yes", _("Yes, always supervised")), ("no", _("No"))]


class ChildForm(forms.Form):
    """A child the person has access to (S1; issue 12.3). No names: need-to-know."""

    age_band = forms.ChoiceField(
        label=_("Child's age"),
        choices=list(AGE_BANDS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the child's age")},
    )
    relationship = forms.ChoiceField(
        label=_("Relationship to the person"),
        choices=list(RELATIONSHIPS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the relationship")},
    )
    access_kind = forms.ChoiceField(
        label=_("Kind of access"),
        choices=list(ACCESS_KINDS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the kind of access")},
    )
    supervised = forms.TypedChoiceField(
        label=_("Is the access always supervised by another adult?"),
        choices=SUPERVISED,
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
        initial="unknown",
        required=False,
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label=_("Notes (optional)"), required=False, max_length=5000, widget=forms.Textarea
    )


class ChildEndForm(forms.Form):
    ended_on = forms.DateField(
        label=_("Date access ended"),
        help_text=_("For example, 2026-03-27"),
        error_messages={"required": _("Enter the date access ended")},
    )

    def clean_ended_on(self):
        ended_on = self.cleaned_data["ended_on"]
        if ended_on > timezone.localdate():
            raise forms.ValidationError(_("The date access ended must be today or earlier"))
        return ended_on
