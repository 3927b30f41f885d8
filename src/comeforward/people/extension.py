"""People's part of a case (the case-extension contract, docs/extensions.md): the intake's
person record as a policy source (a child in the household, an occupation with children;
domain-rules.md §4.7 E9/E10)."""

from __future__ import annotations

from typing import Any

from comeforward.cases.extensions import CaseExtension

from . import selectors

INTAKE = "Intake (person record)"


def intake_policy_facts(case) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    if selectors.household_has_children(case.person):
        facts["access_to_children"] = True
    if selectors.works_with_children(case.person):
        facts["works_or_volunteers_with_children"] = True
    return facts


class PeopleExtension(CaseExtension):
    key = "people"
    title = "Person"
    # Cited after the safeguarding screen, before the interview and the register (as before).
    order = 25
    policy_source = INTAKE

    def policy_facts(self, case):
        return intake_policy_facts(case)
