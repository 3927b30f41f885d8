"""Who becomes subject to the notification requirements for an IIOC offence.

SOA 2003 s.80(1) (conviction or caution) and the Sch 3 conditions for IIOC offences
(paras 13-15): the images showed persons under 16 (age when the photograph was taken,
para 95(a)), **and** (a) the conviction or caution was before 1 May 2004, or (b) the offender
was 18 or over at the time of the offence (para 95(b)), or (c) the offender was sentenced to
imprisonment for at least 12 months. Research: domain-rules.md §0 R1-R2, §1.2
(``is_notifiable_iioc``), §2.1, §2.6.

Prohibited images of children (CJA 2009 s.62, Sch 3 para 35A): the offender was 18 or over,
or was sentenced to imprisonment for at least 2 years; no condition on the depicted age. These
conditions are [M]: rule-set settings awaiting legal sign-off.

Three-valued: a condition whose fact is unknown is ``None``; the answer is ``None`` ("cannot
decide") only when the unknown fact could change it, and the missing fact is named.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from comeforward.law.dates import age_on
from comeforward.law.facts import (
    CAUTIONS,
    PHOTOGRAPH_OFFENCES,
    SCH3_PARAGRAPH,
    DisposalType,
    Facts,
    Offence,
    SentenceKind,
)
from comeforward.law.periods import custodial_term_months
from comeforward.law.trace import Trace
from comeforward.law.welsh import SOA_CY

Tri = bool | None


def all_of(values: Iterable[Tri]) -> Tri:
    """Kleene AND: False if any is False, else None if any is None, else True."""
    items = list(values)
    if any(v is False for v in items):
        return False
    if any(v is None for v in items):
        return None
    return True


@dataclass(frozen=True)
class Notifiability:
    notifiable: Tri
    missing: tuple[str, ...] = ()


def disposal_triggers(facts: Facts, trace: Trace) -> bool:
    """s.80(1): is the disposal a conviction (a) or a caution (d)? §0 R1, §2.6."""
    disposal = facts.disposal
    if disposal.type in CAUTIONS:
        trace.reason("S80_1_D_CAUTIONED")
        trace.explain(
            f"SOA 2003 s.80(1)(d): a {disposal.type.value.replace('_', ' ')} is a "
            "caution, which can make the person subject to notification.",
            welsh=f"{SOA_CY} adran 80(1)(d): rhybudd yw hwn, a gall wneud y person yn "
            "ddarostyngedig i’r gofynion hysbysu.",
        )
        return True
    if disposal.type is DisposalType.OUTCOME_22:
        trace.use("outcome_22_notifiable")
        trace.reason("OUTCOME_22_NOT_CAUTION_OR_CONVICTION")
        trace.explain(
            "SOA 2003 s.80(1): Outcome 22 (diversionary, educational or "
            "intervention activity) is neither a conviction nor a caution, so it "
            "does not start notification."
        )
        return False
    if disposal.type is DisposalType.NFA:
        trace.reason("NFA_NOT_CAUTION_OR_CONVICTION")
        trace.explain(
            "SOA 2003 s.80(1): no further action is neither a conviction nor a "
            "caution, so it does not start notification."
        )
        return False
    sentence = disposal.sentence
    if sentence is not None and sentence.kind is SentenceKind.ABSOLUTE_DISCHARGE:
        notifiable = bool(trace.use("absolute_discharge_notifiable"))
        trace.reason("S134_ABSOLUTE_DISCHARGE_NOT_CONVICTION")
        trace.explain(
            "SOA 2003 s.134 deems only a conditional discharge to be a conviction "
            "for Part 2; an absolute discharge is taken not to start notification."
        )
        return notifiable
    if sentence is not None and sentence.kind is SentenceKind.CONDITIONAL_DISCHARGE:
        trace.reason("S134_CONDITIONAL_DISCHARGE_IS_CONVICTION")
        trace.explain("SOA 2003 s.134: a conditional discharge counts as a conviction for Part 2.")
    trace.reason("S80_1_A_CONVICTED")
    trace.explain("SOA 2003 s.80(1)(a): a conviction can make the person subject to notification.")
    return True


def images_condition(facts: Facts, trace: Trace) -> Tri:
    """Sch 3 paras 13-15: the images showed persons under 16 (age when taken, para 95(a))."""
    para = SCH3_PARAGRAPH[facts.offence]
    if facts.offence is Offence.CEMA1979_S170:
        trace.use("cema_same_as_para13")
    limit = trace.use("images_under_age")
    age = facts.youngest_depicted_age
    if age is None:
        trace.reason("SCH3_DEPICTED_AGE_UNKNOWN")
        trace.explain(
            f"SOA 2003 {para}: notification needs images of persons under {limit} "
            "(age when the photograph was taken, para 95(a)); the youngest "
            "depicted age is not known."
        )
        return None
    if age < limit:
        trace.reason("SCH3_IMAGES_UNDER_16")
        trace.explain(
            f"SOA 2003 {para}, para 95(a): the youngest person depicted was {age} "
            f"when photographed, under {limit}.",
            welsh=f"{SOA_CY} {para}, paragraff 95(a): roedd y person ieuengaf a ddangoswyd "
            f"yn {age} oed pan dynnwyd y llun, o dan {limit}.",
        )
        return True
    trace.reason("SCH3_IMAGES_NOT_UNDER_16")
    trace.explain(
        f"SOA 2003 {para}, para 95(a): the youngest person depicted was {age} "
        f"when photographed, not under {limit}, so the offence is not notifiable."
    )
    return False


def pre_commencement_condition(facts: Facts, trace: Trace) -> bool:
    """Sch 3 para 13(a)/15(a): the conviction or caution was before 1 May 2004."""
    commencement = trace.use("part2_commencement")
    if facts.disposal.date < commencement:
        trace.reason("SCH3_A_BEFORE_1_MAY_2004")
        trace.explain(
            f"SOA 2003 {SCH3_PARAGRAPH[facts.offence]}(a): the disposal was before "
            f"{commencement.isoformat()}, so the age conditions do not apply."
        )
        return True
    return False


def offender_age_condition(facts: Facts, trace: Trace) -> bool:
    """Sch 3 para 13(b)/15(b)/35A: offender 18 or over at the time of the offence (para 95(b))."""
    minimum = trace.use(
        "offender_min_age"
        if facts.offence in PHOTOGRAPH_OFFENCES
        else "prohibited_images_offender_min_age"
    )
    age = age_on(
        facts.offender_dob, facts.offence_date, leap_birthday=trace.ruleset.leap_day_birthday.value
    )
    if age.convention_used:
        trace.assume("leap_day_birthday")
    para = SCH3_PARAGRAPH[facts.offence]
    if age.years >= minimum:
        trace.reason("SCH3_B_OFFENDER_18_OR_OVER")
        trace.explain(
            f"SOA 2003 {para}(b), para 95(b): the offender was {age.years} on the "
            f"offence date {facts.offence_date.isoformat()}, {minimum} or over."
        )
        return True
    trace.reason("SCH3_B_OFFENDER_UNDER_18")
    trace.explain(
        f"SOA 2003 {para}(b), para 95(b): the offender was {age.years} on the "
        f"offence date {facts.offence_date.isoformat()}, under {minimum}."
    )
    return False


def sentence_condition(facts: Facts, trace: Trace) -> bool:
    """Sch 3 para 13(c)/15(c): sentenced to imprisonment for at least 12 months."""
    sentence = facts.disposal.sentence
    if facts.disposal.type is not DisposalType.CONVICTION or sentence is None:
        return False
    term = custodial_term_months(sentence, trace, for_sch3=True)
    minimum = trace.use(
        "min_custodial_months"
        if facts.offence in PHOTOGRAPH_OFFENCES
        else "prohibited_images_min_custodial_months"
    )
    para = SCH3_PARAGRAPH[facts.offence]
    if term is not None and term >= minimum:
        trace.reason("SCH3_C_IMPRISONMENT_12_MONTHS_OR_MORE")
        trace.explain(
            f"SOA 2003 {para}(c): sentenced to imprisonment for {_months(term)} "
            f"months, at least {minimum}."
        )
        return True
    trace.reason("SCH3_C_NOT_IMPRISONMENT_12_MONTHS")
    trace.explain(
        f"SOA 2003 {para}(c): not sentenced to imprisonment for at least {minimum} months."
    )
    return False


def assess(facts: Facts, trace: Trace) -> Notifiability:
    """Is the person subject to notification (s.80 + Sch 3)? ``None`` = cannot decide."""
    if not disposal_triggers(facts, trace):
        return Notifiability(False)
    if facts.offence not in PHOTOGRAPH_OFFENCES:
        return _prohibited_images(facts, trace)
    images = images_condition(facts, trace)
    if images is False:
        return Notifiability(False)
    # Evaluated in order and short-circuited: only the conditions needed are explained.
    conditions = (
        pre_commencement_condition(facts, trace)
        or offender_age_condition(facts, trace)
        or sentence_condition(facts, trace)
    )
    result = all_of([images, conditions])
    if result is None:
        trace.reason("CANNOT_DECIDE")
        return Notifiability(None, ("youngest_depicted_age",))
    if result is False:
        trace.reason("SCH3_CONDITIONS_NOT_MET")
    else:
        trace.reason("SCH3_CONDITIONS_MET")
    return Notifiability(result)


def _months(value: object) -> str:
    text = str(value)
    return text if "/" not in text else f"{float(value):g}"  # type: ignore[arg-type]


def _prohibited_images(facts: Facts, trace: Trace) -> Notifiability:
    """Sch 3 para 35A [M]: CJA 2009 s.62 is notifiable if the offender was 18 or over at the
    time of the offence, or was sentenced to imprisonment for at least 2 years. The depicted
    age plays no part (a prohibited image is of a child, under 18, by definition)."""
    trace.reason("SCH3_PARA_35A_PROHIBITED_IMAGES")
    trace.explain(
        "SOA 2003 Sch 3 para 35A: possession of a prohibited image of a child (Coroners and "
        "Justice Act 2009 s.62); the para 13 condition on the depicted age does not apply."
    )
    if offender_age_condition(facts, trace) or sentence_condition(facts, trace):
        trace.reason("SCH3_CONDITIONS_MET")
        return Notifiability(True)
    trace.reason("SCH3_CONDITIONS_NOT_MET")
    return Notifiability(False)
