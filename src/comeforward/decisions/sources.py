"""Policy facts read from the other apps' selectors, where those apps are installed.

Every route to children (issue 12.3; domain-rules.md §4.7 E9/E10, §5.2 S1/S12) is a source of
its own, and the policy reads the most restrictive of them (``policy_facts``):

- **Safeguarding screen** → children in the household (E9), works with children (E10). A
  screen's "no children" is not relied on once the children recorded have changed since it
  (the re-screen is due); a strategy discussion whose outcome is recorded → held.
- **Children recorded** (safeguarding) → any child with current access, supervised or not.
- **Intake (person record)** → a child in the household, an occupation with children.
- **Interview** → the admission (E2) and the offences admitted (E13).
- **Register period** → a notification of residing or staying with a child (Regs 2012).
- **Forensic examinations** → examination complete (E3), graded category counts, ungraded
  material and its certified sample review (E3/E7), and the examiner's confirmed findings of
  production or distribution (E5) and contact offending (E4) (the latest examination of each
  exhibit).

The independent assessment registers its own provider (``assessments.apps``). Sources only
ever report what they hold: an absence of a record is not a "no".
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.apps import apps

from comeforward.law import Offence

SCREEN = "Safeguarding screen"
CHILDREN = "Children recorded (safeguarding)"
INTAKE = "Intake (person record)"
INTERVIEW = "Interview"
REGISTER = "Register period notifications"
EXAMINATIONS = "Forensic examinations"

#: The interview records the law engine's offence values (comeforward.law.Offence).
LAW_OFFENCES = frozenset(o.value for o in Offence)


def _selectors(app: str):
    if not apps.is_installed(f"comeforward.{app}"):
        return None
    return import_module(f"comeforward.{app}.selectors")


def safeguarding_policy_facts(case) -> dict[str, Any]:
    selectors = _selectors("safeguarding")
    if selectors is None:
        return {}
    facts: dict[str, Any] = {}
    screen = selectors.screen_latest(case)
    if screen is not None:
        stale = selectors.rescreen_due(case)
        if screen.children_in_household or not stale:
            facts["access_to_children"] = screen.children_in_household
        facts["works_or_volunteers_with_children"] = screen.works_with_children
    held = any(
        r.kind == "strategy_discussion" and r.outcome_on is not None
        for r in selectors.referrals_for_case(case)
    )
    if held:
        facts["strategy_discussion_held"] = True
    return facts


def children_policy_facts(case) -> dict[str, Any]:
    selectors = _selectors("safeguarding")
    if selectors is None or not selectors.children_current(case):
        return {}
    return {"access_to_children": True}


def intake_policy_facts(case) -> dict[str, Any]:
    selectors = _selectors("people")
    if selectors is None:
        return {}
    facts: dict[str, Any] = {}
    if selectors.household_has_children(case.person):
        facts["access_to_children"] = True
    if selectors.works_with_children(case.person):
        facts["works_or_volunteers_with_children"] = True
    return facts


def interview_policy_facts(case) -> dict[str, Any]:
    selectors = _selectors("interviews")
    if selectors is None:
        return {}
    interviews = selectors.interviews_for_case(case)
    if not interviews:
        return {}
    latest = max(interviews, key=lambda i: (i.held_on, i.pk))
    offences = [o for o in latest.offences_admitted if o in LAW_OFFENCES]
    return {
        "admission_recorded": latest.admission_recorded,
        "offences": offences or None,
    }


def register_policy_facts(case) -> dict[str, Any]:
    if not apps.is_installed("comeforward.register"):
        return {}
    notification = apps.get_model("register", "RegisterNotification")
    matters = notification.objects.filter(record__case=case).values_list("matters", flat=True)
    if any("child_household" in (m or []) for m in matters):
        return {"access_to_children": True}
    return {}


def exhibits_policy_facts(case) -> dict[str, Any]:
    selectors = _selectors("exhibits")
    if selectors is None:
        return {}
    exhibits = selectors.exhibits_for_case(case)
    if not exhibits:
        return {}
    latest = []
    for exhibit in exhibits:
        examinations = selectors.examinations_of(exhibit)
        if not examinations:
            return {"forensic_examination_complete": False}
        latest.append(max(examinations, key=lambda e: e.pk))
    ungraded = sum(e.ungraded_total for e in latest)
    facts: dict[str, Any] = {
        "forensic_examination_complete": True,
        "category_a_count": sum(e.category_a for e in latest),
        "category_b_count": sum(e.category_b for e in latest),
        "category_c_count": sum(e.category_c for e in latest),
        "ungraded_item_count": ungraded,
    }
    if ungraded:
        facts["ungraded_sample_review_certified"] = all(
            e.ungraded_total == 0 or e.sample_review_certified for e in latest
        )
    findings = [e.findings or {} for e in latest]
    if any(f.get("production") or f.get("distribution") for f in findings):
        facts["production_or_distribution"] = True
    if any(f.get("contact_offending") for f in findings):
        facts["contact_sexual_offending"] = True
    return facts
