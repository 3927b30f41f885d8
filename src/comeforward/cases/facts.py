"""A case's facts for the workflow guards, gathered from the apps that own them.

Each app that knows something the guards need (safeguarding, exhibits, interviews,
assessments, decisions, treatment…) answers it from its case extension's ``facts(case)``
(``cases.extensions``, docs/extensions.md), so that ``cases`` never imports another app's
models, and the other apps never need ``cases`` to know about them.
"""

from __future__ import annotations

import dataclasses

from .domain.workflow import CaseFacts
from .extensions import gathered_facts

_FIELDS = frozenset(f.name for f in dataclasses.fields(CaseFacts))


def case_facts(case) -> CaseFacts:
    """Every extension's facts about ``case`` (an unknown name is a programming error)."""
    return CaseFacts(**gathered_facts(case, _FIELDS))
