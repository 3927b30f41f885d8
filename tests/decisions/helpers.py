"""A case at the decision stage, with the other apps' workflow facts stubbed out."""

from __future__ import annotations

import datetime as dt

from comeforward.cases import facts as case_facts_module
from comeforward.cases.domain.states import CaseState

from ..factories import CaseFactory, PersonFactory

#: Every policy fact known and eligible, as a supervisor would confirm them.
ELIGIBLE_CONFIRMED = {
    "age_at_offence": 40,
    "admission_recorded": True,
    "admission_only_at_caution_stage": False,
    "forensic_examination_complete": True,
    "ungraded_item_count": 0,
    "contact_sexual_offending": False,
    "specific_child_safeguarding_concern": False,
    "production_or_distribution": False,
    "commissioning_or_live_streaming": False,
    "online_sexual_communication_with_minor": False,
    "category_a_count": 0,
    "category_b_count": 2,
    "category_c_count": 10,
    "previous_sexual_convictions_or_cautions": False,
    "other_history_violent_or_sexual": False,
    "similar_caution_within_period": False,
    "access_to_children": False,
    "works_or_volunteers_with_children": False,
    "assessment_complete": True,
    "assessed_risk_level": "low",
    "consents_to_conditions": True,
    "offences": ["PCA1978_S1"],
}


def only_own_facts(monkeypatch, *own):
    """Keep only the given facts providers (the other apps' are tested in their own suites)."""
    monkeypatch.setattr(case_facts_module, "_PROVIDERS", list(own))


def decision_case(police_force, **fields):
    fields = {"state": CaseState.DECISION} | fields
    return CaseFactory(
        owning_organisation=police_force,
        person=PersonFactory(date_of_birth=dt.date(1968, 1, 9)),
        **fields,
    )
