"""Forms of the team pages (accounts/team_views.py)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

NO_TEAM = "none"


class TeamAddForm(forms.Form):
    name = forms.CharField(
        label=_("Team name"),
        max_length=100,
        error_messages={"required": _("Enter the team's name")},
        help_text=_("For example, Online CSAM team North"),
    )


class UserTeamForm(forms.Form):
    team = forms.ChoiceField(
        label=_("Team"), widget=forms.RadioSelect, error_messages={"required": _("Select a team")}
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [(str(t.pk), t.name) for t in teams] + [(NO_TEAM, "No team")]
