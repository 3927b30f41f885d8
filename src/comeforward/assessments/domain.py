"""Choices of the assessments app (used by other apps without its models)."""

from __future__ import annotations

#: Instruments offered on the assessment form (the IIOC-relevant ones, domain-rules.md §3,
#: rule R8: Static-99R must not be scored for IIOC-only offenders, so it is not offered).
INSTRUMENTS = ("cport", "casic", "osp-iic")

RISK_LEVELS = {
    "low": "Low",
    "medium": "Medium",
    "high": "High",
    "very_high": "Very high",
}

RECOMMENDATIONS = {
    "suitable": "Suitable for diversion",
    "not_suitable": "Not suitable for diversion",
}

TREATMENT_PATHWAYS = {
    "psychoeducational_group": "Psycho-educational group programme (e.g. Inform Plus)",
    "individual_therapy": "Individual therapy",
    "self_help": "Self-help with follow-up (e.g. Stop It Now! resources)",
    "none": "No treatment pathway",
}

#: CASIC items that are also safeguarding facts (domain-rules.md §3.2 design note [D]).
#: ``volunteered_with_children`` is taken from the case when it records it
#: (``selectors.casic_items_from_case``); the other is still entered by the assessor.
CASIC_SAFEGUARDING_ITEMS = ("volunteered_with_children", "online_sexual_communication_with_minor")
