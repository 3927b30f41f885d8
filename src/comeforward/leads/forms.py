"""Forms of the leads pages (validation only; the rules are in services and domain)."""

from __future__ import annotations

from django import forms

from .domain import workflow
from .domain.priority import KIRAT_CATEGORIES


class UploadForm(forms.Form):
    file = forms.FileField(label="Bulk file (CSV or JSON Lines)")
    kind = forms.ChoiceField(
        label="Kind of file",
        choices=[("payment", "Payment records"), ("referral", "Industry referrals")],
        widget=forms.RadioSelect,
    )
    source = forms.CharField(label="Source (who supplied the file)", max_length=200)
    legal_basis = forms.CharField(label="Legal basis for holding it", max_length=500)
    grading = forms.CharField(label="Grading (3×5×2, for example 2CP)", max_length=8)


class ReasonForm(forms.Form):
    justification = forms.CharField(label="Why do you need this export?", max_length=500)


class AnnotateForm(forms.Form):
    text = forms.CharField(label="Annotation", widget=forms.Textarea, max_length=4000)


class CorroborateForm(forms.Form):
    kind = forms.ChoiceField(label="Kind", choices=list(workflow.CORROBORATION_KINDS.items()))
    source = forms.CharField(label="Source", max_length=200)
    reference = forms.CharField(label="Reference", max_length=200, required=False)
    summary = forms.CharField(label="Summary", widget=forms.Textarea, max_length=4000)


class AccessForm(forms.Form):
    access_to_children = forms.ChoiceField(
        label="Do checks show access to children?", choices=[("yes", "Yes"), ("no", "No")]
    )


class KiratForm(forms.Form):
    category = forms.ChoiceField(label="KIRAT category", choices=[(c, c) for c in KIRAT_CATEGORIES])
    version = forms.CharField(label="KIRAT version", max_length=32)
    assessor = forms.CharField(label="Assessor", max_length=200)
    assessed_on = forms.DateField(label="Date assessed (YYYY-MM-DD)")


class ProposeForm(forms.Form):
    action = forms.ChoiceField(label="Action", choices=list(workflow.ACTIONS.items()))
    rationale = forms.CharField(label="Why", widget=forms.Textarea, max_length=4000)


class AuthoriseForm(forms.Form):
    note = forms.CharField(
        label="Approval note", widget=forms.Textarea, max_length=4000, required=False
    )


class NfaForm(forms.Form):
    reason = forms.ChoiceField(label="Outcome", choices=list(workflow.NFA_REASONS.items()))
    text = forms.CharField(label="Reason", widget=forms.Textarea, max_length=4000)


class LinkDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("confirmed", "Same person"), ("rejected", "Not the same person")],
    )
    note = forms.CharField(label="Why", widget=forms.Textarea, max_length=2000)


ACTION_FORMS = {
    "annotate": AnnotateForm,
    "corroborate": CorroborateForm,
    "access": AccessForm,
    "kirat": KiratForm,
    "propose": ProposeForm,
    "authorise": AuthoriseForm,
    "nfa": NfaForm,
    "open_case": forms.Form,
}
