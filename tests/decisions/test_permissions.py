"""One source of permissions (issue 19.2; docs/extensions.md): at every stage of a case and for
every police role, the decisions panel offers exactly the actions ``allowed_actions`` allows,
and the service refuses every action it refuses (with the app's stable error code)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import transaction

from comeforward.audit.models import AuditEvent
from comeforward.cases.extensions import extension
from comeforward.cases.services import case_team_add
from comeforward.decisions import services
from comeforward.decisions.selectors import decision_holdings
from comeforward.errors import DomainError
from comeforward.roles import Role

from ..cases.helpers import client_with_reason
from .helpers import ELIGIBLE_CONFIRMED, S23_MET, decision_case

pytestmark = pytest.mark.django_db

POLICE = (Role.SUPERVISOR, Role.INVESTIGATOR, Role.OFFENDER_MANAGER, Role.INTAKE_OFFICER)

#: The page each action's button opens (``decisions`` URL names, ``cases.case_pages``).
BUTTON = {
    "recommend": "recommendation",
    "decide": "decide",
    "approve": "approve/{decision}",
    "caution": "caution",
    "correct_caution": "caution/correct",
    "refer": "prosecution",
    "prosecution_result": "prosecution/result",
    "record_outcome": "outcome",
    "correct_outcome": "outcome/correct",
    "leave_scheme": "leave-scheme",
}


@pytest.fixture(autouse=True)
def _isolated(case_extensions):
    case_extensions.keep_facts("decisions")
    case_extensions.keep_policy_sources("Person record (age today)")


def _stage(name, police_force, a, b):
    """A case at one stage of the decision (``a`` decides, ``b`` approves)."""
    case = decision_case(police_force)
    if name == "new":
        return case
    services.recommendation_create(actor=a, case=case, confirmed=ELIGIBLE_CONFIRMED)
    if name == "recommended":
        return case
    decision = services.decision_record(
        actor=a, case=case, outcome="divert", reason_code="meets_criteria", reason_text="Ok"
    )
    if name == "pending":
        return case
    services.decision_approve(actor=b, decision=decision, approve=True)
    if name == "diverted":
        return case
    services.caution_record(
        actor=a,
        case=case,
        kind="simple_caution",
        offences=["PCA1978_S1"],
        offence_date=dt.date(2025, 6, 1),
        youngest_depicted_age=12,
        caution_date=dt.date(2026, 3, 2),
        conditions=[],
        requirements=S23_MET,
    )
    case.refresh_from_db()
    return case


def _attempt(verb, actor, case):
    """Run the service behind ``verb`` with input it would accept were it allowed."""
    case.refresh_from_db()
    _stored, held = decision_holdings(case)
    calls = {
        "recommend": lambda: services.recommendation_create(
            actor=actor, case=case, confirmed=ELIGIBLE_CONFIRMED
        ),
        "decide": lambda: services.decision_record(
            actor=actor, case=case, outcome="nfa", reason_code="other", reason_text="x"
        ),
        "approve": lambda: services.decision_approve(
            actor=actor, decision=held["decision"], approve=True
        ),
        "caution": lambda: services.caution_record(
            actor=actor,
            case=case,
            kind="simple_caution",
            offences=["PCA1978_S1"],
            offence_date=dt.date(2025, 6, 1),
            youngest_depicted_age=12,
            caution_date=dt.date(2026, 3, 2),
            conditions=[],
            requirements=S23_MET,
        ),
        "correct_caution": lambda: services.caution_correct(
            actor=actor, caution=held["caution"], reason="Typo", youngest_depicted_age=13
        ),
        "refer": lambda: services.prosecution_referral_record(
            actor=actor,
            case=case,
            offences=["PCA1978_S1"],
            evidence_summary="Exhibits",
            reasons="Reasons",
            sent_to_cps_on=dt.date(2026, 3, 5),
        ),
        "prosecution_result": lambda: services.prosecution_result_record(
            actor=actor, referral=held["referral"], result="charged", result_date=dt.date.today()
        ),
        "record_outcome": lambda: services.case_outcome_record(
            actor=actor, case=case, code="3" if held["caution"] else "22"
        ),
        "correct_outcome": lambda: services.case_outcome_correct(
            actor=actor, outcome=held["outcome"], code="21", reason="Typo"
        ),
        "leave_scheme": lambda: services.scheme_exit_record(
            actor=actor, case=case, target="investigation", reason_code="denial", reason_text="x"
        ),
    }
    return calls[verb]


@pytest.mark.parametrize("stage", ["new", "recommended", "pending", "diverted", "cautioned"])
def test_buttons_are_the_allowed_actions_and_services_refuse_the_rest(
    stage, make_user, sign_in, police_force
):
    a, b = make_user(Role.SUPERVISOR), make_user(Role.SUPERVISOR)
    case = _stage(stage, police_force, a, b)
    people = {"deciding supervisor": a, "other supervisor": b} | {
        role: make_user(role) for role in POLICE if role != Role.SUPERVISOR
    }
    decisions = extension("decisions")
    for label, user in people.items():
        if user.role != Role.SUPERVISOR:
            case_team_add(actor=None, case=case, user=user)
        case.refresh_from_db()
        actions = {a.key.split(".", 1)[1]: a for a in decisions.allowed_actions(user, case)}
        assert set(actions) == set(BUTTON)
        page = client_with_reason(sign_in, user, case).get(f"/cases/{case.pk}/").content.decode()
        shown = set(re.findall(rf'href="/cases/{case.pk}/decisions/([^"]+)"', page))
        _stored, held = decision_holdings(case)
        decision_pk = held["decision"].pk if held["decision"] else 0
        expected = {
            BUTTON[verb].format(decision=decision_pk)
            for verb, action in actions.items()
            if action.allowed
        }
        assert shown == expected, (stage, label)

        for verb, action in actions.items():
            if action.allowed:
                continue
            attempt = _attempt(verb, user, case)
            needs = {
                "approve": "decision",
                "correct_caution": "caution",
                "prosecution_result": "referral",
                "correct_outcome": "outcome",
            }
            if verb in needs and held[needs[verb]] is None:
                continue  # nothing to act on: the service is not reachable without it
            written = AuditEvent.objects.count()
            # Refused: ACTION_NOT_ALLOWED, the app's own code for that refusal, or a check of
            # the input that comes first (the s.23 requirements of a caution); nothing written.
            with transaction.atomic(), pytest.raises(DomainError) as refused:
                attempt()
            assert refused.value.code and refused.value.message, (stage, label, verb)
            assert AuditEvent.objects.count() == written, (stage, label, verb)
