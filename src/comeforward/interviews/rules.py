"""What counts as an admission for the scheme, pure Python (domain-rules §4.7 E2, E13).

E2: a full, reliable, *recorded* admission, not obtained only at the cautioning stage
(CPS; PCSC 2022 s.99(2)(b)). E13: the offences are the either-way IIOC offences — making
indecent photographs (Protection of Children Act 1978 s.1(1)(a)) and possession (Criminal
Justice Act 1988 s.160).
"""

from __future__ import annotations

from enum import StrEnum

from comeforward.law.facts import OFFENCE_LABELS as LAW_OFFENCE_LABELS
from comeforward.law.facts import Offence


class Admission(StrEnum):
    FULL = "full"
    PARTIAL = "partial"
    NONE = "none"


ADMISSION_LABELS = {
    Admission.FULL: "Full admission",
    Admission.PARTIAL: "Partial admission",
    Admission.NONE: "No admission",
}


#: The offences an interview records as admitted: the law engine's own values
#: (``comeforward.law.Offence``), so the caution, the register and the prosecution file take
#: them without re-keying or translation (issues 12.7, 20.3). E13's either-way IIOC offences,
#: and possession of a prohibited image (CJA 2009 s.62, Sch 3 para 35A; issue 12.6).
INTERVIEW_OFFENCES = (Offence.PCA1978_S1, Offence.CJA1988_S160, Offence.CJA2009_S62)
OFFENCE_LABELS = {o: LAW_OFFENCE_LABELS[o] for o in INTERVIEW_OFFENCES}

__all__ = ["INTERVIEW_OFFENCES", "OFFENCE_LABELS", "Admission", "Offence", "admission_recorded"]


def admission_recorded(*, admission: str, recorded: bool, recording_reference: str) -> bool:
    """E2: a full admission, made in an interview that was recorded (with its reference)."""
    return admission == Admission.FULL and recorded and bool(recording_reference.strip())
