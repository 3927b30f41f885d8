"""The register's section of the case page (its case extension)."""

from __future__ import annotations

from comeforward.cases.facts import case_facts

from . import selectors

#: What the law engine needs and the caution did not record, in words (docs/interfaces.md §3).
MISSING_FACTS = {
    "youngest_depicted_age": "the age of the youngest person depicted",
    "offender_dob": "the person's date of birth",
}


def caution_position(user, case) -> dict | None:
    """What the law engine said when the caution was recorded (``decisions``, read through the
    case's facts — the case-extension contract — so that ``register`` never imports it):
    ``None`` when no caution is recorded. ``notifiable`` is ``None`` when it could not decide
    (SOA 2003 Sch 3 paras 13 and 15 turn on the youngest depicted age), with the missing facts
    named. ``case`` is already scoped to ``user`` (the case page loaded it)."""
    facts = case_facts(case)
    if not facts.caution_administered:
        return None
    return {
        "notifiable": facts.caution_notifiable,
        "caution_date": facts.caution_date,
        "missing": [
            MISSING_FACTS.get(name, name.replace("_", " ")) for name in facts.caution_facts_missing
        ],
    }


def panel_context(request, case) -> dict | None:
    """Shown to the owning force's police users who may see the record; offender managers
    and supervisors are offered to enter one when there is none, and told what the law engine
    said at the caution (notifiable, not notifiable, or cannot decide and why). Partners see
    nothing."""
    from .permissions import register_actions

    user = request.user
    record = selectors.record_for_case(user, case)
    # The links: the one permission rule (permissions.register_actions), never re-derived here.
    actions = {
        action.key.split(".", 1)[1]: action
        for action in register_actions(user, case, record=record)
    }
    if record is None:
        if actions["enter"]:
            return {
                "record": None,
                "due_items": [],
                "caution": caution_position(user, case),
                "actions": actions,
            }
        return None
    return {"record": record, "due_items": selectors.record_due_items(record), "actions": actions}
