"""What counts as an admission for the scheme, pure Python (domain-rules §4.7 E2, E13).

E2: a full, reliable, *recorded* admission, not obtained only at the cautioning stage
(CPS; PCSC 2022 s.99(2)(b)). E13: the offences are the either-way IIOC offences — making
indecent photographs (Protection of Children Act 1978 s.1(1)(a)) and possession (Criminal
Justice Act 1988 s.160).
"""

from __future__ import annotations

from enum import StrEnum


class Admission(StrEnum):
    FULL = "full"
    PARTIAL = "partial"
    NONE = "none"


ADMISSION_LABELS = {
    Admission.FULL: "Full admission",
    Admission.PARTIAL: "Partial admission",
    Admission.NONE: "No admission",
}


class Offence(StrEnum):
    PCA_1978_S1 = "pca_1978_s1"
    CJA_1988_S160 = "cja_1988_s160"


OFFENCE_LABELS = {
    Offence.PCA_1978_S1: "Making indecent photographs of children (PCA 1978 s.1(1)(a))",
    Offence.CJA_1988_S160: "Possession of indecent photographs of children (CJA 1988 s.160)",
}


def admission_recorded(*, admission: str, recorded: bool, recording_reference: str) -> bool:
    """E2: a full admission, made in an interview that was recorded (with its reference)."""
    return admission == Admission.FULL and recorded and bool(recording_reference.strip())
