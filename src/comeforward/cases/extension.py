"""The intake's part of a case (the case-extension contract, docs/extensions.md): the person
record taken at intake as a policy source (a child in the household, an occupation with
children; domain-rules.md §4.7 E9/E10).

The case is opened with its person (``cases.services``), so ``cases`` reads the person record
through ``people.selectors``; ``people`` sits below ``cases`` and never imports it.
"""

from __future__ import annotations

from typing import Any

from comeforward.people import selectors as people_selectors

from .extensions import CaseExtension

INTAKE = "Intake (person record)"


def intake_policy_facts(case) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    if people_selectors.household_has_children(case.person):
        facts["access_to_children"] = True
    if people_selectors.works_with_children(case.person):
        facts["works_or_volunteers_with_children"] = True
    return facts


class IntakeExtension(CaseExtension):
    key = "intake"
    title = "Person"
    # Cited after the safeguarding screen, before the interview and the register (as before).
    order = 25
    policy_source = INTAKE

    def policy_facts(self, case):
        return intake_policy_facts(case)
