from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

PURPOSES = {
    "give_to_person": "To give to the person (their copy)",
    "case_file": "For the case file",
    "cps": "For the Crown Prosecution Service",
    "partner": "For a partner agency with access to the case",
}


class GenerateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), widget=forms.RadioSelect)
    purpose = forms.ChoiceField(
        label=_("Purpose (recorded as the justification)"),
        choices=list(PURPOSES.items()),
        widget=forms.RadioSelect,
    )

    language = forms.ChoiceField(
        label=_("Language of the document"),
        choices=[("en", "English"), ("cy", "Cymraeg (Welsh: draft translation awaiting review)")],
        required=False,  # the person's preference unless chosen
        widget=forms.RadioSelect,
        help_text=(
            "The person's preferred language is chosen already. The language chosen for the "
            "person's own copy is kept as their preference."
        ),
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.key, k.title) for k in kinds]

    def justification(self) -> str:
        return PURPOSES[self.cleaned_data["purpose"]]
