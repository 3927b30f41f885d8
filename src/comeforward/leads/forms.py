"""Forms of the leads pages (validation only; the rules are in services and domain)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .domain import workflow
from .domain.priority import KIRAT_CATEGORIES


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Bulk file (CSV or JSON Lines)"))
    kind = forms.ChoiceField(
        label=_("Kind of file"),
        choices=[("payment", _("Payment records")), ("referral", _("Industry referrals"))],
        widget=forms.RadioSelect,
    )
    source = forms.CharField(label=_("Source (who supplied the file)"), max_length=200)
    legal_basis = forms.CharField(label=_("Legal basis for holding it"), max_length=500)
    grading = forms.CharField(label=_("Grading (3×5×2, for example 2CP)"), max_length=8)


class ReasonForm(forms.Form):
    justification = forms.CharField(label=_("Why do you need this export?"), max_length=500)


class AnnotateForm(forms.Form):
    text = forms.CharField(label=_("Annotation"), widget=forms.Textarea, max_length=4000)


class CorroborateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=list(workflow.CORROBORATION_KINDS.items()))
    source = forms.CharField(label=_("Source"), max_length=200)
    reference = forms.CharField(label=_("Reference"), max_length=200, required=False)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea, max_length=4000)


class AccessForm(forms.Form):
    access_to_children = forms.ChoiceField(
        label=_("Do checks show access to children?"), choices=[("yes", _("Yes")), ("no", _("No"))]
    )


class KiratForm(forms.Form):
    category = forms.ChoiceField(
        label=_("KIRAT category"), choices=[(c, c) for c in KIRAT_CATEGORIES]
    )
    version = forms.CharField(label=_("KIRAT version"), max_length=32)
    assessor = forms.CharField(label=_("Assessor"), max_length=200)
    assessed_on = forms.DateField(label=_("Date assessed (YYYY-MM-DD)"))


class ProposeForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), choices=list(workflow.ACTIONS.items()))
    rationale = forms.CharField(label=_("Why"), widget=forms.Textarea, max_length=4000)


class AuthoriseForm(forms.Form):
    note = forms.CharField(
        label=_("Approval note"), widget=forms.Textarea, max_length=4000, required=False
    )


class NfaForm(forms.Form):
    reason = forms.ChoiceField(label=_("Outcome"), choices=list(workflow.NFA_REASONS.items()))
    text = forms.CharField(label=_("Reason"), widget=forms.Textarea, max_length=4000)


class LinkDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("confirmed", _("Same person")), ("rejected", _("Not the same person"))],
    )
    note = forms.CharField(label=_("Why"), widget=forms.Textarea, max_length=2000)


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
