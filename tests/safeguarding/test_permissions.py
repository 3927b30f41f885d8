"""One source of permissions for safeguarding (issue 19.2; docs/extensions.md): for every role
and state of the case's referrals and children, the case page's safeguarding links are exactly
what ``safeguarding_actions`` allows (for the case, each referral and each child record), and
the views and the services both refuse what it refuses, writing nothing."""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from django.utils import timezone

from comeforward.audit.models import AuditEvent
from comeforward.cases.extensions import extension
from comeforward.errors import DomainError
from comeforward.roles import Role
from comeforward.safeguarding import permissions, services
from comeforward.safeguarding.models import ChildAccess, SafeguardingReferral, SafeguardingScreen

from .test_pages import world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

RECORDERS = {Role.INTAKE_OFFICER, Role.INVESTIGATOR, Role.SUPERVISOR}
CHILD = {"age_band": "5_to_10", "relationship": "own_child", "access_kind": "household"}


def _written():
    return tuple(
        m.objects.count()
        for m in (AuditEvent, SafeguardingScreen, SafeguardingReferral, ChildAccess)
    )


def _set_up(stage, case, officer):
    """``none``: nothing recorded; ``open``: an open referral and a current child; ``closed``:
    the referral's outcome recorded and access to the child ended."""
    if stage == "none":
        return None, None
    today = timezone.localdate()
    referral = services.safeguarding_referral_record(
        actor=officer, case=case, kind="lado", made_on=today
    )
    child = services.child_access_record(actor=officer, case=case, supervised=None, **CHILD)
    if stage == "closed":
        services.safeguarding_referral_outcome_record(
            actor=officer, referral=referral, outcome="No further action", outcome_on=today
        )
        services.child_access_end(actor=officer, child=child, ended_on=today)
        referral.refresh_from_db()
    return referral, child


def _attempts(actor, case, referral, child):
    today = timezone.localdate()
    return {
        "screen": lambda: services.safeguarding_screen_record(
            actor=actor,
            case=case,
            children_in_household=False,
            works_with_children=False,
            immediate_risk=False,
            suicide_or_self_harm_risk=False,
        ),
        "refer": lambda: services.safeguarding_referral_record(
            actor=actor, case=case, kind="lado", made_on=today
        ),
        "record_outcome": lambda: services.safeguarding_referral_outcome_record(
            actor=actor, referral=referral, outcome="x", outcome_on=today
        ),
        "record_child": lambda: services.child_access_record(
            actor=actor, case=case, supervised=None, **CHILD
        ),
        "change_child": lambda: services.child_access_change(
            actor=actor, child=child, supervised=True, **CHILD
        ),
        "end_child": lambda: services.child_access_end(actor=actor, child=child, ended_on=today),
    }


def _pages(case, referral, child):
    base = f"/cases/{case.pk}/safeguarding/"
    return {
        "screen": base + "screen",
        "refer": base + "referrals/new",
        "record_outcome": base + f"referrals/{referral.pk}/outcome" if referral else None,
        "record_child": base + "children/new",
        "change_child": base + f"children/{child.pk}/change" if child else None,
        "end_child": base + f"children/{child.pk}/end" if child else None,
    }


@pytest.mark.parametrize("stage", ["none", "open", "closed"])
def test_links_views_and_services_agree(stage, world, case_client):  # noqa: F811
    case, users = world
    referral, child = _set_up(stage, case, users[Role.INTAKE_OFFICER])
    rule = extension("safeguarding")
    for role in (*RECORDERS, Role.OFFENDER_MANAGER, Role.FORENSIC_EXAMINER):
        user = users[role]
        case_wide = permissions.by_verb(rule.allowed_actions(user, case))
        assert set(case_wide) == {k.split(".", 1)[1] for k in permissions.LABELS}
        # The matrix: recorders may record; the referral and the child only while open/current.
        expected = (
            {"screen", "refer", "record_child"}
            | ({"record_outcome", "change_child", "end_child"} if stage == "open" else set())
            if role in RECORDERS
            else set()
        )
        assert {v for v, a in case_wide.items() if a} == expected, (stage, role)
        # The one rule for the page's objects (what the panel links and the views check).
        now = dict(case_wide)
        if referral:
            now["record_outcome"] = permissions.referral_action(user, case, referral)
        client = case_client(user, case)
        page = client.get(f"/cases/{case.pk}/").content.decode()
        shown = {
            f"/cases/{case.pk}/safeguarding/{p}"
            for p in re.findall(rf'href="/cases/{case.pk}/safeguarding/([^"]+)"', page)
        }
        pages = _pages(case, referral, child)
        assert shown == {pages[v] for v, a in now.items() if a and pages[v]}, (stage, role)
        for verb, action in now.items():
            if action.allowed or pages[verb] is None:
                continue
            assert action.reason, (stage, role, verb)
            before = _written()
            with transaction.atomic(), pytest.raises(DomainError) as refused:
                _attempts(user, case, referral, child)[verb]()
            assert refused.value.code, (stage, role, verb)
            assert _written() == before, (stage, role, verb)
            response = client.get(pages[verb])
            assert response.status_code in (302, 403), (stage, role, verb)
            if response.status_code == 302:
                assert response.url == f"/cases/{case.pk}/", (stage, role, verb)
            assert _written()[1:] == before[1:], (stage, role, verb)
