"""Administrators' team pages (issue 14.2, 20.7): the teams of their own organisation, and a
user's team. Services: ``team_services`` (audited); need-to-know: ``selectors`` (own
organisation only, as for every other account page)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from comeforward.roles import Role
from comeforward.ui.forms import submit
from comeforward.ui.permissions import role_required

from . import selectors, team_services
from .team_forms import NO_TEAM, TeamAddForm, UserTeamForm


@role_required(Role.ADMINISTRATOR)
def teams(request):
    organisation = request.user.organisation
    form = TeamAddForm(request.POST or None)

    def add(data: dict) -> None:
        team_services.team_create(actor=request.user, organisation=organisation, name=data["name"])

    done = submit(
        request,
        form,
        add,
        success=_("Team added: %(name)s") % {"name": (request.POST.get("name") or "").strip()},
        then=reverse("accounts:teams"),
    )
    return done or render(
        request,
        "accounts/teams.html",
        {
            "title": "Teams",
            "organisation": organisation,
            "teams": selectors.teams_of(organisation.pk),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@role_required(Role.ADMINISTRATOR)
def user_team(request, user_id: int):
    """Change the team of an account of the administrator's own organisation (not their own:
    like a role, another administrator changes it)."""
    target = selectors.user_get_for_admin(request.user, user_id=user_id)
    if target is None or target.pk == request.user.pk:
        raise Http404
    teams = list(selectors.teams_of(request.user.organisation_id))
    form = UserTeamForm(
        request.POST or None,
        teams=teams,
        initial={"team": str(target.team_id) if target.team_id else NO_TEAM},
    )

    def change(data: dict) -> None:
        team = None
        if data["team"] != NO_TEAM:
            team = selectors.team_get(request.user.organisation_id, int(data["team"]))
        team_services.user_team_change(actor=request.user, user=target, team=team)

    done = submit(
        request,
        form,
        change,
        success=_("%(full_name)s's team is changed") % {"full_name": target.full_name},
        then=reverse("accounts:users"),
    )
    return done or render(
        request,
        "accounts/user_team.html",
        {"title": f"Team of {target.full_name}", "target": target, "form": form, "teams": teams},
        status=400 if form.errors else 200,
    )
