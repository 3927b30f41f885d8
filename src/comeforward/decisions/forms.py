"""Forms of the decisions pages. Unknown stays unknown: tri-state questions default to
"Not known" and become ``None``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from comeforward.policy import PolicyFacts

from .domain import (
    CAUTION_LABELS,
    CONDITION_KINDS,
    DECISION_LABELS,
    DECISION_REASONS,
    FAST_EXIT_REASONS,
    FAST_EXIT_TARGETS,
    OFFENCE_LABELS,
    OUTCOME_CODES,
    PROSECUTION_RESULT_LABELS,
    SIGNATURE_LABELS,
    CautionRequirements,
)

TRI_STATE = [("unknown", _("Not known")), ("yes", _("Yes")), ("no", _("No"))]
RISK_LEVELS = [
    ("unknown", _("Not known")),
    ("low", _("Low")),
    ("medium", _("Medium")),
    ("high", _("High")),
    ("very_high", _("Very high")),
]

#: Each policy fact's question (domain-rules.md §4.7).
FACT_LABELS: dict[str, str] = {
    "age_at_caution": "Age at the date of caution (years)",
    "age_at_offence": "Age at the time of the offence (years)",
    "admission_recorded": "Full, reliable admission recorded in interview",
    "admission_only_at_caution_stage": "Admission obtained only at the cautioning stage",
    "forensic_examination_complete": "Forensic examination of the devices complete",
    "ungraded_item_count": "Ungraded items (unmatched or uncategorised images and videos)",
    "ungraded_sample_review_certified": "An examiner certified a reasoned sample review of the "
    "ungraded items",
    "contact_sexual_offending": "Any contact sexual offending (conviction, caution, charge, "
    "credible allegation or self-report)",
    "specific_child_safeguarding_concern": "Current safeguarding concern about a specific child",
    "production_or_distribution": "Production, sharing or distribution",
    "commissioning_or_live_streaming": "Commissioning or paying for abuse, or live-streaming",
    "online_sexual_communication_with_minor": "Online sexual communication with a child",
    "category_a_count": "Category A images (count)",
    "category_b_count": "Category B images (count)",
    "category_c_count": "Category C images (count)",
    "previous_sexual_convictions_or_cautions": "Previous sexual convictions or cautions",
    "other_history_violent_or_sexual": "Other criminal history that is violent or sexual",
    "similar_caution_within_period": "A similar caution within the last 2 years",
    "access_to_children": "Lives with or has unsupervised access to children",
    "strategy_discussion_held": "Strategy discussion held",
    "safety_plan_agreed": "Safety plan agreed with children's social care",
    "works_or_volunteers_with_children": "Works or volunteers with children",
    "lado_concluded_diversion_suitable": "LADO process concluded diversion is suitable",
    "assessment_complete": "Independent assessment complete",
    "assessed_risk_level": "Overall risk level from the independent assessment",
    "consents_to_conditions": "Consents to the conditions",
    "offences": "Offences",
}
INT_FACTS = {
    "age_at_caution",
    "age_at_offence",
    "category_a_count",
    "category_b_count",
    "category_c_count",
    "ungraded_item_count",
}
assert set(FACT_LABELS) == set(PolicyFacts.field_names())


def _past(field: forms.DateField) -> forms.DateField:
    """A date that cannot be after today (an offence, a caution, a court result): refused by
    ``ui.forms``' shared date check (issue 11.8); the services refuse it too."""
    field.not_after_today = True  # type: ignore[attr-defined]
    return field


def display_value(value: Any) -> str:
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    if isinstance(value, list | tuple):
        return ", ".join(OFFENCE_LABELS.get(v, v) for v in value)
    return str(value)


class RecommendationForm(forms.Form):
    """One question per policy fact. A fact the case's records already hold is shown with
    what they say; the supervisor answers only what they know more of (issue 12.3: their
    answer is combined with the records', the most restrictive counts). Nothing is required."""

    def __init__(self, *args, on_record: dict[str, Any] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        on_record = on_record or {}
        for name in PolicyFacts.field_names():
            label = FACT_LABELS[name]
            if name in on_record:
                fact = on_record[name]
                label = f"{label} (records say: {display_value(fact.value)} — {fact.source})"
            if name in INT_FACTS:
                self.fields[name] = forms.IntegerField(
                    label=label,
                    required=False,
                    min_value=0,
                    max_value=10_000_000,
                    help_text=_("Leave blank if not known"),
                )
            elif name == "assessed_risk_level":
                self.fields[name] = forms.ChoiceField(
                    label=label,
                    choices=RISK_LEVELS,
                    initial="unknown",
                    required=False,
                    widget=forms.RadioSelect,
                )
            elif name == "offences":
                self.fields[name] = forms.MultipleChoiceField(
                    label=label,
                    choices=list(OFFENCE_LABELS.items()),
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_("Leave empty if not yet known"),
                )
            else:
                self.fields[name] = forms.ChoiceField(
                    label=label,
                    choices=TRI_STATE,
                    initial="unknown",
                    required=False,
                    widget=forms.RadioSelect,
                )

    def confirmed_facts(self) -> dict[str, Any]:
        """What the supervisor confirmed; "Not known" and blanks are left out (unknown)."""
        facts: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if value in ("unknown", None, "", []):
                continue
            if value in ("yes", "no"):
                value = value == "yes"
            facts[name] = value
        return facts


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=list(DECISION_LABELS.items()), widget=forms.RadioSelect
    )
    reason_code = forms.ChoiceField(
        label=_("Main reason"), choices=list(DECISION_REASONS.items()), widget=forms.RadioSelect
    )
    reason_text = forms.CharField(
        label=_("Reasons in full"),
        max_length=5000,
        widget=forms.Textarea,
        help_text=_("Recorded with the decision and shown to the approving supervisor"),
    )


class ApprovalForm(forms.Form):
    approve = forms.ChoiceField(
        label=_("Do you approve this decision?"),
        choices=[("yes", _("Approve")), ("no", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note (required to refuse)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea,
    )


CONDITION_SLOTS = 3


#: The s.23 requirements the officer confirms on the caution form (the admission and the
#: authorised decision are taken from the case's records).
CONFIRMATIONS = {
    "evidence": "There is sufficient evidence to charge the person with the offence (s.23(1))",
    "explanation": "I explained the effect of the caution and warned the person that failing "
    "a condition may lead to prosecution for the offence (s.23(4))",
    "consent": "The person consents to the caution and its conditions (s.23(5))",
}


class CautionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type of caution"), choices=list(CAUTION_LABELS.items()), widget=forms.RadioSelect
    )
    offences = forms.MultipleChoiceField(
        label=_("Offences"),
        choices=list(OFFENCE_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    offence_date = _past(
        forms.DateField(
            label=_("Date of the offence (or the last date of it)"),
            widget=forms.DateInput(attrs={"type": "date"}),
        )
    )
    youngest_depicted_age = forms.IntegerField(
        label=_("Age of the youngest person depicted (years)"),
        required=False,
        min_value=0,
        max_value=17,
        help_text=_("From the forensic examination; leave blank if not known"),
    )
    caution_date = _past(
        forms.DateField(
            label=_("Date of the caution"), widget=forms.DateInput(attrs={"type": "date"})
        )
    )

    def __init__(self, *args, disposals=None, **kwargs):
        super().__init__(*args, **kwargs)
        if disposals is not None:
            self.fields["kind"].choices = [(d.kind, d.label) for d in disposals.available()]
            waiting = [d.label for d in disposals.types.values() if not d.commenced]
            if waiting:
                self.fields["kind"].help_text = (
                    "Not yet available (awaiting commencement and legal sign-off): "
                    + ", ".join(waiting)
                )
        choices = [("", _("No condition")), *CONDITION_KINDS.items()]
        for i in range(1, CONDITION_SLOTS + 1):
            self.fields[f"condition_{i}_kind"] = forms.ChoiceField(
                label=f"Condition {i}", choices=choices, required=False
            )
            self.fields[f"condition_{i}_description"] = forms.CharField(
                label=f"Condition {i}: what the person must do",
                required=False,
                max_length=2000,
                widget=forms.Textarea,
            )
            self.fields[f"condition_{i}_deadline"] = forms.DateField(
                label=f"Condition {i}: deadline",
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )

        self.fields["confirmations"] = forms.MultipleChoiceField(
            label=_("Requirements for the caution (CJA 2003 s.23)"),
            choices=list(CONFIRMATIONS.items()),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("The admission and the authorised decision are taken from the case"),
        )
        self.fields["signature_method"] = forms.ChoiceField(
            label=_("The signed document"),
            choices=list(SIGNATURE_LABELS.items()),
            required=False,
            widget=forms.RadioSelect,
        )
        self.fields["signature_reference"] = forms.CharField(
            label=_("Reference of the scanned signed document"),
            required=False,
            max_length=200,
            help_text=_("Only for a document signed on paper"),
        )
        self.fields["signed_name"] = forms.CharField(
            label=_("Signed in person: the person types their full name"),
            required=False,
            max_length=200,
            help_text=_("Only when the person signs on screen in front of you"),
        )

    def requirements(self) -> CautionRequirements:
        data = self.cleaned_data
        confirmed = set(data.get("confirmations") or [])
        return CautionRequirements(
            evidence_sufficient="evidence" in confirmed,
            explanation_given="explanation" in confirmed,
            consent_given="consent" in confirmed,
            signature_method=data.get("signature_method") or "",
            signature_reference=data.get("signature_reference") or "",
            signed_name=data.get("signed_name") or "",
        )

    def conditions(self) -> list[dict[str, Any]]:
        out = []
        for i in range(1, CONDITION_SLOTS + 1):
            kind = self.cleaned_data.get(f"condition_{i}_kind")
            if kind:
                out.append(
                    {
                        "kind": kind,
                        "description": self.cleaned_data.get(f"condition_{i}_description", ""),
                        "deadline": self.cleaned_data.get(f"condition_{i}_deadline"),
                    }
                )
        return out


class CautionCorrectionForm(forms.Form):
    offences = forms.MultipleChoiceField(
        label=_("Offences"),
        choices=list(OFFENCE_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    offence_date = _past(
        forms.DateField(
            label=_("Date of the offence (or the last date of it)"),
            widget=forms.DateInput(attrs={"type": "date"}),
        )
    )
    youngest_depicted_age = forms.IntegerField(
        label=_("Age of the youngest person depicted (years)"),
        required=False,
        min_value=0,
        max_value=17,
        help_text=_("Leave blank if still not known"),
    )
    caution_date = _past(
        forms.DateField(
            label=_("Date of the caution"), widget=forms.DateInput(attrs={"type": "date"})
        )
    )
    reason = forms.CharField(
        label=_("Reason for the correction"), max_length=2000, widget=forms.Textarea
    )


class OutcomeCorrectionForm(forms.Form):
    code = forms.ChoiceField(
        label=_("Home Office outcome code"),
        choices=list(OUTCOME_CODES.items()),
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for the correction"), max_length=2000, widget=forms.Textarea
    )


class SchemeExitForm(forms.Form):
    target = forms.ChoiceField(
        label=_("Where the case goes"),
        choices=list(FAST_EXIT_TARGETS.items()),
        widget=forms.RadioSelect,
    )
    reason_code = forms.ChoiceField(
        label=_("Main reason"), choices=list(FAST_EXIT_REASONS.items()), widget=forms.RadioSelect
    )
    reason_text = forms.CharField(
        label=_("Reasons in full"),
        max_length=5000,
        widget=forms.Textarea,
        help_text=_("The scheme's remaining tasks close; the safeguarding work stays open"),
    )


class OutcomeForm(forms.Form):
    code = forms.ChoiceField(
        label=_("Home Office outcome code"),
        choices=list(OUTCOME_CODES.items()),
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea)


class ProsecutionForm(forms.Form):
    offences = forms.MultipleChoiceField(
        label=_("Offences"),
        choices=list(OFFENCE_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    evidence_summary = forms.CharField(
        label=_("Summary of the evidence"), max_length=20000, widget=forms.Textarea
    )
    reasons = forms.CharField(
        label=_("Reasons for prosecution"), max_length=5000, widget=forms.Textarea
    )
    sent_to_cps_on = forms.DateField(
        label=_("Date sent to the CPS"), widget=forms.DateInput(attrs={"type": "date"})
    )


class ProsecutionResultForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Result"),
        choices=list(PROSECUTION_RESULT_LABELS.items())[1:],
        widget=forms.RadioSelect,
    )
    result_date = _past(
        forms.DateField(
            label=_("Date of the result"), widget=forms.DateInput(attrs={"type": "date"})
        )
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea)
