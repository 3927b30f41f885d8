"""The facts the statute engines take (docs/interfaces.md §3 input), as typed values.

Field meanings follow domain-rules.md §1.2-§1.3: ``youngest_depicted_age`` is the age of the
youngest person depicted *when the photograph was taken* (Sch 3 para 95(a)); ``disposal.date``
is the date of the caution or of the conviction (not of sentence), i.e. the s.82(6) relevant
date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Offence(StrEnum):
    """IIOC offences with a Sch 3 notification condition (SOA 2003 Sch 3 paras 13-15, 35A)."""

    PCA1978_S1 = "PCA1978_S1"  # Sch 3 para 13
    CEMA1979_S170 = "CEMA1979_S170"  # Sch 3 para 14 [M]
    CJA1988_S160 = "CJA1988_S160"  # Sch 3 para 15
    #: Possession of a prohibited (non-photographic) image of a child, Coroners and Justice
    #: Act 2009 s.62; Sch 3 para 35A [M] (domain-rules.md §1.2).
    CJA2009_S62 = "CJA2009_S62"


SCH3_PARAGRAPH: dict[Offence, str] = {
    Offence.PCA1978_S1: "Sch 3 para 13",
    Offence.CEMA1979_S170: "Sch 3 para 14",
    Offence.CJA1988_S160: "Sch 3 para 15",
    Offence.CJA2009_S62: "Sch 3 para 35A",
}
#: What each offence is called on pages and documents (never the code alone): the one list
#: every app shows (issue 20.3).
OFFENCE_LABELS: dict[Offence, str] = {
    Offence.PCA1978_S1: "Making or taking an indecent photograph of a child (PCA 1978 s.1)",
    Offence.CJA1988_S160: "Possession of an indecent photograph of a child (CJA 1988 s.160)",
    Offence.CEMA1979_S170: "Importation of indecent material (CEMA 1979 s.170)",
    Offence.CJA2009_S62: "Possession of a prohibited image of a child (CJA 2009 s.62)",
}


def offence_label(code: str) -> str:
    """The label of an offence code; an unknown code is shown as unknown, never bare."""
    try:
        return OFFENCE_LABELS[Offence(code)]
    except ValueError:
        return f"Unrecognised offence ({code})"


#: Offences about indecent *photographs*: notification needs images of persons under 16
#: (Sch 3 paras 13-15, para 95(a)). Prohibited images (para 35A) have no such condition.
PHOTOGRAPH_OFFENCES = frozenset({Offence.PCA1978_S1, Offence.CEMA1979_S170, Offence.CJA1988_S160})


class DisposalType(StrEnum):
    SIMPLE_CAUTION = "simple_caution"
    CONDITIONAL_CAUTION = "conditional_caution"
    YOUTH_CAUTION = "youth_caution"
    OUTCOME_22 = "outcome_22"
    NFA = "nfa"
    CONVICTION = "conviction"


CAUTIONS = frozenset(
    {DisposalType.SIMPLE_CAUTION, DisposalType.CONDITIONAL_CAUTION, DisposalType.YOUTH_CAUTION}
)


class SentenceKind(StrEnum):
    IMPRISONMENT = "imprisonment"
    SUSPENDED_IMPRISONMENT = "suspended_imprisonment"
    DTO = "dto"  # detention and training order
    COMMUNITY_ORDER = "community_order"
    FINE = "fine"
    CONDITIONAL_DISCHARGE = "conditional_discharge"
    ABSOLUTE_DISCHARGE = "absolute_discharge"
    HOSPITAL_ORDER = "hospital_order"
    HOSPITAL_ORDER_RESTRICTED = "hospital_order_restricted"
    # Extensions beyond docs/interfaces.md §3 (s.82(1) table rows):
    LIFE = "life"
    IPP = "ipp"  # imprisonment for public protection (CJA 2003 s.225)
    YOUTH_REHABILITATION_ORDER = "youth_rehabilitation_order"
    REFERRAL_ORDER = "referral_order"


#: Kinds whose ``months`` is a custodial term.
CUSTODIAL_TERM_KINDS = frozenset(
    {SentenceKind.IMPRISONMENT, SentenceKind.SUSPENDED_IMPRISONMENT, SentenceKind.DTO}
)
#: Kinds that need ``months``.
MONTHS_REQUIRED = CUSTODIAL_TERM_KINDS | {SentenceKind.CONDITIONAL_DISCHARGE}


@dataclass(frozen=True)
class Sentence:
    kind: SentenceKind
    months: float | None = None


@dataclass(frozen=True)
class Disposal:
    type: DisposalType
    date: date
    sentence: Sentence | None = None


@dataclass(frozen=True)
class Facts:
    offence: Offence
    offence_date: date
    offender_dob: date
    youngest_depicted_age: int | None
    disposal: Disposal
    jurisdiction: str = "england-wales"
    #: s.91B(2): the first notification after release; without it the review date is the
    #: earliest possible (counted from the relevant date) and flagged.
    relevant_notification_date: date | None = None
    #: s.91A(2): a person subject to an SHPO/SOPO (or interim order) cannot seek a review.
    subject_to_sexual_harm_order: bool = False
