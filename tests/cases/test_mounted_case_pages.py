"""Case pages mounted once (issue 19.3; cases/case_pages.py): every URL under
``cases/<case_id>/<app>/`` is a case page, and opening any of them writes the consultation to
the audit trail with the user's reason (DPA 2018 s.62) — or asks for the reason first."""

from __future__ import annotations

import re

import pytest
from django.urls import get_resolver

from comeforward.audit.models import AuditEvent
from comeforward.cases.case_pages import SCOPE_ATTRIBUTE, case_page, case_urlpatterns
from comeforward.cases.extensions import CaseExtension
from comeforward.cases.models import PartnerGrant
from comeforward.cases.services import case_team_add
from comeforward.roles import Role

from ..cases.helpers import client_with_reason
from ..factories import CaseFactory

pytestmark = pytest.mark.django_db

POLICE = {Role.SUPERVISOR, Role.INVESTIGATOR, Role.OFFENDER_MANAGER, Role.INTAKE_OFFICER}


def _case_urls():
    """``(route, view)`` of every URL mounted by ``case_urlpatterns`` (from the live URLconf)."""
    found = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, route)
            else:
                found.append((route, pattern.callback))

    walk(get_resolver().url_patterns)
    return [(route, view) for route, view in found if "<int:case_id>" in route]


CASE_URLS = _case_urls()


def _app(route: str) -> str:
    """The app whose page it is (the cases app's own pages have no app segment)."""
    view_module = dict(CASE_URLS)[route].__module__
    return view_module.split(".")[1]


def test_every_app_that_has_case_pages_is_mounted_there():
    apps = {_app(route) for route, _ in CASE_URLS if route.startswith("cases/<int:case_id>/")}
    assert apps >= {
        "assessments",
        "cases",
        "decisions",
        "documents",
        "exhibits",
        "interviews",
        "register",
        "safeguarding",
        "statistics",
        "treatment",
    }
    # and every one of them is a case page (mounting refuses any other view)
    assert [route for route, view in CASE_URLS if not getattr(view, SCOPE_ATTRIBUTE, None)] == []


def test_a_view_that_is_not_a_case_page_cannot_be_mounted(case_extensions):
    from django.core.exceptions import ImproperlyConfigured
    from django.http import HttpResponse
    from django.urls import path

    def unaudited(request, case_id):
        return HttpResponse("case")

    class Leaky(CaseExtension):
        key = "leaky"

        def case_urls(self):
            return [path("page", unaudited)]

    case_extensions.use(Leaky())
    with pytest.raises(ImproperlyConfigured, match="not a case_page"):
        case_urlpatterns()

    class Fixed(Leaky):
        def case_urls(self):
            return [path("page", case_page("leaky.page")(unaudited))]

    case_extensions.use(Fixed())
    assert any("leaky" in str(p.pattern) for p in case_urlpatterns())


def _user_who_may_open(make_user, view, case):
    """A user whose role the view admits, who may see ``case`` (team or partner grant)."""
    roles = sorted(getattr(view, "allowed_roles", None) or {Role.SUPERVISOR})
    role = Role.SUPERVISOR if Role.SUPERVISOR in roles else roles[0]
    user = make_user(role)
    if role in POLICE:
        case_team_add(actor=None, case=case, user=user)
    else:
        PartnerGrant.objects.create(case=case, organisation=user.organisation, role=role)
    return user


@pytest.mark.parametrize(("route", "view"), CASE_URLS, ids=[route for route, _ in CASE_URLS])
def test_every_case_url_writes_a_consultation_with_the_reason(
    route, view, make_user, sign_in, police_force
):
    case = CaseFactory(owning_organisation=police_force)
    user = _user_who_may_open(make_user, view, case)
    # other ids in the route (a decision, an exhibit…) name nothing: the case is still opened
    url = "/" + re.sub(
        r"<int:(\w+)>", lambda m: str(case.pk if m[1] == "case_id" else 999999), route
    )

    asked = sign_in(user).get(url)
    if asked.status_code != 405:  # a POST-only page is asked the same way below
        assert asked.status_code == 302 and "/audit/reason" in asked["Location"], url
        assert not AuditEvent.objects.filter(operation="consult", subject_id=str(case.pk)).exists()

    client = client_with_reason(sign_in, user, case)
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {})
    assert response.status_code != 403, url
    event = AuditEvent.objects.filter(
        operation="consult", subject_type="case", subject_id=str(case.pk)
    ).get()
    assert (event.actor_id, event.justification) == (user.pk, "Testing")
    assert event.scope == getattr(view, SCOPE_ATTRIBUTE)
