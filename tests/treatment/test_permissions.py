"""One source of permissions for treatment (issue 19.2; docs/extensions.md): at each stage the
case page's treatment links are exactly what ``treatment_actions`` allows, and the services
refuse what it refuses, writing nothing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import transaction

from comeforward.audit.models import AuditEvent
from comeforward.cases.domain.states import CaseState as S
from comeforward.cases.extensions import extension
from comeforward.cases.services import case_team_add
from comeforward.errors import DomainError
from comeforward.roles import Role
from comeforward.treatment import selectors, services

from ..cases.helpers import client_with_reason
from ..factories import CaseFactory
from .conftest import give_caution

pytestmark = pytest.mark.django_db

#: The page each action's link opens, under /cases/<id>/treatment/.
LINK = {
    "refer": "refer",
    "record_session": "sessions/new",
    "add_note": "notes/new",
    "record_outcome": "outcome",
    "open_breach_review": "breach-reviews/new",
    "decide_breach_review": "breach-reviews/{review}/decide",
}


def _attempt(verb, actor, case, provider_org):
    referral = selectors.referral_for_case(case)
    review = next((r for r in selectors.case_breach_reviews(case) if not r.decision), None)
    return {
        "refer": lambda: services.treatment_refer(
            actor=actor, case=case, provider=provider_org, programme="P", expected_sessions=3
        ),
        "record_session": lambda: services.treatment_session_record(
            actor=actor, referral=referral, date=dt.date(2025, 1, 6), attendance="attended"
        ),
        "add_note": lambda: services.treatment_note_add(actor=actor, referral=referral, text="x"),
        "record_outcome": lambda: services.treatment_outcome_record(
            actor=actor, referral=referral, outcome="completed"
        ),
        "open_breach_review": lambda: services.breach_review_open(
            actor=actor, case=case, source="manual", reason="Test"
        ),
        "decide_breach_review": lambda: services.breach_review_decide(
            actor=actor, review=review, confirmed=False, reason="No"
        ),
    }[verb], {"referral": referral, "review": review}


@pytest.mark.parametrize("stage", ["cautioned", "referred", "review_open"])
def test_links_are_the_allowed_actions_and_services_refuse_the_rest(
    stage, make_user, sign_in, police_force, provider_org
):
    case = CaseFactory(owning_organisation=police_force, state=S.CAUTIONED)
    give_caution(case)
    if stage != "cautioned":
        services.treatment_refer(
            actor=None, case=case, provider=provider_org, programme="P", expected_sessions=3
        )
    if stage == "review_open":
        services.breach_review_open(actor=None, case=case, source="manual", reason="Test")
    people = [make_user(role) for role in (Role.SUPERVISOR, Role.OFFENDER_MANAGER)]
    case_team_add(actor=None, case=case, user=people[1])
    if stage != "cautioned":
        people.append(make_user(Role.TREATMENT_PROVIDER, organisation=provider_org))
    treatment = extension("treatment")
    for user in people:
        case.refresh_from_db()
        actions = {a.key.split(".", 1)[1]: a for a in treatment.allowed_actions(user, case)}
        assert set(actions) == set(LINK)
        page = client_with_reason(sign_in, user, case).get(f"/cases/{case.pk}/").content.decode()
        shown = set(re.findall(rf'href="/cases/{case.pk}/treatment/([^"]+)"', page))
        _call, held = _attempt("refer", user, case, provider_org)
        review_pk = held["review"].pk if held["review"] else 0
        assert shown == {
            LINK[verb].format(review=review_pk) for verb, a in actions.items() if a.allowed
        }, (stage, user.role)
        for verb, action in actions.items():
            if action.allowed:
                continue
            call, held = _attempt(verb, user, case, provider_org)
            if verb in ("record_session", "add_note", "record_outcome") and not held["referral"]:
                continue  # nothing to act on
            if verb == "decide_breach_review" and held["review"] is None:
                continue
            written = AuditEvent.objects.count()
            with transaction.atomic(), pytest.raises(DomainError) as refused:
                call()
            assert refused.value.code, (stage, user.role, verb)
            assert AuditEvent.objects.count() == written, (stage, user.role, verb)
