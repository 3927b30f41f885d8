"""evaluate(): s.80 + Sch 3 notifiability, the s.82 period, s.83 initial deadline, s.91B review.

Worked examples from domain-rules.md §0 R1-R3, §1.2, §1.3, §1.10, §2.6.
"""

from __future__ import annotations

from datetime import date

import pytest

from comeforward.law import DisposalType, Offence, SentenceKind, evaluate
from comeforward.law.errors import InconsistentFacts, InvalidValue, MissingField, NegativeValue

from .factories import conviction, make_facts


def keys(obligation) -> list[str]:
    return [a["key"] for a in obligation.trace.assumptions_json()]


# --- R1/R2: adult simple caution, the scheme's intended disposal -------------------------


def test_adult_simple_caution_worked_example():
    ob = evaluate(make_facts())
    data = ob.as_json()
    assert data["notifiable"] is True
    assert data["relevant_date"] == "2025-03-12"
    assert data["period"] == {
        "indefinite": False,
        "years": 2,
        "months": 0,
        "basis": "S82_CAUTIONED",
        "halved": False,
    }
    assert data["last_day"] == "2027-03-11"
    assert data["initial_notification_due"] == "2025-03-14"
    assert data["review_eligible_from"] is None
    assert data["reasons"] == [
        "S80_1_D_CAUTIONED",
        "SCH3_IMAGES_UNDER_16",
        "SCH3_B_OFFENDER_18_OR_OVER",
        "SCH3_CONDITIONS_MET",
        "S82_CAUTIONED",
    ]
    assert data["outcome"]["outcome_codes"] == ["3"]
    assert data["assumptions"] == []
    assert any("s.83(1)" in e for e in data["explanations"])
    assert any("s.82(1)" in e for e in data["explanations"])


@pytest.mark.parametrize("offence", list(Offence))
def test_all_three_iioc_offences_notifiable_on_adult_caution(offence):
    ob = evaluate(make_facts(offence=offence))
    assert ob.notifiable is True
    assert ("cema_same_as_para13" in keys(ob)) is (offence is Offence.CEMA1979_S170)


def test_conditional_caution_same_as_simple():
    ob = evaluate(make_facts(disposal_type=DisposalType.CONDITIONAL_CAUTION))
    assert (ob.notifiable, ob.last_day) == (True, date(2027, 3, 11))


# --- images condition (Sch 3 para 95(a)) -------------------------------------------------


@pytest.mark.parametrize(("age", "notifiable"), [(0, True), (15, True), (16, False), (17, False)])
def test_images_under_16_boundary(age, notifiable):
    ob = evaluate(make_facts(youngest_depicted_age=age))
    assert ob.notifiable is notifiable
    if not notifiable:
        assert "SCH3_IMAGES_NOT_UNDER_16" in ob.trace.reasons
        assert ob.period is None and ob.last_day is None and ob.initial_notification_due is None


def test_unknown_depicted_age_cannot_decide_and_names_the_fact():
    data = evaluate(make_facts(youngest_depicted_age=None)).as_json()
    assert data["notifiable"] is None
    assert data["missing"] == ["youngest_depicted_age"]
    assert "CANNOT_DECIDE" in data["reasons"]
    assert data["period"] is None and data["last_day"] is None
    assert data["if_notifiable"]["last_day"] == "2027-03-11"
    assert data["if_notifiable"]["initial_notification_due"] == "2025-03-14"


def test_unknown_depicted_age_irrelevant_when_offender_under_18_and_cautioned():
    # The unknown fact cannot change the answer: a caution of a 17-year-old is never notifiable.
    ob = evaluate(
        make_facts(
            youngest_depicted_age=None,
            offender_dob=date(2007, 6, 1),
            offence_date=date(2025, 1, 10),
            disposal_type=DisposalType.YOUTH_CAUTION,
            disposal_date=date(2025, 3, 12),
        )
    )
    assert ob.notifiable is False
    assert ob.missing == ()


def test_unknown_depicted_age_irrelevant_for_outcome_22():
    ob = evaluate(make_facts(youngest_depicted_age=None, disposal_type=DisposalType.OUTCOME_22))
    assert ob.notifiable is False


# --- offender age at the offence (para 95(b)) --------------------------------------------


def test_eighteenth_birthday_on_offence_date_is_18_or_over():
    ob = evaluate(
        make_facts(
            offender_dob=date(2007, 1, 10),
            offence_date=date(2025, 1, 10),
            disposal_date=date(2025, 3, 12),
        )
    )
    assert ob.notifiable is True
    assert "SCH3_B_OFFENDER_18_OR_OVER" in ob.trace.reasons


def test_offence_the_day_before_18th_birthday_caution_not_notifiable():
    ob = evaluate(
        make_facts(
            offender_dob=date(2007, 1, 11),
            offence_date=date(2025, 1, 10),
            disposal_date=date(2025, 3, 12),
        )
    )
    assert ob.notifiable is False
    assert "SCH3_B_OFFENDER_UNDER_18" in ob.trace.reasons
    assert "SCH3_C_NOT_IMPRISONMENT_12_MONTHS" not in ob.trace.reasons  # cautions: no sentence


def test_age_measured_at_offence_not_at_caution():
    # 17 at the offence, 18 when cautioned: not notifiable (Sch 3 para 95(b)).
    ob = evaluate(
        make_facts(
            offender_dob=date(2007, 2, 1),
            offence_date=date(2025, 1, 10),
            disposal_date=date(2025, 3, 12),
        )
    )
    assert ob.notifiable is False


def test_leap_day_birthday_convention_decides_and_is_reported():
    # Born 29 Feb 2008; offence on 28 Feb 2026 (common year): 17 under the 1-March convention.
    ob = evaluate(
        make_facts(
            offender_dob=date(2008, 2, 29),
            offence_date=date(2026, 2, 28),
            disposal_date=date(2026, 4, 1),
        )
    )
    assert ob.notifiable is False
    assert "leap_day_birthday" in keys(ob)
    ob2 = evaluate(
        make_facts(
            offender_dob=date(2008, 2, 29),
            offence_date=date(2026, 3, 1),
            disposal_date=date(2026, 4, 1),
        )
    )
    assert ob2.notifiable is True
    assert "leap_day_birthday" not in keys(ob2)


# --- 1 May 2004 rule (para 13(a)/15(a)) ---------------------------------------------------


@pytest.mark.parametrize(
    ("disposal_date", "notifiable"), [(date(2004, 4, 30), True), (date(2004, 5, 1), False)]
)
def test_pre_commencement_caution_of_under_18_offender(disposal_date, notifiable):
    ob = evaluate(
        make_facts(
            offender_dob=date(1987, 1, 1),
            offence_date=date(2004, 1, 5),  # aged 17
            disposal_type=DisposalType.YOUTH_CAUTION,
            disposal_date=disposal_date,
        )
    )
    assert ob.notifiable is notifiable
    if notifiable:
        assert "SCH3_A_BEFORE_1_MAY_2004" in ob.trace.reasons
        # s.83(1): 3 days beginning with the commencement of Part 2, if later.
        assert ob.initial_notification_due == date(2004, 5, 3)
        # under 18 on the relevant date: caution halved to 1 year
        assert ob.period.total_months == 12


# --- 12-months sentence condition (para 13(c)/15(c)) -------------------------------------

UNDER_18 = {
    "offender_dob": date(2008, 1, 1),
    "offence_date": date(2025, 1, 10),
    "disposal_date": date(2025, 6, 2),
}


@pytest.mark.parametrize(
    ("kind", "months", "notifiable"),
    [
        (SentenceKind.IMPRISONMENT, 12, True),
        (SentenceKind.IMPRISONMENT, 11, False),
        (SentenceKind.IMPRISONMENT, 11.9, False),
        (SentenceKind.SUSPENDED_IMPRISONMENT, 12, True),
        (SentenceKind.DTO, 24, True),  # custodial part 12 months
        (SentenceKind.DTO, 18, False),  # custodial part 9 months
        (SentenceKind.COMMUNITY_ORDER, None, False),
        (SentenceKind.HOSPITAL_ORDER, None, False),
    ],
)
def test_under_18_offender_notifiable_only_with_12_months_imprisonment(kind, months, notifiable):
    ob = evaluate(conviction(kind, months, **UNDER_18))
    assert ob.notifiable is notifiable


def test_under_18_12_months_imprisonment_period_halved():
    ob = evaluate(conviction(SentenceKind.IMPRISONMENT, 12, **UNDER_18))
    # s.82(1): more than 6, less than 30 months → 10 years; s.82(2) under 18 → 5 years.
    assert ob.period.as_json() == {
        "indefinite": False,
        "years": 5,
        "months": 0,
        "basis": "S82_IMPRISONMENT_OVER_6_MONTHS",
        "halved": True,
    }
    assert ob.last_day == date(2030, 6, 1)
    assert "halving_wording" in keys(ob)


def test_dto_threshold_flagged_for_signoff():
    ob = evaluate(conviction(SentenceKind.DTO, 24, **UNDER_18))
    assert "dto_counts_for_sch3_threshold" in keys(ob)


# --- disposals that do not start notification (R1, §2.6) ---------------------------------


@pytest.mark.parametrize(
    ("disposal", "reason", "codes"),
    [
        (DisposalType.OUTCOME_22, "OUTCOME_22_NOT_CAUTION_OR_CONVICTION", ["22"]),
        (DisposalType.NFA, "NFA_NOT_CAUTION_OR_CONVICTION", ["10", "15", "16", "18"]),
    ],
)
def test_outcome_22_and_nfa_never_notifiable(disposal, reason, codes):
    data = evaluate(make_facts(disposal_type=disposal)).as_json()
    assert data["notifiable"] is False
    assert data["reasons"] == [reason]
    assert data["period"] is None and data["initial_notification_due"] is None
    assert data["outcome"]["outcome_codes"] == codes
    assert data["outcome"]["starts_notification"] == "no"


def test_outcome_22_assumption_reported():
    ob = evaluate(make_facts(disposal_type=DisposalType.OUTCOME_22))
    assert keys(ob) == ["outcome_22_notifiable"]
    assert ob.as_json()["assumptions"][0]["needs_legal_signoff"] is True


def test_absolute_discharge_not_notifiable_flagged():
    ob = evaluate(conviction(SentenceKind.ABSOLUTE_DISCHARGE))
    assert ob.notifiable is False
    assert "absolute_discharge_notifiable" in keys(ob)


# --- s.82 periods through evaluate --------------------------------------------------------

ADULT_CONVICTION = {"disposal_date": date(2025, 1, 15), "offence_date": date(2024, 6, 1)}


@pytest.mark.parametrize(
    ("kind", "months", "indefinite", "total", "last_day"),
    [
        (SentenceKind.IMPRISONMENT, 8, False, 120, date(2035, 1, 14)),  # §1.3 worked example
        (SentenceKind.IMPRISONMENT, 6, False, 84, date(2032, 1, 14)),
        (SentenceKind.IMPRISONMENT, 6.5, False, 120, date(2035, 1, 14)),
        (SentenceKind.IMPRISONMENT, 29, False, 120, date(2035, 1, 14)),
        (SentenceKind.IMPRISONMENT, 30, True, None, None),
        (SentenceKind.SUSPENDED_IMPRISONMENT, 6, False, 84, date(2032, 1, 14)),
        (SentenceKind.SUSPENDED_IMPRISONMENT, 12, False, 120, date(2035, 1, 14)),
        (SentenceKind.HOSPITAL_ORDER, None, False, 84, date(2032, 1, 14)),
        (SentenceKind.HOSPITAL_ORDER_RESTRICTED, None, True, None, None),
        (SentenceKind.LIFE, None, True, None, None),
        (SentenceKind.COMMUNITY_ORDER, None, False, 60, date(2030, 1, 14)),
        (SentenceKind.FINE, None, False, 60, date(2030, 1, 14)),
        (SentenceKind.CONDITIONAL_DISCHARGE, 18, False, 18, date(2026, 7, 14)),
    ],
)
def test_adult_conviction_periods(kind, months, indefinite, total, last_day):
    ob = evaluate(conviction(kind, months, **ADULT_CONVICTION))
    assert ob.notifiable is True
    assert ob.relevant_date == date(2025, 1, 15)
    assert ob.period.indefinite is indefinite
    assert ob.period.total_months == total
    assert ob.last_day == last_day


def test_conditional_discharge_worked_example():
    ob = evaluate(
        conviction(SentenceKind.CONDITIONAL_DISCHARGE, 24, disposal_date=date(2025, 4, 1))
    )
    assert ob.last_day == date(2027, 3, 31)
    assert "S134_CONDITIONAL_DISCHARGE_IS_CONVICTION" in ob.trace.reasons


def test_leap_day_caution_worked_example_reports_convention():
    ob = evaluate(make_facts(offence_date=date(2024, 1, 10), disposal_date=date(2024, 2, 29)))
    assert ob.last_day == date(2026, 2, 28)
    assert "missing_corresponding_day" in keys(ob)
    assert ob.initial_notification_due == date(2024, 3, 2)


# --- review of indefinite requirements (s.91A-91F) ----------------------------------------


def test_indefinite_review_earliest_possible_from_relevant_date():
    data = evaluate(conviction(SentenceKind.IMPRISONMENT, 36, **ADULT_CONVICTION)).as_json()
    assert data["period"]["indefinite"] is True
    assert data["last_day"] is None
    assert data["review_eligible_from"] == "2040-01-15"
    assert data["review_basis"] == "S91B_2_EARLIEST_POSSIBLE"
    assert "review_basis_relevant_date" in [a["key"] for a in data["assumptions"]]


def test_indefinite_review_from_relevant_notification_worked_example():
    # domain-rules.md §1.10: first post-release notification 2012-06-03 → adult 2027-06-03.
    adult = evaluate(
        conviction(
            SentenceKind.IMPRISONMENT,
            48,
            offence_date=date(2008, 1, 1),
            disposal_date=date(2009, 1, 5),
            relevant_notification_date=date(2012, 6, 3),
        )
    )
    assert adult.review_eligible_from == date(2027, 6, 3)
    juvenile = evaluate(
        conviction(
            SentenceKind.IMPRISONMENT,
            48,
            offender_dob=date(1992, 1, 1),
            offence_date=date(2008, 1, 1),
            disposal_date=date(2009, 1, 5),
            relevant_notification_date=date(2012, 6, 3),
        )
    )
    assert juvenile.under_18_on_relevant_date is True
    assert juvenile.period.indefinite is True and juvenile.period.halved is False
    assert juvenile.review_eligible_from == date(2020, 6, 3)


def test_indefinite_review_not_available_with_shpo():
    ob = evaluate(
        conviction(SentenceKind.LIFE, **ADULT_CONVICTION, subject_to_sexual_harm_order=True)
    )
    assert ob.review_eligible_from is None
    assert "S91A_2_NOT_ELIGIBLE_SHPO" in ob.trace.reasons


# --- warnings and refusals ----------------------------------------------------------------


def test_youth_caution_for_adult_is_warned():
    ob = evaluate(make_facts(disposal_type=DisposalType.YOUTH_CAUTION))
    assert ob.notifiable is True
    assert any("youth caution" in w for w in ob.trace.warnings)


def test_adult_caution_for_under_18_is_warned():
    ob = evaluate(make_facts(offender_dob=date(2008, 1, 1)))
    assert any("18 or over when cautioned" in w for w in ob.trace.warnings)


@pytest.mark.parametrize(
    ("facts", "error", "code"),
    [
        (make_facts(offender_dob=date(2026, 1, 1)), InconsistentFacts, "INCONSISTENT_FACTS"),
        (make_facts(disposal_date=date(2024, 12, 31)), InconsistentFacts, "INCONSISTENT_FACTS"),
        (make_facts(youngest_depicted_age=-1), NegativeValue, "NEGATIVE_VALUE"),
        (make_facts(disposal_type=DisposalType.CONVICTION), MissingField, "MISSING_FIELD"),
        (conviction(SentenceKind.IMPRISONMENT, None), MissingField, "MISSING_FIELD"),
        (conviction(SentenceKind.IMPRISONMENT, 0), InvalidValue, "INVALID_VALUE"),
        (conviction(SentenceKind.IMPRISONMENT, -3), NegativeValue, "NEGATIVE_VALUE"),
        (conviction(SentenceKind.CONDITIONAL_DISCHARGE, 12.5), InvalidValue, "INVALID_VALUE"),
        (make_facts(sentence=(SentenceKind.FINE, None)), InconsistentFacts, "INCONSISTENT_FACTS"),
    ],
)
def test_refusals(facts, error, code):
    with pytest.raises(error) as info:
        evaluate(facts)
    assert info.value.code == code
