from __future__ import annotations

from django import forms


class TransitionForm(forms.Form):
    to_state = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Reason or note (recorded in the case history)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
