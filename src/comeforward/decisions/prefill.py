"""What the caution, prosecution and treatment forms take from records already made, so that
nobody re-keys them (issue 12.7; docs/code-habits.md "no re-keying"): the offences admitted in
interview, the last date of possession (the day the devices were handed in), the youngest
person depicted where the interview or the examination records it, and the treatment
pathway the independent assessor chose. Everything stays editable on the form.

Other apps are read through their selectors (interviews, exhibits; imported directly — they
never import ``decisions``, so there is no cycle and no ``importlib`` lookup, issue 19.1) and
the assessment through ``django.apps`` where it is installed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.utils import timezone

from comeforward.exhibits import selectors as exhibits_selectors
from comeforward.interviews import selectors as interviews_selectors
from comeforward.law import Offence

#: The interview records the law engine's own offence values (``comeforward.law.Offence``).
LAW_OFFENCES = frozenset(o.value for o in Offence)


def interviews_of(case) -> list:
    return interviews_selectors.interviews_for_case(case)


def admission_interview(case, *, on_or_before: dt.date | None = None):
    """The latest interview with a full, recorded admission (E2; CJA 2003 s.23(3)) held on or
    before ``on_or_before``, or ``None``."""
    found = [
        i
        for i in interviews_of(case)
        if i.admission_recorded and (on_or_before is None or i.held_on <= on_or_before)
    ]
    return found[-1] if found else None


def _exhibits(case) -> list:
    return exhibits_selectors.exhibits_for_case(case)


def _youngest_depicted(case, interviews: list) -> int | None:
    """From the examination or the interview, where either records it (the youngest
    recorded anywhere: fail closed towards notification)."""
    ages = [getattr(i, "youngest_depicted_age", None) for i in interviews]
    for exhibit in _exhibits(case):
        for examination in exhibits_selectors.examinations_of(exhibit):
            ages.append(getattr(examination, "youngest_depicted_age", None))
    known = [a for a in ages if isinstance(a, int)]
    return min(known) if known else None


def offences_admitted(case) -> list[str]:
    offences: list[str] = []
    for interview in interviews_of(case):
        for code in interview.offences_admitted or []:
            if code in LAW_OFFENCES and code not in offences:
                offences.append(code)
    return offences


def caution_prefill(case) -> dict[str, Any]:
    """Initial values of the caution form, with where each came from."""
    interviews = interviews_of(case)
    initial: dict[str, Any] = {}
    sources: dict[str, str] = {}
    offences = offences_admitted(case)
    if offences:
        initial["offences"], sources["offences"] = offences, "the interview"
    handed_in = [timezone.localdate(e.received_at) for e in _exhibits(case)]
    if handed_in:
        initial["offence_date"] = max(handed_in)
        sources["offence_date"] = "the day the devices were handed in (last date of possession)"
    depicted = _youngest_depicted(case, interviews)
    if depicted is not None:
        initial["youngest_depicted_age"] = depicted
        sources["youngest_depicted_age"] = "the interview or the forensic examination"
    initial["caution_date"] = timezone.localdate()
    return {"initial": initial, "sources": sources}


def treatment_pathway(case) -> str | None:
    """The pathway the independent assessor chose (``assessments.domain.TREATMENT_PATHWAYS``
    key), or ``None`` when no assessment is on record."""
    if not apps.is_installed("comeforward.assessments"):
        return None
    assessment = (
        apps.get_model("assessments", "Assessment")
        .objects.filter(case=case)
        .only("treatment_pathway")
        .first()
    )
    return assessment.treatment_pathway if assessment else None


def treatment_required(case) -> bool | None:
    """Is treatment a requirement of the disposal? ``None`` when no pathway is on record."""
    pathway = treatment_pathway(case)
    if pathway is None:
        return None
    return pathway != "none"
